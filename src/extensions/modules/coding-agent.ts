/**
 * `@earendil-works/pi-coding-agent` (and `@mariozechner/pi-coding-agent`) as extensions see it: the helpers extensions
 * use (event type guards, truncation, the file mutation queue, built-in tool factories, conversation helpers, paths),
 * implemented over our own code. The classes of pi's program itself (AgentSession, InteractiveMode, the selector
 * components, …) are stubs (stubs.ts); the UI pieces for custom components are in ../agent-ui.ts.
 */
import type { AgentMessage, AgentTool } from "../../agent/types.ts";
import type { Message } from "../../ai/types.ts";
import { agentDir, CONFIG_DIR_NAME } from "../../config/paths.ts";
import { readmePath } from "../../docs/readme.ts";
import { parseFrontmatter } from "../../resources/frontmatter.ts";
import { serializeConversation } from "../../session/compaction/serialize.ts";
import { calculateContextTokens, estimateTokens, shouldCompact } from "../../session/compaction/tokens.ts";
import { DEFAULT_COMPACTION_SETTINGS } from "../../session/compaction/types.ts";
import { convertToLlm } from "../../session/convert-to-llm.ts";
import { CURRENT_SESSION_VERSION } from "../../session/types.ts";
import { withFileMutationQueue } from "../../tools/file-mutation-queue.ts";
import { createBuiltinTools, TOOL_PROMPT_GUIDELINES, TOOL_PROMPT_SNIPPETS } from "../../tools/registry.ts";
import {
	localBashOperations,
	runnerFromOperations,
	runnerWithSpawnHook,
	type ShellRunner,
} from "../../tools/shell-runners.ts";
import {
	DEFAULT_MAX_BYTES,
	DEFAULT_MAX_LINES,
	formatSize,
	truncateHead,
	truncateLine,
	truncateTail,
} from "../../tools/truncate.ts";
import { languageFromPath } from "../../tui/components/languages.ts";
import { defaultMarkdownTheme } from "../../tui/components/markdown.ts";
import { VERSION } from "../../version.ts";
import {
	BorderedLoader,
	CustomEditor,
	DynamicBorder,
	getSelectListTheme,
	getSettingsListTheme,
	keyHint,
	keyText,
	rawKeyHint,
} from "../agent-ui.ts";
import { ExtensionEventBus } from "../event-bus.ts";
import { completeModule, UnsupportedExtensionApiError } from "./stubs.ts";

const TOOL_NAMES = ["read", "bash", "edit", "write", "grep", "find", "ls"] as const;
type ToolName = (typeof TOOL_NAMES)[number];

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** pi's bash tool options `operations` (run elsewhere) and `spawnHook` (adjust command, cwd, env), checked. */
function bashRunner(options: Record<string, unknown>): ShellRunner | undefined {
	const { operations, spawnHook } = options;
	if (isRecord(operations)) {
		const exec = operations.exec;
		if (typeof exec !== "function") throw new TypeError('bash tool option "operations" needs an exec() function');
		return runnerFromOperations({
			exec: async (command, cwd, execOptions) => {
				const result: unknown = await exec.call(operations, command, cwd, execOptions);
				const exitCode = isRecord(result) ? result.exitCode : undefined;
				return { exitCode: typeof exitCode === "number" ? exitCode : null };
			},
		});
	}
	if (typeof spawnHook !== "function") return undefined;
	return runnerWithSpawnHook((context) => {
		const spawned: unknown = spawnHook(context);
		if (!isRecord(spawned) || typeof spawned.command !== "string" || typeof spawned.cwd !== "string") {
			throw new TypeError("bash spawnHook must return { command, cwd, env }");
		}
		const env = isRecord(spawned.env)
			? Object.fromEntries(
					Object.entries(spawned.env).filter((entry): entry is [string, string] => typeof entry[1] === "string"),
				)
			: context.env;
		return { command: spawned.command, cwd: spawned.cwd, env };
	});
}

/** One of our built-in tools, for `cwd`. Options pi's tools take that we cannot honour fail loudly. */
function builtinTool(name: ToolName, cwd: unknown, options: unknown): AgentTool {
	if (typeof cwd !== "string") throw new TypeError(`create${name}Tool() needs the working directory`);
	const opts = isRecord(options) ? options : {};
	// Only the bash tool can run elsewhere yet; the file tools' operations (remote read/write/edit) cannot.
	if (name !== "bash" && opts.operations !== undefined) {
		throw new UnsupportedExtensionApiError("pi-coding-agent", `${name} tool option "operations"`);
	}
	const tool = createBuiltinTools(cwd, {
		shellPath: typeof opts.shellPath === "string" ? opts.shellPath : undefined,
		shellCommandPrefix: typeof opts.commandPrefix === "string" ? opts.commandPrefix : undefined,
		bashRun: name === "bash" ? bashRunner(opts) : undefined,
	}).find(([toolName]) => toolName === name)?.[1];
	if (!tool) throw new Error(`no built-in tool ${name}`);
	return tool;
}

/** pi's AgentTool shape: what `createReadTool(cwd)` returns (execute without a context). */
function piAgentTool(name: ToolName) {
	return (cwd: unknown, options?: unknown) => {
		const tool = builtinTool(name, cwd, options);
		return {
			name: tool.name,
			label: tool.label,
			description: tool.description,
			parameters: tool.parameters,
			execute: (toolCallId: string, params: unknown, signal?: AbortSignal, onUpdate?: (partial: unknown) => void) =>
				tool.execute(toolCallId, tool.parseArgs(params), signal ?? new AbortController().signal, (partial) =>
					onUpdate?.(partial),
				),
		};
	};
}

/** pi's ToolDefinition shape: `createReadToolDefinition(cwd)`, ready for `pi.registerTool()`. */
function piToolDefinition(name: ToolName) {
	return (cwd: unknown, options?: unknown) => {
		const base = piAgentTool(name)(cwd, options);
		return {
			...base,
			promptSnippet: TOOL_PROMPT_SNIPPETS[name],
			promptGuidelines: TOOL_PROMPT_GUIDELINES[name] ? [...(TOOL_PROMPT_GUIDELINES[name] ?? [])] : undefined,
			execute: (toolCallId: string, params: unknown, signal?: AbortSignal, onUpdate?: (partial: unknown) => void) =>
				base.execute(toolCallId, params, signal, onUpdate),
		};
	};
}

function toolFactories(): Record<string, unknown> {
	const factories: Record<string, unknown> = {};
	for (const name of TOOL_NAMES) {
		const title = name.charAt(0).toUpperCase() + name.slice(1);
		factories[`create${title}Tool`] = piAgentTool(name);
		factories[`create${title}ToolDefinition`] = piToolDefinition(name);
	}
	factories.createCodingTools = (cwd: unknown, options?: unknown) =>
		(["read", "bash", "edit", "write"] as const).map((name) => piAgentTool(name)(cwd, options));
	factories.createReadOnlyTools = (cwd: unknown, options?: unknown) =>
		(["read", "grep", "find", "ls"] as const).map((name) => piAgentTool(name)(cwd, options));
	return factories;
}

function eventIs(toolName: string) {
	return (event: unknown) => isRecord(event) && event.toolName === toolName;
}

function stripFrontmatter(content: string): string {
	return parseFrontmatter(content).body;
}

let highlighter: ((code: string, language: string) => string[] | undefined) | undefined;
let highlighterLoading = false;

/**
 * pi's highlightCode is synchronous; the highlighter is big, so it is loaded on the first call and lines come back
 * uncoloured until it is there (a renderer draws again on the next frame).
 */
function highlightCode(code: string, language?: string): string[] {
	if (!highlighter && !highlighterLoading) {
		highlighterLoading = true;
		void import("../../tui/components/markdown-highlight.ts").then((module) => {
			highlighter = module.highlightCode;
		});
	}
	return (language && highlighter?.(code, language)) || code.split("\n");
}

export function buildCodingAgentModule(): Record<string, unknown> {
	return completeModule("pi-coding-agent", {
		VERSION,
		CONFIG_DIR_NAME,
		CURRENT_SESSION_VERSION,
		DEFAULT_MAX_BYTES,
		DEFAULT_MAX_LINES,
		DEFAULT_COMPACTION_SETTINGS,
		VIRTUAL_MODEL_STATE_ENTRY: "pi.virtual-model-state",
		getAgentDir: () => agentDir(),
		getReadmePath: () => readmePath(),
		getDocsPath: () => `${readmePath().replace(/README\.md$/, "")}docs`,
		getExamplesPath: () => `${readmePath().replace(/README\.md$/, "")}examples`,
		getPackageDir: () => readmePath().replace(/\/README\.md$/, ""),
		defineTool: (tool: unknown) => tool,
		createLocalBashOperations: () => localBashOperations(),
		isToolCallEventType: (toolName: string, event: unknown) => eventIs(toolName)(event),
		isBashToolResult: eventIs("bash"),
		isPowerShellToolResult: eventIs("powershell"),
		isReadToolResult: eventIs("read"),
		isEditToolResult: eventIs("edit"),
		isWriteToolResult: eventIs("write"),
		isGrepToolResult: eventIs("grep"),
		isFindToolResult: eventIs("find"),
		isLsToolResult: eventIs("ls"),
		truncateHead,
		truncateTail,
		truncateLine,
		formatSize,
		withFileMutationQueue,
		...toolFactories(),
		convertToLlm: (messages: AgentMessage[]) => convertToLlm(messages),
		serializeConversation: (messages: Message[]) => serializeConversation(messages),
		estimateTokens,
		calculateContextTokens,
		shouldCompact,
		parseFrontmatter,
		stripFrontmatter,
		createEventBus: () => {
			const bus = new ExtensionEventBus((channel, error) => {
				process.stderr.write(`Event handler error (${channel}): ${String(error)}\n`);
			});
			return { emit: bus.emit.bind(bus), on: bus.on.bind(bus), clear: bus.clear.bind(bus) };
		},
		getLanguageFromPath: (path: string) => languageFromPath(path),
		highlightCode,
		getMarkdownTheme: () => defaultMarkdownTheme(),
		keyText,
		keyHint,
		rawKeyHint,
		getSelectListTheme,
		getSettingsListTheme,
		CustomEditor,
		DynamicBorder,
		BorderedLoader,
	});
}
