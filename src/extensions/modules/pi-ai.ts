/**
 * `@earendil-works/pi-ai` (and `/compat`, and `@mariozechner/pi-ai`) as extensions see it: pi's streaming and model
 * helpers over our providers, the event-stream classes custom providers build their streams with, TypeBox's `Type`
 * and `StringEnum`, the transcript helpers, and `registerApiProvider` (an API name served by the extension's own stream
 * function). Names we do not implement are stubs (stubs.ts).
 */
import { Type } from "typebox";
import {
	registeredStreamApi,
	registeredStreamApiNames,
	registerStreamApi,
	unregisterStreamApi,
	unregisterStreamApisOf,
} from "../../ai/api-registry.ts";
import { availableThinkingLevels, clampThinkingLevel } from "../../ai/model-resolver.ts";
import { getBuiltInModels, getBuiltInProviders, modelsAreEqual } from "../../ai/models.ts";
import { isContextOverflow } from "../../ai/overflow.ts";
import { parsePartialJson, parseStreamingArguments } from "../../ai/partial-json.ts";
import { newAssistantMessage } from "../../ai/providers/message-builder.ts";
import { streamAssistant, streamBuiltIn } from "../../ai/stream.ts";
import type {
	AssistantMessage,
	AssistantMessageEvent,
	AssistantMessageStream,
	Context,
	Model,
	StreamOptions,
	ToolCall,
	Usage,
} from "../../ai/types.ts";
import { applyCost } from "../../ai/usage.ts";
import { getEnvApiKey } from "../../auth/env-api-keys.ts";
import { validateToolArguments } from "../tool-validation.ts";
import { completeModule } from "./stubs.ts";
import * as transcript from "./transcript.ts";

/** pi-ai's EventStream: push events, iterate them, `result()` resolves when a completing event (or `end`) arrives. */
export class EventStream<TEvent, TResult> implements AsyncIterable<TEvent> {
	private readonly queue: TEvent[] = [];
	private readonly waiting: ((result: IteratorResult<TEvent>) => void)[] = [];
	private done = false;
	private readonly final: Promise<TResult>;
	private resolveFinal: (result: TResult) => void = () => {};

	constructor(
		private readonly isComplete: (event: TEvent) => boolean,
		private readonly extractResult: (event: TEvent) => TResult,
	) {
		this.final = new Promise((resolve) => {
			this.resolveFinal = resolve;
		});
	}

	push(event: TEvent): void {
		if (this.done) return;
		if (this.isComplete(event)) {
			this.done = true;
			this.resolveFinal(this.extractResult(event));
		}
		const waiter = this.waiting.shift();
		if (waiter) waiter({ value: event, done: false });
		else this.queue.push(event);
		if (this.done) for (const pending of this.waiting.splice(0)) pending({ value: undefined, done: true });
	}

	end(result?: TResult): void {
		this.done = true;
		if (result !== undefined) this.resolveFinal(result);
		for (const waiter of this.waiting.splice(0)) waiter({ value: undefined, done: true });
	}

	result(): Promise<TResult> {
		return this.final;
	}

	[Symbol.asyncIterator](): AsyncIterator<TEvent> {
		return {
			next: () => {
				const event = this.queue.shift();
				if (event !== undefined) return Promise.resolve({ value: event, done: false });
				if (this.done) return Promise.resolve({ value: undefined, done: true });
				return new Promise((resolve) => this.waiting.push(resolve));
			},
		};
	}
}

export class AssistantMessageEventStream extends EventStream<AssistantMessageEvent, AssistantMessage> {
	constructor() {
		super(
			(event) => event.type === "done" || event.type === "error",
			(event) => {
				if (event.type === "done") return event.message;
				if (event.type === "error") return event.error;
				throw new Error("not a completing event");
			},
		);
	}
}

/** pi 1.6: a tool call's argument text as it streams; `append` answers the arguments parsed so far. */
export class ToolCallArgumentsStream {
	private text = "";

	append(delta: string): Record<string, unknown> {
		this.text += delta;
		return parseStreamingArguments(this.text);
	}

	finish(): { arguments: Record<string, unknown>; argumentsError?: string } {
		if (this.text.trim() === "") return { arguments: {} };
		try {
			const parsed: unknown = JSON.parse(this.text);
			if (typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)) return { arguments: { ...parsed } };
			return { arguments: {}, argumentsError: "Tool call arguments are not a JSON object" };
		} catch (error) {
			return {
				arguments: parseStreamingArguments(this.text),
				argumentsError: error instanceof Error ? error.message : String(error),
			};
		}
	}
}

function StringEnum(values: readonly string[], options?: { description?: string; default?: string }) {
	return Type.Unsafe({
		type: "string",
		enum: [...values],
		...(options?.description ? { description: options.description } : {}),
		...(options?.default ? { default: options.default } : {}),
	});
}

function isAssistantStream(value: unknown): value is AssistantMessageStream {
	return (
		typeof value === "object" &&
		value !== null &&
		Symbol.asyncIterator in value &&
		"result" in value &&
		typeof value.result === "function"
	);
}

/** A stream function an extension wrote, made safe: a throw or a non-stream becomes an error event. */
function guardedStream(
	stream: (...args: unknown[]) => unknown,
): (model: Model, context: Context, options?: StreamOptions) => AssistantMessageStream {
	return (model, context, options) => {
		try {
			const result = stream(model, context, options);
			if (isAssistantStream(result)) return result;
			throw new Error(`the stream function of API "${model.api}" did not return an event stream`);
		} catch (error) {
			const failed = new AssistantMessageEventStream();
			const message: AssistantMessage = {
				...newAssistantMessage(model),
				stopReason: "error",
				errorMessage: error instanceof Error ? error.message : String(error),
			};
			failed.push({ type: "error", reason: "error", error: message });
			return failed;
		}
	};
}

export function registerApiProvider(provider: unknown, sourceId?: unknown): void {
	if (typeof provider !== "object" || provider === null || !("api" in provider) || typeof provider.api !== "string") {
		throw new TypeError("registerApiProvider() needs { api, stream, streamSimple }");
	}
	const fn =
		"streamSimple" in provider && typeof provider.streamSimple === "function"
			? provider.streamSimple
			: "stream" in provider && typeof provider.stream === "function"
				? provider.stream
				: undefined;
	if (!fn) throw new TypeError(`registerApiProvider("${provider.api}") needs a stream or streamSimple function`);
	const call = fn;
	registerStreamApi(
		provider.api,
		guardedStream((...args) => Reflect.apply(call, provider, args)),
		typeof sourceId === "string" ? sourceId : undefined,
	);
}

/** One built-in API, whatever the model says (pi's streamAnthropic, streamSimpleOpenAICompletions, …). */
function viaApi(api: string) {
	return (model: Model, context: Context, options?: StreamOptions) =>
		streamBuiltIn({ ...model, api }, context, options);
}

function validateToolCall(tools: unknown, toolCall: ToolCall): Record<string, unknown> {
	const list = Array.isArray(tools) ? tools : [];
	const tool = list.find(
		(candidate) => typeof candidate === "object" && candidate !== null && candidate.name === toolCall.name,
	);
	if (!tool) throw new Error(`Tool "${toolCall.name}" not found`);
	return validateToolArguments(toolCall.name, tool.parameters, toolCall.arguments);
}

export function buildPiAiModule(): Record<string, unknown> {
	const stream = (model: Model, context: Context, options?: StreamOptions) => streamAssistant(model, context, options);
	const complete = async (model: Model, context: Context, options?: StreamOptions) =>
		streamAssistant(model, context, options).result();
	return completeModule("pi-ai", {
		Type,
		StringEnum,
		EventStream,
		AssistantMessageEventStream,
		createAssistantMessageEventStream: () => new AssistantMessageEventStream(),
		ToolCallArgumentsStream,
		uuidv7: () => Bun.randomUUIDv7(),
		calculateCost: (model: Model, usage: Usage) => applyCost(model, usage).cost,
		stream,
		streamSimple: stream,
		complete,
		completeSimple: complete,
		streamAnthropic: viaApi("anthropic-messages"),
		streamSimpleAnthropic: viaApi("anthropic-messages"),
		streamOpenAICompletions: viaApi("openai-completions"),
		streamSimpleOpenAICompletions: viaApi("openai-completions"),
		streamOpenAIResponses: viaApi("openai-responses"),
		streamSimpleOpenAIResponses: viaApi("openai-responses"),
		streamAzureOpenAIResponses: viaApi("azure-openai-responses"),
		streamSimpleAzureOpenAIResponses: viaApi("azure-openai-responses"),
		streamGoogle: viaApi("google-generative-ai"),
		streamSimpleGoogle: viaApi("google-generative-ai"),
		streamOpenAICodexResponses: viaApi("openai-codex-responses"),
		streamSimpleOpenAICodexResponses: viaApi("openai-codex-responses"),
		streamMistral: viaApi("mistral-conversations"),
		streamSimpleMistral: viaApi("mistral-conversations"),
		registerApiProvider,
		getApiProvider: (api: string) => {
			const registered = registeredStreamApi(api);
			return registered ? { api, stream: registered, streamSimple: registered } : undefined;
		},
		getApiProviders: () => registeredStreamApiNames().map((api) => ({ api })),
		unregisterApiProviders: (sourceId: string) => unregisterStreamApisOf(sourceId),
		clearApiProviders: () => {
			for (const api of registeredStreamApiNames()) unregisterStreamApi(api);
		},
		hasApi: (api: string) => registeredStreamApi(api) !== undefined,
		getModel: (provider: string, id: string) =>
			getBuiltInModels().find((model) => model.provider === provider && model.id === id),
		getModels: (provider: string) => getBuiltInModels().filter((model) => model.provider === provider),
		getProviders: () => getBuiltInProviders(),
		modelsAreEqual,
		clampThinkingLevel,
		getSupportedThinkingLevels: (model: Model) => (model.reasoning ? availableThinkingLevels(model) : ["off"]),
		isContextOverflow,
		getEnvApiKey,
		validateToolArguments: (tool: { name: string; parameters: Record<string, unknown> }, toolCall: ToolCall) =>
			validateToolArguments(tool.name, tool.parameters, toolCall.arguments),
		validateToolCall,
		parseStreamingJson: (text: string) => parsePartialJson(text) ?? {},
		parseJsonWithRepair: (text: string) => parsePartialJson(text),
		...transcript,
	});
}
