/**
 * Running one assistant message's tool calls (pi 1.6.0's agent-loop): each call is announced, its arguments are
 * validated, it runs (all at once in parallel mode, one after another in sequential mode) and its result becomes a
 * toolResult message, in the order the model asked. A call that never ran (unknown tool, bad arguments, aborted
 * before it started) gets an error result without `durationMs`; once aborted, calls not yet started report
 * "Operation aborted". After a `length` stop no call runs: its arguments may be cut off.
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

/** Events of a call made by a running tool (codemode) name the call that made it. */
type Parent = { parentToolCallId?: string };

type PreparedCall = { kind: "finished"; call: FinishedCall } | { kind: "ready"; tool: AgentTool; args: unknown };

export const OPERATION_ABORTED = "Operation aborted";

function errorResult(message: string): AgentToolResult {
	return { content: [{ type: "text", text: message }], details: {} };
}

function finishedWithError(toolCall: ToolCall, message: string): FinishedCall {
	return { toolCall, result: errorResult(message), isError: true };
}

/**
 * Find the tool and validate its arguments; failures become error results the model can read. Arguments that were
 * not valid JSON (cut off, malformed) never run the tool: a `write` would save half a file (pi 1.6.0's wording).
 */
function prepareCall(
	toolCall: ToolCall,
	toolsByName: ReadonlyMap<string, AgentTool>,
	signal: AbortSignal,
): PreparedCall {
	if (signal.aborted) return { kind: "finished", call: finishedWithError(toolCall, OPERATION_ABORTED) };
	if (toolCall.argumentsError) {
		const message = `Invalid arguments for tool "${toolCall.name}": ${toolCall.argumentsError}`;
		return { kind: "finished", call: finishedWithError(toolCall, message) };
	}
	const tool = toolsByName.get(toolCall.name);
	if (!tool) return { kind: "finished", call: finishedWithError(toolCall, `Tool ${toolCall.name} not found`) };
	try {
		return { kind: "ready", tool, args: tool.parseArgs(toolCall.arguments) };
	} catch (error) {
		return { kind: "finished", call: finishedWithError(toolCall, errorMessage(error)) };
	}
}

async function runTool(
	toolCall: ToolCall,
	tool: AgentTool,
	args: unknown,
	emit: Emit,
	signal: AbortSignal,
	parent: Parent = {},
): Promise<FinishedCall> {
	const updates: Promise<void>[] = [];
	let acceptingUpdates = true;
	const onUpdate = (partialResult: AgentToolResult): void => {
		if (!acceptingUpdates) return;
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
	const elapsed = () => Math.round(performance.now() - startedAt);
	try {
		const result = await tool.execute(toolCall.id, args, signal, onUpdate);
		const durationMs = elapsed();
		acceptingUpdates = false;
		await Promise.all(updates);
		// A tool may report a failure without throwing (its structured result stays for codemode scripts).
		return { toolCall, result, isError: result.isError === true, durationMs };
	} catch (error) {
		const durationMs = elapsed();
		acceptingUpdates = false;
		await Promise.allSettled(updates);
		return { toolCall, result: errorResult(errorMessage(error)), isError: true, durationMs };
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

/**
 * Parallel (pi's default): calls are prepared in order, then all run at once; `tool_execution_end` is emitted as
 * each finishes, and the result messages follow in the order the model asked for them.
 * Sequential: prepare, run and report one call at a time.
 */
export async function executeToolCalls(
	toolCalls: ToolCall[],
	tools: readonly AgentTool[],
	mode: ToolExecutionMode,
	emit: Emit,
	signal: AbortSignal,
): Promise<ToolResultMessage[]> {
	const toolsByName = new Map(tools.map((tool) => [tool.name, tool]));
	const results: ToolResultMessage[] = [];
	if (mode === "sequential") {
		for (const toolCall of toolCalls) {
			await emitStart(toolCall, emit);
			const prepared = prepareCall(toolCall, toolsByName, signal);
			const call =
				prepared.kind === "finished"
					? prepared.call
					: await runTool(toolCall, prepared.tool, prepared.args, emit, signal);
			await emitEnd(call, emit);
			results.push(await emitResultMessage(call, emit));
		}
		return results;
	}

	const calls: (FinishedCall | (() => Promise<FinishedCall>))[] = [];
	for (const toolCall of toolCalls) {
		await emitStart(toolCall, emit);
		const prepared = prepareCall(toolCall, toolsByName, signal);
		if (prepared.kind === "finished") {
			await emitEnd(prepared.call, emit);
			calls.push(prepared.call);
			continue;
		}
		calls.push(async () => {
			const call = signal.aborted
				? finishedWithError(toolCall, OPERATION_ABORTED)
				: await runTool(toolCall, prepared.tool, prepared.args, emit, signal);
			await emitEnd(call, emit);
			return call;
		});
	}
	const finished = await Promise.all(calls.map((call) => (typeof call === "function" ? call() : call)));
	for (const call of finished) results.push(await emitResultMessage(call, emit));
	return results;
}

/**
 * A tool call made by a running tool (a codemode script): found, validated and run exactly like the model's own
 * calls, so the same checks apply, with events that name the calling tool call. Never throws for tool failures.
 */
export async function runNestedToolCall(
	toolCall: ToolCall,
	tools: ReadonlyMap<string, AgentTool>,
	parentToolCallId: string,
	emit: Emit,
	signal: AbortSignal,
): Promise<FinishedCall> {
	const parent = { parentToolCallId };
	await emitStart(toolCall, emit, parent);
	const prepared = prepareCall(toolCall, tools, signal);
	const call =
		prepared.kind === "finished"
			? prepared.call
			: await runTool(toolCall, prepared.tool, prepared.args, emit, signal, parent);
	await emitEnd(call, emit, parent);
	return call;
}
