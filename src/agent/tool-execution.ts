/**
 * Running one assistant message's tool calls (pi 1.6.0's agent-loop), and the one path every tool call takes,
 * whoever makes it: the model, or a running tool (codemode scripts, an extension's `ctx.executeTool()`).
 *
 * Each call is announced, the tool may prepare its arguments (`prepareArguments`), they are validated, the
 * `beforeToolCall` hook may block the call or edit the arguments in place (extensions' `tool_call`), the tool runs,
 * and the `afterToolCall` hook may patch the result (`tool_result`). Results become toolResult messages in the
 * order the model asked. Calls run all at once in parallel mode, one after another in sequential mode (the setting,
 * or a tool of the batch that asks for it). A call that never ran (unknown tool, bad arguments, blocked, aborted
 * before it started) gets an error result without `durationMs`; once aborted, calls not yet started report
 * "Operation aborted". After a `length` stop no call runs: its arguments may be cut off. A batch whose every result
 * asks to `terminate` ends the run. Nothing here throws for a tool's (or a hook's) failure.
 */
import type { ToolCall, ToolResultMessage } from "../ai/types.ts";
import { errorMessage } from "../util/errors.ts";
import type { AgentEvent, AgentTool, AgentToolResult } from "./types.ts";

export type ToolExecutionMode = "parallel" | "sequential";

/** Listeners may be async; the loop waits for them so events stay in order. */
export type Emit = (event: AgentEvent) => Promise<void> | void;

export interface FinishedCall {
	toolCall: ToolCall;
	result: AgentToolResult;
	isError: boolean;
	/** Only for calls whose tool actually ran. */
	durationMs?: number;
}

export interface ToolCallHookInput {
	toolCall: ToolCall;
	/** The validated arguments; a hook may change them in place and the tool then runs with the changes. */
	args: Record<string, unknown>;
	/** Set when another tool made this call. */
	parentToolCallId?: string;
}

export interface BeforeToolCallResult {
	block?: boolean;
	reason?: string;
	/** A blocked call may ask the agent to stop after this batch (only when every result of the batch agrees). */
	terminate?: boolean;
}

/** Fields left undefined keep the tool's value. */
export interface AfterToolCallResult {
	content?: AgentToolResult["content"];
	details?: unknown;
	isError?: boolean;
	terminate?: boolean;
}

/** What runs around every tool call (extensions' tool_call / tool_result). */
export interface ToolHooks {
	beforeToolCall?(input: ToolCallHookInput, signal: AbortSignal): Promise<BeforeToolCallResult | undefined>;
	afterToolCall?(
		input: ToolCallHookInput & { result: AgentToolResult; isError: boolean },
		signal: AbortSignal,
	): Promise<AfterToolCallResult | undefined>;
}

/** Events of a call made by a running tool (codemode) name the call that made it. */
type Parent = { parentToolCallId?: string };

/** A call that passed every check before execution; `hookArgs` is the object the hooks saw. */
type PreparedCall =
	| { kind: "finished"; call: FinishedCall }
	| { kind: "ready"; tool: AgentTool; args: unknown; hookArgs: Record<string, unknown> };

interface CallOptions {
	hooks?: ToolHooks;
	signal: AbortSignal;
	parent: Parent;
}

export const OPERATION_ABORTED = "Operation aborted";

function errorResult(message: string): AgentToolResult {
	return { content: [{ type: "text", text: message }], details: {} };
}

function finishedWithError(toolCall: ToolCall, message: string): FinishedCall {
	return { toolCall, result: errorResult(message), isError: true };
}

function isArgumentRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Find the tool, prepare and validate its arguments, ask the before hook; failures become error results the model
 * can read. Arguments that were not valid JSON (cut off, malformed) never run the tool: a `write` would save half a
 * file (pi 1.6.0's wording).
 */
async function prepareCall(
	toolCall: ToolCall,
	toolsByName: ReadonlyMap<string, AgentTool>,
	{ hooks, signal, parent }: CallOptions,
): Promise<PreparedCall> {
	if (signal.aborted) return { kind: "finished", call: finishedWithError(toolCall, OPERATION_ABORTED) };
	if (toolCall.argumentsError) {
		const message = `Invalid arguments for tool "${toolCall.name}": ${toolCall.argumentsError}`;
		return { kind: "finished", call: finishedWithError(toolCall, message) };
	}
	const tool = toolsByName.get(toolCall.name);
	if (!tool) return { kind: "finished", call: finishedWithError(toolCall, `Tool ${toolCall.name} not found`) };
	try {
		const raw = tool.prepareArguments ? tool.prepareArguments(toolCall.arguments) : toolCall.arguments;
		const args = tool.parseArgs(raw);
		// Hooks see (and may edit) a plain object; a tool whose arguments are not an object gets them unchanged.
		const hookArgs = isArgumentRecord(args) ? args : { ...toolCall.arguments };
		if (hooks?.beforeToolCall) {
			const before = await hooks.beforeToolCall({ toolCall, args: hookArgs, ...parent }, signal);
			if (signal.aborted) return { kind: "finished", call: finishedWithError(toolCall, OPERATION_ABORTED) };
			if (before?.block) {
				const call = finishedWithError(toolCall, before.reason || "Tool execution was blocked");
				if (before.terminate) call.result.terminate = true;
				return { kind: "finished", call };
			}
		}
		return { kind: "ready", tool, args: isArgumentRecord(args) ? hookArgs : args, hookArgs };
	} catch (error) {
		return { kind: "finished", call: finishedWithError(toolCall, errorMessage(error)) };
	}
}

async function runTool(
	toolCall: ToolCall,
	prepared: Extract<PreparedCall, { kind: "ready" }>,
	emit: Emit,
	{ hooks, signal, parent }: CallOptions,
	/** Also told each partial result (an extension's ctx.executeTool onUpdate). */
	onPartial?: (partialResult: AgentToolResult) => void,
): Promise<FinishedCall> {
	const updates: Promise<void>[] = [];
	let acceptingUpdates = true;
	const onUpdate = (partialResult: AgentToolResult): void => {
		if (!acceptingUpdates) return;
		onPartial?.(partialResult);
		updates.push(
			Promise.resolve(
				emit({
					type: "tool_execution_update",
					toolCallId: toolCall.id,
					toolName: toolCall.name,
					args: toolCall.arguments,
					partialResult,
					...parent,
				}),
			),
		);
	};
	const startedAt = performance.now();
	let call: FinishedCall;
	try {
		const result = await prepared.tool.execute(toolCall.id, prepared.args, signal, onUpdate);
		const durationMs = Math.round(performance.now() - startedAt);
		acceptingUpdates = false;
		await Promise.all(updates);
		// A tool may report a failure without throwing (its structured result stays for codemode scripts).
		call = { toolCall, result, isError: result.isError === true, durationMs };
	} catch (error) {
		const durationMs = Math.round(performance.now() - startedAt);
		acceptingUpdates = false;
		await Promise.allSettled(updates);
		call = { toolCall, result: errorResult(errorMessage(error)), isError: true, durationMs };
	}
	return hooks?.afterToolCall ? applyAfterHook(call, prepared.hookArgs, hooks.afterToolCall, signal, parent) : call;
}

async function applyAfterHook(
	call: FinishedCall,
	args: Record<string, unknown>,
	afterToolCall: NonNullable<ToolHooks["afterToolCall"]>,
	signal: AbortSignal,
	parent: Parent,
): Promise<FinishedCall> {
	try {
		const after = await afterToolCall(
			{ toolCall: call.toolCall, args, ...parent, result: call.result, isError: call.isError },
			signal,
		);
		if (!after) return call;
		const result: AgentToolResult = {
			...call.result,
			content: after.content ?? call.result.content,
			details: after.details !== undefined ? after.details : call.result.details,
		};
		const terminate = after.terminate ?? call.result.terminate;
		if (terminate !== undefined) result.terminate = terminate;
		return { ...call, result, isError: after.isError ?? call.isError };
	} catch (error) {
		return { ...call, result: errorResult(errorMessage(error)), isError: true };
	}
}

function emitStart(toolCall: ToolCall, emit: Emit, parent: Parent = {}): Promise<void> | void {
	return emit({
		type: "tool_execution_start",
		toolCallId: toolCall.id,
		toolName: toolCall.name,
		args: toolCall.arguments,
		...parent,
	});
}

function emitEnd(call: FinishedCall, emit: Emit, parent: Parent = {}): Promise<void> | void {
	return emit({
		type: "tool_execution_end",
		toolCallId: call.toolCall.id,
		toolName: call.toolCall.name,
		result: call.result,
		isError: call.isError,
		...(call.durationMs === undefined ? {} : { durationMs: call.durationMs }),
		...parent,
	});
}

async function emitResultMessage(call: FinishedCall, emit: Emit): Promise<ToolResultMessage> {
	const message: ToolResultMessage = {
		role: "toolResult",
		toolCallId: call.toolCall.id,
		toolName: call.toolCall.name,
		content: call.result.content,
		details: call.result.details,
		isError: call.isError,
		...(call.durationMs === undefined ? {} : { durationMs: call.durationMs }),
		timestamp: Date.now(),
	};
	await emit({ type: "message_start", message });
	await emit({ type: "message_end", message });
	return message;
}

/** After a `length` stop every call may carry cut-off arguments: none runs, each is reported as an error. */
export async function failTruncatedToolCalls(toolCalls: ToolCall[], emit: Emit): Promise<ToolResultMessage[]> {
	const results: ToolResultMessage[] = [];
	for (const toolCall of toolCalls) {
		await emitStart(toolCall, emit);
		const call = finishedWithError(
			toolCall,
			`Tool call "${toolCall.name}" was not executed: the response hit the output token limit, so its arguments may be truncated. Re-issue the tool call with complete arguments.`,
		);
		await emitEnd(call, emit);
		results.push(await emitResultMessage(call, emit));
	}
	return results;
}

/** pi's rule: a batch ends the run early only when every one of its results asks to terminate. */
function shouldTerminate(calls: readonly FinishedCall[]): boolean {
	return calls.length > 0 && calls.every((call) => call.result.terminate === true);
}

/**
 * Parallel (pi's default): calls are prepared in order (validation and `beforeToolCall` one at a time), then all
 * run at once; `tool_execution_end` is emitted as each finishes, and the result messages follow in the order the
 * model asked for them. Sequential: prepare, run and report one call at a time.
 */
export async function executeToolCalls(
	toolCalls: ToolCall[],
	tools: readonly AgentTool[],
	mode: ToolExecutionMode,
	emit: Emit,
	signal: AbortSignal,
	hooks?: ToolHooks,
): Promise<{ results: ToolResultMessage[]; terminate: boolean }> {
	const toolsByName = new Map(tools.map((tool) => [tool.name, tool]));
	const options: CallOptions = { hooks, signal, parent: {} };
	const results: ToolResultMessage[] = [];
	const sequential =
		mode === "sequential" || toolCalls.some((call) => toolsByName.get(call.name)?.executionMode === "sequential");
	if (sequential) {
		const finished: FinishedCall[] = [];
		for (const toolCall of toolCalls) {
			await emitStart(toolCall, emit);
			const prepared = await prepareCall(toolCall, toolsByName, options);
			const call = prepared.kind === "finished" ? prepared.call : await runTool(toolCall, prepared, emit, options);
			await emitEnd(call, emit);
			finished.push(call);
			results.push(await emitResultMessage(call, emit));
		}
		return { results, terminate: shouldTerminate(finished) };
	}

	const calls: (FinishedCall | (() => Promise<FinishedCall>))[] = [];
	for (const toolCall of toolCalls) {
		await emitStart(toolCall, emit);
		const prepared = await prepareCall(toolCall, toolsByName, options);
		if (prepared.kind === "finished") {
			await emitEnd(prepared.call, emit);
			calls.push(prepared.call);
			continue;
		}
		calls.push(async () => {
			const call = signal.aborted
				? finishedWithError(toolCall, OPERATION_ABORTED)
				: await runTool(toolCall, prepared, emit, options);
			await emitEnd(call, emit);
			return call;
		});
	}
	const finished = await Promise.all(calls.map((call) => (typeof call === "function" ? call() : call)));
	for (const call of finished) results.push(await emitResultMessage(call, emit));
	return { results, terminate: shouldTerminate(finished) };
}

/**
 * A tool call made by a running tool (a codemode script, an extension's ctx.executeTool): found, validated, gated
 * and run exactly like the model's own calls, with events that name the calling tool call.
 */
export async function runNestedToolCall(
	toolCall: ToolCall,
	tools: ReadonlyMap<string, AgentTool>,
	parentToolCallId: string,
	emit: Emit,
	signal: AbortSignal,
	hooks?: ToolHooks,
	onUpdate?: (partialResult: AgentToolResult) => void,
): Promise<FinishedCall> {
	const options: CallOptions = { hooks, signal, parent: { parentToolCallId } };
	await emitStart(toolCall, emit, options.parent);
	const prepared = await prepareCall(toolCall, tools, options);
	const call =
		prepared.kind === "finished" ? prepared.call : await runTool(toolCall, prepared, emit, options, onUpdate);
	await emitEnd(call, emit, options.parent);
	return call;
}
