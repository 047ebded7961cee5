/**
 * Agent: the stateful owner of one conversation (pi-spec §5.1). It holds the transcript, model and tools, runs the
 * loop for prompts and retries, keeps the steering / follow-up queues and tells subscribers about every event.
 */
import type {
	AssistantMessage,
	Message,
	Model,
	RequestAuth,
	StreamFunction,
	StreamOptions,
	SystemMessage,
	ThinkingLevel,
	ToolCall,
} from "../ai/types.ts";
import { emptyUsage } from "../ai/types.ts";
import { errorMessage, PiError } from "../util/errors.ts";
import {
	type Emit,
	type LoopConfig,
	runAgentLoop,
	runAgentLoopContinue,
	runNestedToolCall,
	type ToolExecutionMode,
} from "./loop.ts";
import type { FinishedCall, ToolHooks } from "./tool-execution.ts";
import type { AgentEvent, AgentMessage, AgentTool, AgentToolResult } from "./types.ts";

export type QueueMode = "all" | "one-at-a-time";

export interface AgentOptions {
	streamFn: StreamFunction;
	convertToLlm: (messages: AgentMessage[]) => (Message | SystemMessage)[];
	getApiKey: (provider: string) => Promise<string | undefined>;
	/**
	 * Per-request credentials besides the key: headers (models.json `authHeader: true` → Authorization: Bearer
	 * <key>) and provider settings stored with the credential (AWS_PROFILE, CLOUDFLARE_ACCOUNT_ID, …).
	 */
	getRequestAuth?: (model: Model) => Promise<RequestAuth | undefined>;
	sessionId?: string;
	/** Merged into every request. */
	streamOptions?: Partial<StreamOptions>;
	steeringMode?: QueueMode;
	followUpMode?: QueueMode;
	/** pi runs a turn's tool calls in parallel; "sequential" runs them one after another. */
	toolExecution?: ToolExecutionMode;
}

export interface AgentState {
	model: Model | undefined;
	thinkingLevel: ThinkingLevel;
	tools: AgentTool[];
	messages: AgentMessage[];
	isStreaming: boolean;
	/** The message being streamed (assistant partial, or a user/tool message between its start and end). */
	streamMessage: AgentMessage | null;
	/** Replaced (not mutated) on every change, so UIs can compare by identity. */
	pendingToolCalls: Set<string>;
	error?: string;
}

export type AgentListener = (event: AgentEvent) => void | Promise<void>;

/** FIFO of queued user messages; "one-at-a-time" hands out one message per poll. */
class MessageQueue {
	private items: AgentMessage[] = [];
	constructor(public mode: QueueMode) {}

	enqueue(message: AgentMessage): void {
		this.items.push(message);
	}
	get size(): number {
		return this.items.length;
	}
	peek(): AgentMessage[] {
		return this.items.slice();
	}
	drain(): AgentMessage[] {
		if (this.items.length === 0) return [];
		if (this.mode === "all") {
			const all = this.items;
			this.items = [];
			return all;
		}
		return this.items.splice(0, 1);
	}
	clear(): void {
		this.items = [];
	}
}

interface ActiveRun {
	controller: AbortController;
	done: Promise<void>;
}

export class Agent {
	readonly state: AgentState = {
		model: undefined,
		thinkingLevel: "off",
		tools: [],
		messages: [],
		isStreaming: false,
		streamMessage: null,
		pendingToolCalls: new Set(),
	};
	private readonly options: AgentOptions;
	private readonly listeners = new Set<AgentListener>();
	private readonly steeringQueue: MessageQueue;
	private readonly followUpQueue: MessageQueue;
	/** Sent with every request (provider-side caching); follows the session when it is replaced. */
	sessionId: string | undefined;
	/** Before each turn after the first: the system message updating the prompt, if it changed (AgentSession sets it). */
	prepareNextTurn: ((messages: readonly AgentMessage[]) => SystemMessage | undefined) | undefined;
	/** One request's view of the transcript, not recorded (forced prompt, hidden declarations). */
	projectRequest: ((messages: AgentMessage[]) => AgentMessage[]) | undefined;
	/** Run around every tool call (extensions' tool_call / tool_result); set by whoever loads extensions. */
	toolHooks: ToolHooks | undefined;
	/** Rewrites the messages of each model request (extensions' `context` event); the transcript is not changed. */
	transformContext: LoopConfig["transformContext"];
	/** May inspect or replace each request's payload before it is sent (extensions' `before_provider_request`). */
	onPayload: StreamOptions["onPayload"];
	/** May change each request's headers (extensions' `before_provider_headers`). */
	transformHeaders: LoopConfig["transformHeaders"];
	/** Told each HTTP response's status and headers (extensions' `after_provider_response`). */
	onResponse: StreamOptions["onResponse"];
	/**
	 * Asked at the start of each run for an observer of raw provider events (extensions' `provider_stream_event`);
	 * undefined when nobody listens, so streaming pays nothing.
	 */
	providerStreamObserver: (() => StreamOptions["onProviderStreamEvent"]) | undefined;
	private activeRun: ActiveRun | undefined;
	private readonly emitEvent: Emit = (event) => this.processEvent(event);

	constructor(options: AgentOptions) {
		this.options = options;
		this.sessionId = options.sessionId;
		this.steeringQueue = new MessageQueue(options.steeringMode ?? "one-at-a-time");
		this.followUpQueue = new MessageQueue(options.followUpMode ?? "one-at-a-time");
	}

	subscribe(listener: AgentListener): () => void {
		this.listeners.add(listener);
		return () => {
			this.listeners.delete(listener);
		};
	}

	// ------------------------------------------------------------------ state

	setModel(model: Model | undefined): void {
		this.state.model = model;
	}
	setThinkingLevel(level: ThinkingLevel): void {
		this.state.thinkingLevel = level;
	}
	setTools(tools: AgentTool[]): void {
		this.state.tools = tools.slice();
	}
	setSteeringMode(mode: QueueMode): void {
		this.steeringQueue.mode = mode;
	}
	setFollowUpMode(mode: QueueMode): void {
		this.followUpQueue.mode = mode;
	}
	replaceMessages(messages: AgentMessage[]): void {
		this.state.messages = messages.slice();
	}
	appendMessage(message: AgentMessage): void {
		this.state.messages.push(message);
	}

	// ----------------------------------------------------------------- queues

	/** Delivered after the current turn's tools finish, before the next model call. */
	steer(message: AgentMessage): void {
		this.steeringQueue.enqueue(message);
	}
	/** Delivered only when the agent would otherwise stop. */
	followUp(message: AgentMessage): void {
		this.followUpQueue.enqueue(message);
	}
	clearQueues(): void {
		this.steeringQueue.clear();
		this.followUpQueue.clear();
	}
	hasQueuedMessages(): boolean {
		return this.steeringQueue.size > 0 || this.followUpQueue.size > 0;
	}
	/** Steering, then follow-up messages still waiting (pi's peekQueuedMessages). */
	peekQueuedMessages(): AgentMessage[] {
		return [...this.steeringQueue.peek(), ...this.followUpQueue.peek()];
	}

	// ---------------------------------------------------------------- running

	/** Run the given messages as a new prompt; resolves after `agent_end` and its listeners. */
	prompt(messages: AgentMessage[]): Promise<void> {
		if (this.activeRun) {
			return Promise.reject(
				new PiError(
					"Agent is already processing a prompt. Use steer() or followUp() to queue messages, or wait for completion.",
				),
			);
		}
		const model = this.state.model;
		if (!model) return Promise.reject(new PiError("No model selected."));
		return this.run(model, (config, signal) => runAgentLoop(messages, this.snapshot(), config, this.emitEvent, signal));
	}

	/**
	 * Run again from the current messages (used for retries). When the last message is an assistant message,
	 * queued steering (then follow-up) messages are run as a new prompt instead.
	 */
	continue(): Promise<void> {
		if (this.activeRun) {
			return Promise.reject(new PiError("Agent is already processing. Wait for completion before continuing."));
		}
		const model = this.state.model;
		if (!model) return Promise.reject(new PiError("No model selected."));
		const last = this.state.messages.at(-1);
		// A transcript of only system messages (the prompt and tools) has nothing to continue from (pi 1.6.0).
		if (!last || this.state.messages.every((message) => message.role === "system")) {
			return Promise.reject(new PiError("No messages to continue from"));
		}
		if (last.role === "assistant") {
			const steering = this.steeringQueue.drain();
			if (steering.length > 0) {
				return this.run(model, (config, signal) =>
					runAgentLoop(steering, this.snapshot(), config, this.emitEvent, signal, { skipInitialSteeringPoll: true }),
				);
			}
			const followUps = this.followUpQueue.drain();
			if (followUps.length > 0) {
				return this.run(model, (config, signal) =>
					runAgentLoop(followUps, this.snapshot(), config, this.emitEvent, signal),
				);
			}
			return Promise.reject(new PiError("Cannot continue from message role: assistant"));
		}
		return this.run(model, (config, signal) => runAgentLoopContinue(this.snapshot(), config, this.emitEvent, signal));
	}

	/**
	 * Run a tool call on behalf of a running tool (codemode, an extension's ctx.executeTool) through the same tool
	 * pipeline and hooks as the model's calls, with events that name `parentToolCallId`.
	 */
	runNestedTool(
		toolCall: ToolCall,
		tools: ReadonlyMap<string, AgentTool>,
		parentToolCallId: string,
		signal: AbortSignal,
		onUpdate?: (partialResult: AgentToolResult) => void,
	): Promise<FinishedCall> {
		return runNestedToolCall(toolCall, tools, parentToolCallId, this.emitEvent, signal, this.toolHooks, onUpdate);
	}

	/** The running prompt's abort signal (extensions' ctx.signal); undefined while idle. */
	get signal(): AbortSignal | undefined {
		return this.activeRun?.controller.signal;
	}

	/** Cancel the model stream and signal running tools; the run then ends on its own. */
	abort(): void {
		this.activeRun?.controller.abort();
	}

	waitForIdle(): Promise<void> {
		return this.activeRun?.done ?? Promise.resolve();
	}

	/** Forget the transcript, queues and run state. */
	reset(): void {
		this.state.messages = [];
		this.state.isStreaming = false;
		this.state.streamMessage = null;
		this.state.pendingToolCalls = new Set();
		this.state.error = undefined;
		this.clearQueues();
	}

	private snapshot() {
		return {
			messages: this.state.messages.slice(),
			tools: this.state.tools.slice(),
		};
	}

	private loopConfig(model: Model): LoopConfig {
		const streamOptions: StreamOptions = { ...this.options.streamOptions };
		if (this.onPayload) streamOptions.onPayload = this.onPayload;
		if (this.onResponse) streamOptions.onResponse = this.onResponse;
		const observeStream = this.providerStreamObserver?.();
		if (observeStream) streamOptions.onProviderStreamEvent = observeStream;
		if (this.sessionId !== undefined) streamOptions.sessionId = this.sessionId;
		const level = this.state.thinkingLevel;
		if (level !== "off") streamOptions.reasoning = level;
		return {
			model,
			thinkingLevel: level,
			streamFn: this.options.streamFn,
			convertToLlm: this.options.convertToLlm,
			getApiKey: this.options.getApiKey,
			getRequestAuth: this.options.getRequestAuth,
			streamOptions,
			toolExecution: this.options.toolExecution ?? "parallel",
			getSteeringMessages: () => this.steeringQueue.drain(),
			getFollowUpMessages: () => this.followUpQueue.drain(),
			getTools: () => this.state.tools.slice(),
			prepareNextTurn: this.prepareNextTurn,
			projectRequest: this.projectRequest,
			toolHooks: this.toolHooks,
			transformContext: this.transformContext,
			transformHeaders: this.transformHeaders,
		};
	}

	/** Marks the agent busy synchronously (so a second prompt is refused), runs the loop and always settles. */
	private async run(
		model: Model,
		execute: (config: LoopConfig, signal: AbortSignal) => Promise<AgentMessage[]>,
	): Promise<void> {
		const controller = new AbortController();
		let settle = () => {};
		const done = new Promise<void>((resolve) => {
			settle = resolve;
		});
		this.activeRun = { controller, done };
		this.state.isStreaming = true;
		this.state.streamMessage = null;
		this.state.error = undefined;
		try {
			await execute(this.loopConfig(model), controller.signal);
		} catch (error) {
			await this.recordRunFailure(model, error, controller.signal.aborted);
		} finally {
			this.state.isStreaming = false;
			this.state.streamMessage = null;
			this.state.pendingToolCalls = new Set();
			this.activeRun = undefined;
			settle();
		}
	}

	/** A failure outside the model stream (a throwing listener, convertToLlm, getApiKey) still ends the run cleanly. */
	private async recordRunFailure(model: Model, error: unknown, aborted: boolean): Promise<void> {
		const failure: AssistantMessage = {
			role: "assistant",
			content: [{ type: "text", text: "" }],
			api: model.api,
			provider: model.provider,
			model: model.id,
			usage: emptyUsage(),
			stopReason: aborted ? "aborted" : "error",
			errorMessage: errorMessage(error),
			timestamp: Date.now(),
		};
		this.state.messages.push(failure);
		this.state.error = failure.errorMessage;
		try {
			await this.processEvent({ type: "agent_end", messages: [failure] });
		} catch {
			// The listener that failed the run may fail again; the failure is already recorded in state.
		}
	}

	/** Update state for the event, then notify listeners in subscription order. */
	private async processEvent(event: AgentEvent): Promise<void> {
		const state = this.state;
		switch (event.type) {
			case "message_start":
			case "message_update":
				state.streamMessage = event.message;
				break;
			case "message_end":
				state.streamMessage = null;
				state.messages.push(event.message);
				break;
			case "tool_execution_start":
				state.pendingToolCalls = new Set(state.pendingToolCalls).add(event.toolCallId);
				break;
			case "tool_execution_end": {
				const pending = new Set(state.pendingToolCalls);
				pending.delete(event.toolCallId);
				state.pendingToolCalls = pending;
				break;
			}
			case "turn_end":
				if (event.message.role === "assistant" && event.message.errorMessage) state.error = event.message.errorMessage;
				break;
			case "agent_end":
				state.streamMessage = null;
				break;
		}
		for (const listener of this.listeners) {
			const pending = listener(event);
			if (pending) await pending;
		}
	}
}
