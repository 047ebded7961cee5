/**
 * Test harness: a real AgentSession (real Agent, SessionManager on temp files) whose model calls are answered
 * by a scripted stream function, driven through runInteractiveMode on a VirtualTerminal.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent } from "../../src/agent/agent.ts";
import { AgentSession, type BashResult } from "../../src/agent/agent-session.ts";
import { PromptLoadout } from "../../src/agent/prompt-loadout.ts";
import { ToolSet } from "../../src/agent/session/tool-set.ts";
import type { AgentTool } from "../../src/agent/types.ts";
import { PushAssistantStream } from "../../src/ai/event-stream.ts";
import {
	type AssistantMessage,
	type Context,
	emptyUsage,
	type Model,
	type StreamFunction,
	type ToolCall,
} from "../../src/ai/types.ts";
import { AuthStorage } from "../../src/auth/auth-storage.ts";
import { SettingsManager } from "../../src/config/settings.ts";
import type { Settings } from "../../src/config/settings-schema.ts";
import type { ExtensionHost } from "../../src/extensions/host.ts";
import { type InteractiveOptions, runInteractiveMode } from "../../src/modes/interactive/interactive-mode.ts";
import { Keybindings } from "../../src/modes/interactive/keybindings.ts";
import { ModelRegistry } from "../../src/registry/model-registry.ts";
import type { LoadedResources } from "../../src/resources/index.ts";
import { convertToLlm } from "../../src/session/convert-to-llm.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

// The startup tmux check would add a warning to every screen when the tests themselves run inside tmux.
delete process.env.TMUX;

export const TEST_MODEL: Model = {
	id: "fake-model",
	name: "Fake Model",
	api: "anthropic-messages",
	provider: "anthropic",
	baseUrl: "http://127.0.0.1:9",
	reasoning: true,
	input: ["text"],
	cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
	contextWindow: 200_000,
	maxTokens: 8192,
};

/** One scripted answer: text chunks, optional tool calls; `gate` holds the stream until released. */
export interface ScriptedTurn {
	/** A thinking block before the text. */
	thinking?: string;
	chunks?: string[];
	toolCalls?: ToolCall[];
	gate?: Promise<void>;
	/** The answer fails with this provider error. */
	error?: string;
	/** The answer stops at the output token limit. */
	truncated?: boolean;
}

function message(content: AssistantMessage["content"], stopReason: AssistantMessage["stopReason"]): AssistantMessage {
	return {
		role: "assistant",
		content,
		api: TEST_MODEL.api,
		provider: TEST_MODEL.provider,
		model: TEST_MODEL.id,
		usage: { ...emptyUsage(), input: 1200, output: 34, totalTokens: 1234 },
		stopReason,
		timestamp: Date.now(),
	};
}

/** A stream function that plays `turns` in order and records every context it was called with. */
export function scriptedStream(turns: ScriptedTurn[]): { streamFn: StreamFunction; contexts: Context[] } {
	const contexts: Context[] = [];
	const streamFn: StreamFunction = (_model, context, options) => {
		contexts.push(structuredClone(context));
		const turn = turns.shift() ?? { chunks: ["(no more script)"] };
		const stream = new PushAssistantStream();
		void (async () => {
			const content: AssistantMessage["content"] = [];
			stream.push({ type: "start", partial: message([], "stop") });
			if (turn.thinking) {
				const thinking = { type: "thinking" as const, thinking: turn.thinking };
				content.push(thinking);
				const index = content.length - 1;
				stream.push({ type: "thinking_start", contentIndex: index, partial: message([...content], "stop") });
				stream.push({
					type: "thinking_end",
					contentIndex: index,
					content: turn.thinking,
					partial: message([...content], "stop"),
				});
			}
			const text = { type: "text" as const, text: "" };
			if (turn.chunks) {
				content.push(text);
				stream.push({ type: "text_start", contentIndex: content.length - 1, partial: message([...content], "stop") });
				for (const chunk of turn.chunks) {
					text.text += chunk;
					stream.push({
						type: "text_delta",
						contentIndex: content.indexOf(text),
						delta: chunk,
						partial: message([...content], "stop"),
					});
					await Bun.sleep(1);
				}
			}
			if (turn.gate) {
				const aborted = new Promise<"aborted">((resolve) =>
					options?.signal?.addEventListener("abort", () => resolve("aborted")),
				);
				if ((await Promise.race([turn.gate, aborted])) === "aborted") {
					stream.push({ type: "error", reason: "aborted", error: message([...content], "aborted") });
					return;
				}
			}
			if (turn.error) {
				const failed = { ...message([...content], "error"), errorMessage: turn.error };
				stream.push({ type: "error", reason: "error", error: failed });
				return;
			}
			if (turn.chunks)
				stream.push({
					type: "text_end",
					contentIndex: content.indexOf(text),
					content: text.text,
					partial: message([...content], "stop"),
				});
			for (const call of turn.toolCalls ?? []) {
				content.push(call);
				const index = content.length - 1;
				stream.push({ type: "toolcall_start", contentIndex: index, partial: message([...content], "stop") });
				stream.push({
					type: "toolcall_end",
					contentIndex: index,
					toolCall: call,
					partial: message([...content], "stop"),
				});
			}
			const reason = turn.truncated ? "length" : turn.toolCalls?.length ? "toolUse" : "stop";
			stream.push({ type: "done", reason, message: message([...content], reason) });
		})();
		return stream;
	};
	return { streamFn, contexts };
}

/** A tool that echoes its `text` argument after streaming one partial update. */
export const echoTool: AgentTool<{ text: string }> = {
	name: "echo",
	label: "Echo",
	description: "Echo text",
	parameters: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
	parseArgs(raw) {
		const text = typeof raw === "object" && raw !== null && "text" in raw ? String(raw.text) : "";
		return { text };
	},
	async execute(_id, args, _signal, onUpdate) {
		onUpdate({ content: [{ type: "text", text: "working..." }] });
		await Bun.sleep(5);
		return { content: [{ type: "text", text: `echoed: ${args.text}` }] };
	},
};

export interface Harness {
	terminal: VirtualTerminal;
	auth: AuthStorage;
	session: AgentSession;
	sessionDir: string;
	cwd: string;
	contexts: Context[];
	exit: Promise<number>;
	type(text: string): void;
	screen(): string;
	waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
	waitUntil(condition: () => boolean, timeoutMs?: number): Promise<void>;
	quit(): Promise<number>;
	/** Three Ctrl+C (the first may only close an open selector), then the exit code. */
	close(): Promise<number>;
}

function toolSetWith(extra: AgentTool[]): ToolSet {
	const tools: AgentTool[] = [echoTool as AgentTool, ...extra];
	return new ToolSet(
		new Map(tools.map((tool) => [tool.name, tool])),
		tools.map((tool) => tool.name),
	);
}

export function createSession(options: {
	turns: ScriptedTurn[];
	sessionDir?: string;
	sessionFile?: string;
	cwd?: string;
	settings?: Settings;
	/** null: start without a model (first run). */
	model?: Model | null;
	/** false: no credentials for the model's provider. */
	apiKey?: boolean;
	resources?: LoadedResources;
	/** Tools beside `echo` (real ones, e.g. createEditTool), made for the session's folder. */
	tools?: (cwd: string) => AgentTool[];
}): { session: AgentSession; contexts: Context[]; sessionDir: string; cwd: string; auth: AuthStorage } {
	const cwd = options.cwd ?? mkdtempSync(join(tmpdir(), "pi-interactive-cwd-"));
	const sessionDir = options.sessionDir ?? mkdtempSync(join(tmpdir(), "pi-interactive-sessions-"));
	const settings = SettingsManager.inMemory(options.settings ?? {});
	const auth = new AuthStorage(join(sessionDir, "auth.json"));
	if (options.apiKey !== false) auth.setRuntimeApiKey("anthropic", "test-key");
	const registry = new ModelRegistry(auth, join(sessionDir, "models.json"));
	const sessionManager = options.sessionFile
		? SessionManager.open(options.sessionFile, sessionDir)
		: SessionManager.create(cwd, sessionDir);
	const { streamFn, contexts } = scriptedStream(options.turns);
	const agent = new Agent({
		streamFn,
		convertToLlm: (messages) => convertToLlm(messages),
		getApiKey: async () => "test-key",
		sessionId: sessionManager.getSessionId(),
	});
	agent.setModel(options.model === null ? undefined : (options.model ?? TEST_MODEL));
	agent.setThinkingLevel("medium");
	agent.replaceMessages(sessionManager.buildSessionContext().messages);
	const session = new AgentSession({
		agent,
		sessionManager,
		settings,
		modelRegistry: registry,
		cwd,
		loadout: new PromptLoadout(
			{
				cwd,
				customPrompt: "You are a test.",
				contextFiles: [],
				skills: options.resources?.skills ?? [],
				readmePath: "/docs/README.md",
				docsPath: "/docs/docs",
				examplesPath: "/docs/examples",
			},
			toolSetWith(options.tools?.(cwd) ?? []),
		),
		resources: options.resources,
		complete: streamFn,
		createSessionManager: (o) => SessionManager.create(cwd, sessionDir, { parentSession: o?.parentSession }),
		openSessionManager: (path) => SessionManager.open(path, sessionDir),
		runBash: async (command, o): Promise<BashResult> => {
			const proc = Bun.spawn(["bash", "-c", command], { cwd, stdout: "pipe", stderr: "pipe" });
			o.signal.addEventListener("abort", () => proc.kill());
			const output = await new Response(proc.stdout).text();
			o.onChunk?.(output);
			const exitCode = await proc.exited;
			return { output, exitCode, cancelled: o.signal.aborted, truncated: false };
		},
	});
	session.recordStartup();
	return { session, contexts, sessionDir, cwd, auth };
}

export async function startInteractive(options: {
	turns: ScriptedTurn[];
	sessionDir?: string;
	sessionFile?: string;
	cwd?: string;
	settings?: Settings;
	columns?: number;
	rows?: number;
	keybindings?: Keybindings;
	model?: Model | null;
	apiKey?: boolean;
	resources?: LoadedResources;
	tools?: (cwd: string) => AgentTool[];
	/** Extra runInteractiveMode options (contextFiles, reload, verbose, ...). */
	interactive?: Partial<InteractiveOptions>;
	/** Extensions bound to the session before the screen starts (test/extensions/ui-host.ts loads real ones). */
	extensions?: (session: AgentSession, cwd: string) => Promise<ExtensionHost>;
	/** What shows once the screen is up (default: pi's header, or the editor border with quietStartup). */
	ready?: string | RegExp;
}): Promise<Harness> {
	const { session, contexts, sessionDir, cwd, auth } = createSession(options);
	const extensions = await options.extensions?.(session, cwd);
	const terminal = new VirtualTerminal(options.columns ?? 100, options.rows ?? 40);
	const exit = runInteractiveMode(session, {
		messages: [],
		terminal,
		keybindings: options.keybindings ?? new Keybindings(),
		auth,
		// Most tests read the whole transcript from the terminal's history: regular mode unless they ask otherwise.
		tuiMode: "regular",
		extensions,
		...options.interactive,
	});
	const screen = () => terminal.getAllLines().join("\n");
	const waitFor = async (text: string | RegExp, timeoutMs = 15_000) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			await terminal.flush();
			const current = screen();
			if (typeof text === "string" ? current.includes(text) : text.test(current)) return;
			if (Date.now() > deadline) throw new Error(`Timed out waiting for ${String(text)}. Screen:\n${current}`);
			await Bun.sleep(10);
		}
	};
	const waitUntil = async (condition: () => boolean, timeoutMs = 15_000) => {
		const deadline = Date.now() + timeoutMs;
		while (!condition()) {
			if (Date.now() > deadline) throw new Error("Timed out waiting for a condition");
			await Bun.sleep(5);
		}
	};
	const harness: Harness = {
		terminal,
		auth,
		session,
		sessionDir,
		cwd,
		contexts,
		exit,
		type: (text) => terminal.sendInput(text),
		screen,
		waitFor,
		waitUntil,
		quit: async () => {
			terminal.sendInput("\x04");
			return exit;
		},
		close: async () => {
			for (let i = 0; i < 3; i++) terminal.sendInput("\x03");
			return exit;
		},
	};
	// The editor's border is drawn even when quietStartup hides the header.
	await waitFor(options.ready ?? (options.settings?.quietStartup ? /─{20}/ : "pi v"));
	return harness;
}
