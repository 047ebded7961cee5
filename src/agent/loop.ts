/**
 * The agent loop (pi 1.6.0 semantics): stream an assistant answer, run the tools it asks for, feed the results back,
 * and repeat until the model stops asking for tools. Queued steering messages are injected between turns;
 * follow-ups only when the loop would otherwise end. The loop works on its own copy of the message list and reports
 * everything through `emit`; the Agent owns the persistent state.
 *
 * The prompt and tools travel in the transcript (src/ai/transcript.ts): before each request, what changed is
 * recorded as a `role: "system"` message — the sections patch the caller supplies (`prepareNextTurn`, or one
 * prepended to the prompt) plus `toolsAdded`/`toolsRemoved` between the transcript's tools and the executable ones
 * (`declareToolChanges`). Providers then get the replayed prompt and tools (`toProviderContext`).
 */
import { mergeHeaders } from "../ai/providers/options.ts";
import { getCurrentTools, getToolStateChanges, type ToolStateChanges, toProviderContext } from "../ai/transcript.ts";
import type {
	AssistantMessage,
	Message,
	Model,
	ProviderHeaders,
	RequestAuth,
	StreamFunction,
	StreamOptions,
	SystemMessage,
	ThinkingLevel,
	ToolCall,
	ToolResultMessage,
} from "../ai/types.ts";
import {
	type Emit,
	executeToolCalls,
	failTruncatedToolCalls,
	type ToolExecutionMode,
	type ToolHooks,
} from "./tool-execution.ts";
import type { AgentMessage, AgentTool } from "./types.ts";

export type { Emit, FinishedCall, ToolExecutionMode, ToolHooks } from "./tool-execution.ts";
export { runNestedToolCall } from "./tool-execution.ts";

export interface LoopContext {
	/** The loop appends to this array; pass a copy. */
	messages: AgentMessage[];
	/** The executable tools at the start of the run (`getTools` refreshes them per turn). */
	tools: AgentTool[];
}

export interface LoopConfig {
	model: Model;
	thinkingLevel: ThinkingLevel;
	streamFn: StreamFunction;
	convertToLlm: (messages: AgentMessage[]) => (Message | SystemMessage)[];
	/** Asked before every model call, so refreshed credentials are picked up mid-run. */
	getApiKey: (provider: string) => Promise<string | undefined>;
	getRequestAuth?: (model: Model) => Promise<RequestAuth | undefined>;
	/** Options for every model call; apiKey and signal are filled in per call. */
	streamOptions: StreamOptions;
	toolExecution: ToolExecutionMode;
	getSteeringMessages: () => AgentMessage[];
	getFollowUpMessages: () => AgentMessage[];
	/** The executable tools before each turn after the first (tools switched on or off mid-run take effect). */
	getTools?: () => AgentTool[];
	/** Before each turn after the first: the system message that updates the prompt, if it changed. */
	prepareNextTurn?: (messages: readonly AgentMessage[]) => SystemMessage | undefined;
	/** One request's view of the transcript (not recorded): forced prompt, hidden declarations. */
	projectRequest?: (messages: AgentMessage[]) => AgentMessage[];
	/** Extensions' `tool_call` / `tool_result`, around every tool call (tool-execution.ts). */
	toolHooks?: ToolHooks;
	/** Extensions' `context`: may rewrite the messages of each request (never the stored transcript). */
	transformContext?: (messages: AgentMessage[], signal: AbortSignal) => Promise<AgentMessage[]>;
	/**
	 * Extensions' `before_provider_headers`: once per model call (SDK retries reuse the result), sees the model's and
	 * the call's headers merged and returns those to send; `null` removes a header.
	 */
	transformHeaders?: (headers: ProviderHeaders) => Promise<ProviderHeaders>;
}

/** Run a new prompt: the prompt messages are announced, appended, and the loop starts. Returns the new messages. */
export async function runAgentLoop(
	prompts: AgentMessage[],
	context: LoopContext,
	config: LoopConfig,
	emit: Emit,
	signal: AbortSignal,
	options: { skipInitialSteeringPoll?: boolean } = {},
): Promise<AgentMessage[]> {
	const initial = declareToolChanges(context.messages, context.tools, prompts);
	const newMessages: AgentMessage[] = [...initial];
	context.messages.push(...initial);
	await emit({ type: "agent_start" });
	await emit({ type: "turn_start" });
	for (const message of initial) {
		await emit({ type: "message_start", message });
		await emit({ type: "message_end", message });
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
	let firstTurn = true;
	// The user may have typed while the run was starting.
	let pending = skipInitialSteeringPoll ? [] : config.getSteeringMessages();

	while (true) {
		let hasMoreToolCalls = true;
		while (hasMoreToolCalls || pending.length > 0) {
			let prepared: AgentMessage[] = [];
			if (firstTurn) {
				firstTurn = false;
			} else {
				if (config.getTools) context.tools = config.getTools();
				const update = config.prepareNextTurn?.(context.messages);
				if (update) prepared = [update];
				await emit({ type: "turn_start" });
			}

			for (const message of declareToolChanges(context.messages, context.tools, [...prepared, ...pending])) {
				await emit({ type: "message_start", message });
				await emit({ type: "message_end", message });
				context.messages.push(message);
				newMessages.push(message);
			}
			pending = [];

			const assistant = await streamAssistant(context, config, emit, signal);
			newMessages.push(assistant);
			if (assistant.stopReason === "error" || assistant.stopReason === "aborted") {
				await emit({ type: "turn_end", message: assistant, toolResults: [] });
				await emit({ type: "agent_end", messages: newMessages });
				return;
			}

			const toolCalls = assistant.content.filter((block): block is ToolCall => block.type === "toolCall");
			hasMoreToolCalls = toolCalls.length > 0;
			let toolResults: ToolResultMessage[] = [];
			if (toolCalls.length > 0 && assistant.stopReason === "length") {
				toolResults = await failTruncatedToolCalls(toolCalls, emit);
			} else if (toolCalls.length > 0) {
				const batch = await executeToolCalls(
					toolCalls,
					context.tools,
					config.toolExecution,
					emit,
					signal,
					config.toolHooks,
				);
				toolResults = batch.results;
				// Every result of the batch asked to stop: the model is not called again for it.
				if (batch.terminate) hasMoreToolCalls = false;
			}
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

const NO_CHANGES: ToolStateChanges = { toolsAdded: [], toolsRemoved: [] };

/** A copy of a system message with its tool fields replaced by `changes`; empty lists are left out. */
function withToolChanges(message: SystemMessage, { toolsAdded, toolsRemoved }: ToolStateChanges): SystemMessage {
	const { toolsAdded: _added, toolsRemoved: _removed, ...rest } = message;
	return {
		...rest,
		...(toolsAdded.length > 0 ? { toolsAdded } : {}),
		...(toolsRemoved.length > 0 ? { toolsRemoved } : {}),
	};
}

/**
 * Declares tool changes to the model (pi 1.6.0): the difference between the tools the transcript declares and the
 * executable ones becomes `toolsAdded`/`toolsRemoved` on the last pending system message (whose own tool fields are
 * replaced), or on a new system message placed before the first other pending message. Replaying the transcript
 * then always gives exactly the executable tools.
 */
export function declareToolChanges(
	committed: readonly AgentMessage[],
	tools: readonly AgentTool[],
	pending: AgentMessage[],
): AgentMessage[] {
	const systemIndex = pending.findLastIndex((message) => message.role === "system");
	const pendingSystem = pending[systemIndex];
	const system = pendingSystem?.role === "system" ? pendingSystem : undefined;
	const baseline = system
		? pending.map((message, index) => (index === systemIndex ? withToolChanges(system, NO_CHANGES) : message))
		: pending;
	// The tools as they are: only the fields a declaration has are compared, and the added ones copied (toToolDeclaration).
	const changes = getToolStateChanges(getCurrentTools([...committed, ...baseline]), tools);
	const unchanged = changes.toolsAdded.length === 0 && changes.toolsRemoved.length === 0;
	if (system) {
		if (unchanged && !system.toolsAdded?.length && !system.toolsRemoved?.length) return pending;
		return baseline.map((message, index) => (index === systemIndex ? withToolChanges(system, changes) : message));
	}
	if (unchanged) return pending;
	const update = withToolChanges({ role: "system", content: "", timestamp: Date.now() }, changes);
	const insertAt = pending.findIndex((message) => message.role !== "system");
	const index = insertAt === -1 ? pending.length : insertAt;
	return [...pending.slice(0, index), update, ...pending.slice(index)];
}

/** One model call. The partial message lives at the end of the loop's message list while it streams. */
async function streamAssistant(
	context: LoopContext,
	config: LoopConfig,
	emit: Emit,
	signal: AbortSignal,
): Promise<AssistantMessage> {
	// Extensions' `context` handlers first, then this request's projection (pi 1.6.0's order).
	const messages = config.transformContext ? await config.transformContext(context.messages, signal) : context.messages;
	const transcript = config.projectRequest ? config.projectRequest(messages) : messages;
	const providerContext = toProviderContext({ messages: config.convertToLlm(transcript) });
	const apiKey = (await config.getApiKey(config.model.provider)) || config.streamOptions.apiKey;
	const options: StreamOptions = { ...config.streamOptions, signal };
	if (apiKey !== undefined) options.apiKey = apiKey;
	const auth = await config.getRequestAuth?.(config.model);
	if (auth?.headers) options.headers = { ...options.headers, ...auth.headers };
	if (auth?.env) options.env = { ...auth.env, ...options.env };
	if (config.transformHeaders) {
		options.headers = await config.transformHeaders(mergeHeaders(config.model.headers, options.headers));
	}
	const stream = config.streamFn(config.model, providerContext, options);

	let started = false;
	for await (const event of stream) {
		if (event.type === "start") {
			started = true;
			context.messages.push(event.partial);
			// pi 1.6.0: a message still streaming says so.
			await emit({ type: "message_start", message: { ...event.partial, stopReason: "pending" } });
		} else if (event.type === "done" || event.type === "error") {
			break;
		} else if (started) {
			context.messages[context.messages.length - 1] = event.partial;
			// Key order as pi's: JSON-mode readers see assistantMessageEvent before message.
			await emit({ type: "message_update", assistantMessageEvent: event, message: { ...event.partial } });
		}
	}
	// pi 1.6.0 records the requested thinking level on every answer, whichever stream produced it.
	const final = Object.assign(await stream.result(), { thinkingLevel: config.thinkingLevel });
	if (started) {
		context.messages[context.messages.length - 1] = final;
	} else {
		context.messages.push(final);
		await emit({ type: "message_start", message: { ...final } });
	}
	await emit({ type: "message_end", message: final });
	return final;
}
