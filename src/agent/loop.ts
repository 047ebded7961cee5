/**
 * The agent loop (pi-spec §5.2–5.4, pi 0.73.1 semantics): stream an assistant answer, run the tools it asks for,
 * feed the results back, and repeat until the model stops asking for tools. Queued steering messages are injected
 * between turns; follow-ups only when the loop would otherwise end. The loop works on its own copy of the message
 * list and reports everything through `emit`; the Agent owns the persistent state.
 */
import type {
	AssistantMessage,
	Message,
	Model,
	RequestAuth,
	StreamFunction,
	StreamOptions,
	Tool,
	ToolCall,
	ToolResultMessage,
} from "../ai/types.ts";
import { errorMessage } from "../util/errors.ts";
import type { AgentEvent, AgentMessage, AgentTool, AgentToolResult } from "./types.ts";

export interface LoopContext {
	systemPrompt: string;
	/** The loop appends to this array; pass a copy. */
	messages: AgentMessage[];
	tools: AgentTool[];
}

export type ToolExecutionMode = "parallel" | "sequential";

export interface LoopConfig {
	model: Model;
	streamFn: StreamFunction;
	convertToLlm: (messages: AgentMessage[]) => Message[];
	/** Asked before every model call, so refreshed credentials are picked up mid-run. */
	getApiKey: (provider: string) => Promise<string | undefined>;
	getRequestAuth?: (model: Model) => Promise<RequestAuth | undefined>;
	/** Options for every model call; apiKey and signal are filled in per call. */
	streamOptions: StreamOptions;
	toolExecution: ToolExecutionMode;
	getSteeringMessages: () => AgentMessage[];
	getFollowUpMessages: () => AgentMessage[];
	/** The current tools, read before each model call; the array is replaced (not mutated) when they change. */
	getTools?: () => AgentTool[];
}

/** Listeners may be async; the loop waits for them so events stay in order. */
export type Emit = (event: AgentEvent) => Promise<void> | void;

/** Run a new prompt: the prompt messages are announced, appended, and the loop starts. Returns the new messages. */
export async function runAgentLoop(
	prompts: AgentMessage[],
	context: LoopContext,
	config: LoopConfig,
	emit: Emit,
	signal: AbortSignal,
	options: { skipInitialSteeringPoll?: boolean } = {},
): Promise<AgentMessage[]> {
	const newMessages: AgentMessage[] = [...prompts];
	context.messages.push(...prompts);
	await emit({ type: "agent_start" });
	await emit({ type: "turn_start" });
	for (const prompt of prompts) {
		await emit({ type: "message_start", message: prompt });
		await emit({ type: "message_end", message: prompt });
	}
	await runTurns(context, newMessages, config, emit, signal, options.skipInitialSteeringPoll === true);
	return newMessages;
}

/** Resume from the existing messages (retry): the last one must be a user or tool result message. */
export async function runAgentLoopContinue(
	context: LoopContext,
	config: LoopConfig,
	emit: Emit,
	signal: AbortSignal,
): Promise<AgentMessage[]> {
	const last = context.messages.at(-1);
	if (!last) throw new Error("Cannot continue: no messages in context");
	if (last.role === "assistant") throw new Error("Cannot continue from message role: assistant");
	const newMessages: AgentMessage[] = [];
	await emit({ type: "agent_start" });
	await emit({ type: "turn_start" });
	await runTurns(context, newMessages, config, emit, signal, false);
	return newMessages;
}

async function runTurns(
	context: LoopContext,
	newMessages: AgentMessage[],
	config: LoopConfig,
	emit: Emit,
	signal: AbortSignal,
	skipInitialSteeringPoll: boolean,
): Promise<void> {
	// The provider only needs the schema part of each tool. Rebuilt when the tool set changes during the run
	// (tool_search loads tools for the next model call, MCP servers connect).
	let currentTools = context.tools;
	let llmTools: Tool[] = [];
	let toolsByName = new Map<string, AgentTool>();
	const refreshTools = () => {
		currentTools = config.getTools?.() ?? currentTools;
		llmTools = currentTools.map((tool) => ({
			name: tool.name,
			description: tool.description,
			parameters: tool.parameters,
		}));
		toolsByName = new Map(currentTools.map((tool) => [tool.name, tool]));
	};
	refreshTools();
	let firstTurn = true;
	// The user may have typed while the run was starting.
	let pending = skipInitialSteeringPoll ? [] : config.getSteeringMessages();

	while (true) {
		let hasMoreToolCalls = true;
		while (hasMoreToolCalls || pending.length > 0) {
			if (firstTurn) firstTurn = false;
			else await emit({ type: "turn_start" });

			for (const message of pending) {
				await emit({ type: "message_start", message });
				await emit({ type: "message_end", message });
				context.messages.push(message);
				newMessages.push(message);
			}
			pending = [];

			if (config.getTools && config.getTools() !== currentTools) refreshTools();
			const assistant = await streamAssistant(context, llmTools, config, emit, signal);
			newMessages.push(assistant);
			if (assistant.stopReason === "error" || assistant.stopReason === "aborted") {
				await emit({ type: "turn_end", message: assistant, toolResults: [] });
				await emit({ type: "agent_end", messages: newMessages });
				return;
			}

			const toolCalls = assistant.content.filter((block): block is ToolCall => block.type === "toolCall");
			hasMoreToolCalls = toolCalls.length > 0;
			const toolResults =
				toolCalls.length > 0 ? await executeToolCalls(toolCalls, toolsByName, config.toolExecution, emit, signal) : [];
			for (const result of toolResults) {
				context.messages.push(result);
				newMessages.push(result);
			}
			await emit({ type: "turn_end", message: assistant, toolResults });
			pending = config.getSteeringMessages();
		}
		const followUps = config.getFollowUpMessages();
		if (followUps.length === 0) break;
		pending = followUps;
	}
	await emit({ type: "agent_end", messages: newMessages });
}

/** One model call. The partial message lives at the end of the loop's message list while it streams. */
async function streamAssistant(
	context: LoopContext,
	llmTools: Tool[],
	config: LoopConfig,
	emit: Emit,
	signal: AbortSignal,
): Promise<AssistantMessage> {
	const llmMessages = config.convertToLlm(context.messages);
	const apiKey = (await config.getApiKey(config.model.provider)) || config.streamOptions.apiKey;
	const options: StreamOptions = { ...config.streamOptions, signal };
	if (apiKey !== undefined) options.apiKey = apiKey;
	const auth = await config.getRequestAuth?.(config.model);
	if (auth?.headers) options.headers = { ...options.headers, ...auth.headers };
	if (auth?.env) options.env = { ...auth.env, ...options.env };
	const stream = config.streamFn(
		config.model,
		{ systemPrompt: context.systemPrompt, messages: llmMessages, tools: llmTools },
		options,
	);

	let started = false;
	for await (const event of stream) {
		if (event.type === "start") {
			started = true;
			context.messages.push(event.partial);
			await emit({ type: "message_start", message: { ...event.partial } });
		} else if (event.type === "done" || event.type === "error") {
			break;
		} else if (started) {
			context.messages[context.messages.length - 1] = event.partial;
			// Key order as pi's: JSON-mode readers see assistantMessageEvent before message.
			await emit({ type: "message_update", assistantMessageEvent: event, message: { ...event.partial } });
		}
	}
	const final = await stream.result();
	if (started) {
		context.messages[context.messages.length - 1] = final;
	} else {
		context.messages.push(final);
		await emit({ type: "message_start", message: { ...final } });
	}
	await emit({ type: "message_end", message: final });
	return final;
}

export interface FinishedCall {
	toolCall: ToolCall;
	result: AgentToolResult;
	isError: boolean;
}

type PreparedCall = { kind: "finished"; call: FinishedCall } | { kind: "ready"; tool: AgentTool; args: unknown };

function errorResult(message: string): AgentToolResult {
	return { content: [{ type: "text", text: message }], details: {} };
}

/** Find the tool and validate its arguments; failures become error results the model can read. */
function prepareCall(toolCall: ToolCall, toolsByName: ReadonlyMap<string, AgentTool>): PreparedCall {
	const tool = toolsByName.get(toolCall.name);
	if (!tool) {
		return {
			kind: "finished",
			call: { toolCall, result: errorResult(`Tool ${toolCall.name} not found`), isError: true },
		};
	}
	try {
		return { kind: "ready", tool, args: tool.parseArgs(toolCall.arguments) };
	} catch (error) {
		return { kind: "finished", call: { toolCall, result: errorResult(errorMessage(error)), isError: true } };
	}
}

async function runTool(
	toolCall: ToolCall,
	tool: AgentTool,
	args: unknown,
	emit: Emit,
	signal: AbortSignal,
	parent: { parentToolCallId?: string } = {},
): Promise<FinishedCall> {
	const updates: Promise<void>[] = [];
	const onUpdate = (partialResult: AgentToolResult): void => {
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
	try {
		const result = await tool.execute(toolCall.id, args, signal, onUpdate);
		await Promise.all(updates);
		return { toolCall, result, isError: result.isError === true };
	} catch (error) {
		await Promise.allSettled(updates);
		return { toolCall, result: errorResult(errorMessage(error)), isError: true };
	}
}

function emitEnd(call: FinishedCall, emit: Emit): Promise<void> | void {
	return emit({
		type: "tool_execution_end",
		toolCallId: call.toolCall.id,
		toolName: call.toolCall.name,
		result: call.result,
		isError: call.isError,
	});
}

function emitStart(toolCall: ToolCall, emit: Emit): Promise<void> | void {
	return emit({
		type: "tool_execution_start",
		toolCallId: toolCall.id,
		toolName: toolCall.name,
		args: toolCall.arguments,
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
		timestamp: Date.now(),
	};
	await emit({ type: "message_start", message });
	await emit({ type: "message_end", message });
	return message;
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
	await emit({
		type: "tool_execution_start",
		toolCallId: toolCall.id,
		toolName: toolCall.name,
		args: toolCall.arguments,
		...parent,
	});
	const prepared = prepareCall(toolCall, tools);
	const call =
		prepared.kind === "finished"
			? prepared.call
			: await runTool(toolCall, prepared.tool, prepared.args, emit, signal, parent);
	await emit({
		type: "tool_execution_end",
		toolCallId: toolCall.id,
		toolName: toolCall.name,
		result: call.result,
		isError: call.isError,
		...parent,
	});
	return call;
}

/**
 * Parallel (pi's default): calls are prepared in order, then all run at once; `tool_execution_end` is emitted as
 * each finishes, and the result messages follow in the order the model asked for them.
 * Sequential: prepare, run and report one call at a time.
 */
async function executeToolCalls(
	toolCalls: ToolCall[],
	toolsByName: Map<string, AgentTool>,
	mode: ToolExecutionMode,
	emit: Emit,
	signal: AbortSignal,
): Promise<ToolResultMessage[]> {
	const results: ToolResultMessage[] = [];
	if (mode === "sequential") {
		for (const toolCall of toolCalls) {
			await emitStart(toolCall, emit);
			const prepared = prepareCall(toolCall, toolsByName);
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
		const prepared = prepareCall(toolCall, toolsByName);
		if (prepared.kind === "finished") {
			await emitEnd(prepared.call, emit);
			calls.push(prepared.call);
		} else {
			calls.push(async () => {
				const call = await runTool(toolCall, prepared.tool, prepared.args, emit, signal);
				await emitEnd(call, emit);
				return call;
			});
		}
	}
	const finished = await Promise.all(calls.map((call) => (typeof call === "function" ? call() : call)));
	for (const call of finished) results.push(await emitResultMessage(call, emit));
	return results;
}
