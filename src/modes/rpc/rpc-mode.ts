/**
 * RPC mode (`--mode rpc`, pi 1.6.0's docs/rpc.md): commands as JSON lines on stdin, responses and session events as
 * JSON lines on stdout. Framing is LF only (a trailing CR is dropped), because JSON strings may contain
 * U+2028/U+2029. A malformed line (an empty one too, as pi) or unknown command gets an error response; ids are
 * echoed as given (numbers stay numbers); the process keeps serving until stdin closes, then aborts a run still
 * going (saving it), answers the commands already received and exits 0.
 */
import * as v from "valibot";
import type { AgentSession } from "../../agent/agent-session.ts";
import { THINKING_LEVELS } from "../../ai/types.ts";
import type { ExtensionHost } from "../../extensions/host.ts";
import { slashCommandsFor } from "../../resources/index.ts";
import { storedEntry, storedTree } from "../../session/unknown-entry.ts";
import { errorMessage } from "../../util/errors.ts";
import { flushStdout, writeEvent, writeJsonLine } from "../output.ts";
import {
	describeIssues,
	ExtensionUiResponseSchema,
	type RpcCommand,
	RpcCommandSchema,
	RpcEnvelopeSchema,
	type RpcResponse,
} from "./commands.ts";
import { RpcExtensionUi } from "./extension-ui.ts";

function ok(id: unknown, command: string, data?: unknown): RpcResponse {
	return data === undefined
		? { id, type: "response", command, success: true }
		: { id, type: "response", command, success: true, data };
}

function fail(id: unknown, command: string, error: string): RpcResponse {
	return { id, type: "response", command, success: false, error };
}

/** Splits a byte stream into LF-terminated lines, decoding UTF-8 across chunk boundaries. */
export async function* readJsonLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
	const decoder = new TextDecoder();
	let buffer = "";
	for await (const chunk of stream) {
		buffer += decoder.decode(chunk, { stream: true });
		let newline = buffer.indexOf("\n");
		while (newline !== -1) {
			const line = buffer.slice(0, newline);
			buffer = buffer.slice(newline + 1);
			yield line.endsWith("\r") ? line.slice(0, -1) : line;
			newline = buffer.indexOf("\n");
		}
	}
	buffer += decoder.decode();
	if (buffer.length > 0) yield buffer.endsWith("\r") ? buffer.slice(0, -1) : buffer;
}

/**
 * Runs one command. `send` writes a response at once: the prompt's acceptance must reach the client before the
 * run's first event (agent_start), as in pi, so it is sent from inside prompt() rather than returned.
 */
async function handleCommand(
	session: AgentSession,
	command: RpcCommand,
	send?: (response: RpcResponse) => void,
	extensions?: ExtensionHost,
): Promise<RpcResponse | undefined> {
	const id = command.id;
	switch (command.type) {
		case "prompt":
			// Answered as soon as the prompt is accepted, with what happened to it (pi 1.6.0: `disposition`); the run
			// then streams as events. A failure before that is the response; after it, it shows only in the events.
			return new Promise<RpcResponse | undefined>((resolve) => {
				let accepted = false;
				session
					.prompt(command.message, {
						images: command.images,
						streamingBehavior: command.streamingBehavior,
						source: "rpc",
						onAccepted: (disposition) => {
							accepted = true;
							const response = ok(id, "prompt", { disposition });
							if (!send) return resolve(response);
							send(response);
							resolve(undefined);
						},
					})
					.catch((error: unknown) => {
						if (!accepted) resolve(fail(id, "prompt", errorMessage(error)));
					});
			});
		case "steer":
			await session.steer(command.message, command.images);
			return ok(id, "steer", { disposition: "queued" });
		case "follow_up":
			await session.followUp(command.message, command.images);
			return ok(id, "follow_up", { disposition: "queued" });
		case "abort":
			await session.abort();
			return ok(id, "abort");
		case "clear_queue":
			return ok(id, "clear_queue", session.clearQueue());
		case "new_session":
			return ok(id, "new_session", await session.newSession(command.parentSession));
		case "get_state":
			return ok(id, "get_state", {
				model: session.model,
				thinkingLevel: session.thinkingLevel,
				isStreaming: session.isStreaming,
				isCompacting: session.isCompacting,
				steeringMode: session.steeringMode,
				followUpMode: session.followUpMode,
				sessionFile: session.sessionFile,
				sessionId: session.sessionId,
				sessionName: session.sessionName,
				autoCompactionEnabled: session.autoCompactionEnabled,
				messageCount: session.messages.length,
				pendingMessageCount: session.pendingMessageCount,
			});
		case "set_model": {
			const models = await session.modelRegistry.getAvailable();
			const model = models.find((m) => m.provider === command.provider && m.id === command.modelId);
			if (!model) return fail(id, "set_model", `Model not found: ${command.provider}/${command.modelId}`);
			await session.setModel(model);
			return ok(id, "set_model", model);
		}
		case "cycle_model":
			return ok(id, "cycle_model", (await session.cycleModel()) ?? null);
		case "get_available_models":
			return ok(id, "get_available_models", { models: await session.modelRegistry.getAvailable() });
		case "set_thinking_level": {
			// pi 1.6.0 clamps any value: an unknown level becomes the model's lowest (and nothing is saved as default).
			const requested = command.level;
			const known = THINKING_LEVELS.find((level) => level === requested);
			session.setThinkingLevel(known ?? session.getAvailableThinkingLevels()[0] ?? "off");
			return ok(id, "set_thinking_level");
		}
		case "cycle_thinking_level": {
			const level = session.cycleThinkingLevel();
			return ok(id, "cycle_thinking_level", level ? { level } : null);
		}
		case "get_available_thinking_levels":
			return ok(id, "get_available_thinking_levels", { levels: session.getAvailableThinkingLevels() });
		case "set_steering_mode":
			session.setSteeringMode(command.mode);
			return ok(id, "set_steering_mode");
		case "set_follow_up_mode":
			session.setFollowUpMode(command.mode);
			return ok(id, "set_follow_up_mode");
		case "compact":
			return ok(id, "compact", await session.compact(command.customInstructions));
		case "set_auto_compaction":
			session.setAutoCompactionEnabled(command.enabled);
			return ok(id, "set_auto_compaction");
		case "set_auto_retry":
			session.setAutoRetryEnabled(command.enabled);
			return ok(id, "set_auto_retry");
		case "abort_retry":
			session.abortRetry();
			return ok(id, "abort_retry");
		case "bash":
			// pi 1.6.0 streams the output as bash_execution_update events carrying the command's id.
			return ok(
				id,
				"bash",
				await session.executeBash(command.command, {
					excludeFromContext: command.excludeFromContext,
					onChunk: (delta) => writeJsonLine({ type: "bash_execution_update", id, delta }),
				}),
			);
		case "abort_bash":
			session.abortBash();
			return ok(id, "abort_bash");
		case "get_session_stats":
			return ok(id, "get_session_stats", session.getSessionStats());
		case "export_html": {
			const { exportAgentSessionToHtml } = await import("../../export/session-export.ts");
			return ok(id, "export_html", { path: exportAgentSessionToHtml(session, command.outputPath) });
		}
		case "switch_session":
			return ok(id, "switch_session", await session.switchSession(command.sessionPath));
		case "fork": {
			const result = await session.fork(command.entryId);
			return ok(id, "fork", { text: result.selectedText, cancelled: result.cancelled });
		}
		case "clone": {
			const result = await session.clone();
			if (!result) return fail(id, "clone", "Cannot clone session: no current entry selected");
			return ok(id, "clone", result);
		}
		case "get_fork_messages":
			return ok(id, "get_fork_messages", { messages: session.getUserMessagesForForking() });
		case "get_entries": {
			const manager = session.sessionManager;
			let entries = manager.getEntries();
			if (command.since !== undefined) {
				const index = entries.findIndex((entry) => entry.id === command.since);
				if (index === -1) return fail(id, "get_entries", `Entry not found: ${command.since}`);
				entries = entries.slice(index + 1);
			}
			return ok(id, "get_entries", { entries: entries.map(storedEntry), leafId: manager.getLeafId() });
		}
		case "get_tree":
			return ok(id, "get_tree", {
				tree: storedTree(session.sessionManager.getTree()),
				leafId: session.sessionManager.getLeafId(),
			});
		case "get_last_assistant_text":
			// pi 1.6.0: no text is `"data":{}` (its undefined text drops out of the JSON), not null.
			return ok(id, "get_last_assistant_text", { text: session.getLastAssistantText() });
		case "set_session_name": {
			const name = command.name.trim();
			if (!name) return fail(id, "set_session_name", "Session name cannot be empty");
			session.setSessionName(name);
			return ok(id, "set_session_name");
		}
		case "get_messages":
			return ok(id, "get_messages", { messages: session.messages });
		case "get_commands": {
			// Extension commands, then prompt templates, then skills as `skill:<name>` (pi's order).
			const fromExtensions = (extensions?.currentRunner.getCommands() ?? []).map((command) => ({
				name: command.invocationName,
				description: command.description,
				source: "extension",
				sourceInfo: command.sourceInfo,
			}));
			const resources = slashCommandsFor(session.resources).map(({ name, description, source, sourceInfo }) => ({
				name,
				description,
				source,
				sourceInfo,
			}));
			return ok(id, "get_commands", { commands: [...fromExtensions, ...resources] });
		}
	}
}

/** Parse one input line and answer it. Never throws: every problem becomes an error response. */
async function handleLine(
	session: AgentSession,
	line: string,
	send?: (response: RpcResponse) => void,
	extensions?: { host: ExtensionHost; ui: RpcExtensionUi },
): Promise<RpcResponse | undefined> {
	let parsed: unknown;
	try {
		parsed = JSON.parse(line);
	} catch (error) {
		return fail(undefined, "parse", `Failed to parse command: ${errorMessage(error)}`);
	}
	// Answers to extensions' dialogs (pi's extension-UI sub-protocol); without extensions nobody asked.
	if (extensions?.ui.handleResponse(parsed) || v.is(ExtensionUiResponseSchema, parsed)) return undefined;
	const envelope = v.safeParse(RpcEnvelopeSchema, parsed);
	if (!envelope.success) return fail(undefined, "parse", 'Failed to parse command: a command needs a string "type"');
	const result = v.safeParse(RpcCommandSchema, parsed);
	if (!result.success) {
		const known = RpcCommandSchema.options.some((option) => option.entries.type.literal === envelope.output.type);
		if (!known) return fail(envelope.output.id, envelope.output.type, `Unknown command: ${envelope.output.type}`);
		return fail(envelope.output.id, envelope.output.type, `Invalid command: ${describeIssues(result.issues)}`);
	}
	try {
		return await handleCommand(session, result.output, send, extensions?.host);
	} catch (error) {
		return fail(result.output.id, result.output.type, errorMessage(error));
	}
}

export interface RpcModeOptions {
	extensions?: ExtensionHost;
}

export async function runRpcMode(session: AgentSession, options: RpcModeOptions = {}): Promise<number> {
	const unsubscribe = session.subscribe((event) => writeEvent(event));
	const pending = new Set<Promise<void>>();
	let exiting = false;
	const shutdown = async (code: number) => {
		if (exiting) return;
		exiting = true;
		unsubscribe();
		await session.abort().catch(() => {});
		await options.extensions?.shutdown();
		await flushStdout();
		process.exit(code);
	};
	process.on("SIGTERM", () => void shutdown(143));
	process.on("SIGHUP", () => void shutdown(129));
	// ctx.shutdown() from an extension: at once when idle, else once the running commands are done (pi).
	let shutdownRequested = false;
	const shutdownWhenIdle = () => {
		if (shutdownRequested && pending.size === 0 && !session.isStreaming) void shutdown(0);
	};
	const offSettled = session.subscribe((event) => {
		if (event.type === "agent_end" && shutdownRequested) void session.waitForIdle().then(shutdownWhenIdle);
	});
	const extensions = options.extensions
		? await startExtensions(options.extensions, () => {
				shutdownRequested = true;
				setImmediate(shutdownWhenIdle);
			})
		: undefined;
	for await (const line of readJsonLines(Bun.stdin.stream())) {
		// Commands run concurrently (abort must get through while a prompt runs); responses keep their ids.
		const task = handleLine(session, line, writeJsonLine, extensions).then((response) => {
			if (response) writeJsonLine(response);
		});
		pending.add(task);
		void task.finally(() => {
			pending.delete(task);
			shutdownWhenIdle();
		});
	}
	// stdin closed: the client is gone, so nobody would see (or stop) a run that goes on — pi shuts down here too.
	// The run is aborted and its answer so far saved as "aborted"; commands already received still get answers.
	// Extension dialogs still open can no longer be answered: they resolve as cancelled.
	extensions?.ui.cancelAll();
	await stopUnattendedWork(session);
	await Promise.all(pending);
	await stopUnattendedWork(session);
	unsubscribe();
	offSettled();
	await options.extensions?.shutdown();
	await flushStdout();
	return 0;
}

async function stopUnattendedWork(session: AgentSession): Promise<void> {
	session.abortBash();
	await session.abort().catch(() => {});
}

/** Extensions in RPC mode: dialogs through the client, errors as `extension_error` events, then session_start. */
async function startExtensions(
	host: ExtensionHost,
	requestShutdown: () => void,
): Promise<{ host: ExtensionHost; ui: RpcExtensionUi }> {
	const ui = new RpcExtensionUi(writeJsonLine);
	host.attachMode({ ui: ui.context(), hasUI: true, shutdown: requestShutdown });
	host.onError((error) =>
		writeJsonLine({
			type: "extension_error",
			extensionPath: error.extensionPath,
			event: error.event,
			error: error.error,
		}),
	);
	await host.start("startup");
	return { host, ui };
}
