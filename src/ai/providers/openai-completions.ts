import type {
	ChatCompletionChunk,
	ChatCompletionCreateParamsStreaming,
	ChatCompletionMessageParam,
	ChatCompletionTool,
} from "openai/resources/chat/completions";
import * as v from "valibot";
import { clampThinkingLevel } from "../model-resolver.ts";
import type { Context, Message, Model, StopReason, StreamOptions, ThinkingLevel, Tool } from "../types.ts";
import { strictSamplingFor, toolParameters } from "./constrained-sampling.ts";
import { withOpenaiClient } from "./openai-client.ts";
import { type ResolvedCompat, resolveCompat } from "./openai-completions-compat.ts";
import { convertCompletionsMessages } from "./openai-completions-messages.ts";
import { resolveMaxTokens, thinkingLevelMapping } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { type ProviderBody, ProviderProtocolError } from "./run-stream.ts";
import { observeProviderEvents } from "./stream-observer.ts";

type CacheControl = { type: "ephemeral"; ttl?: "1h" };

function hasToolHistory(messages: Message[]): boolean {
	return messages.some(
		(message) =>
			message.role === "toolResult" ||
			(message.role === "assistant" && message.content.some((block) => block.type === "toolCall")),
	);
}

type CompletionsTool = ChatCompletionTool & { cache_control?: CacheControl };

/**
 * Function tools (pi 1.6.0): a tool asking for strict sampling goes strict, with the strict schema, where the server
 * takes `strict` (compat.supportsStrictMode); the others say `strict: false` there, and nothing elsewhere.
 */
function convertTools(tools: Tool[], compat: ResolvedCompat): CompletionsTool[] {
	return tools.map((tool) => {
		const strict = strictSamplingFor(tool, compat.supportsStrictMode);
		return {
			type: "function",
			function: {
				name: tool.name,
				description: tool.description,
				parameters: toolParameters(tool, strict),
				...(compat.supportsStrictMode ? { strict: strict ?? false } : {}),
			},
		};
	});
}

/** OpenRouter's Anthropic models: cache the system prompt, the last tool and the last conversation text. */
function applyAnthropicCacheControl(
	messages: ChatCompletionMessageParam[],
	tools: CompletionsTool[] | undefined,
	cache: CacheControl,
): void {
	const markText = (message: ChatCompletionMessageParam): boolean => {
		const content = message.content;
		if (typeof content === "string") {
			if (content.length === 0) return false;
			Object.assign(message, { content: [{ type: "text", text: content, cache_control: cache }] });
			return true;
		}
		if (!Array.isArray(content)) return false;
		for (let i = content.length - 1; i >= 0; i--) {
			const part = content[i];
			if (part?.type === "text") {
				Object.assign(part, { cache_control: cache });
				return true;
			}
		}
		return false;
	};
	const system = messages.find((message) => message.role === "system" || message.role === "developer");
	if (system) markText(system);
	const lastTool = tools?.[tools.length - 1];
	if (lastTool) lastTool.cache_control = cache;
	for (let i = messages.length - 1; i >= 0; i--) {
		const message = messages[i];
		if (message && (message.role === "user" || message.role === "assistant") && markText(message)) return;
	}
}

type CompletionsParams = ChatCompletionCreateParamsStreaming & { [field: string]: unknown };

export function buildCompletionsParams(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): CompletionsParams {
	const compat = resolveCompat(model);
	const retention = options?.cacheRetention ?? (process.env.PI_CACHE_RETENTION === "long" ? "long" : "short");
	const messages = convertCompletionsMessages(model, context, compat);
	const longRetention = retention === "long" && compat.supportsLongCacheRetention;
	const params: CompletionsParams = { model: model.id, messages, stream: true };
	if ((model.baseUrl.includes("api.openai.com") && retention !== "none") || longRetention) {
		if (options?.sessionId) params.prompt_cache_key = options.sessionId;
	}
	if (longRetention) params.prompt_cache_retention = "24h";
	if (compat.supportsUsageInStreaming) params.stream_options = { include_usage: true };
	if (compat.supportsStore) params.store = false;
	const maxTokens = resolveMaxTokens(model, context, options);
	if (maxTokens) {
		if (compat.maxTokensField === "max_tokens") params.max_tokens = maxTokens;
		else params.max_completion_tokens = maxTokens;
	}
	if (options?.temperature !== undefined) params.temperature = options.temperature;
	let tools: CompletionsTool[] | undefined;
	if (context.tools && context.tools.length > 0) {
		tools = convertTools(context.tools, compat);
		params.tools = tools;
		if (compat.zaiToolStream) params.tool_stream = true;
	} else if (hasToolHistory(context.messages)) {
		// Proxies in front of Anthropic require `tools` whenever the history has tool calls.
		params.tools = [];
	}
	if (compat.cacheControlFormat === "anthropic" && retention !== "none") {
		const cache: CacheControl = longRetention ? { type: "ephemeral", ttl: "1h" } : { type: "ephemeral" };
		applyAnthropicCacheControl(messages, tools, cache);
	}
	applyThinking(params, model, compat, options);
	if (model.baseUrl.includes("openrouter.ai") && model.compat?.openRouterRouting) {
		params.provider = model.compat.openRouterRouting;
	}
	if (model.baseUrl.includes("ai-gateway.vercel.sh")) {
		const routing = compat.vercelGatewayRouting;
		if (routing.only || routing.order) {
			params.providerOptions = {
				gateway: {
					...(routing.only ? { only: routing.only } : {}),
					...(routing.order ? { order: routing.order } : {}),
				},
			};
		}
	}
	return params;
}

/** Compatible servers accept efforts beyond OpenAI's enum (e.g. "default"), so the value is not narrowed. */
function setReasoningEffort(params: CompletionsParams, effort: string): void {
	Object.assign(params, { reasoning_effort: effort });
}

function applyThinking(
	params: CompletionsParams,
	model: Model,
	compat: ResolvedCompat,
	options: StreamOptions | undefined,
) {
	if (!model.reasoning) return;
	const clamped = options?.reasoning ? clampThinkingLevel(model, options.reasoning) : undefined;
	const level = clamped === "off" ? undefined : clamped;
	const mapped = level ? (thinkingLevelMapping(model, level) ?? level) : undefined;
	switch (compat.thinkingFormat) {
		case "zai": {
			params.thinking = level ? { type: "enabled", clear_thinking: false } : { type: "disabled" };
			// A level the model's map sets to null sends no effort.
			const effort = level ? thinkingLevelMapping(model, level) : undefined;
			if (level && compat.supportsReasoningEffort && effort !== null) setReasoningEffort(params, effort ?? level);
			return;
		}
		case "qwen":
			params.enable_thinking = level !== undefined;
			if (mapped && compat.supportsReasoningEffort) setReasoningEffort(params, mapped);
			return;
		case "qwen-chat-template":
			params.chat_template_kwargs = { enable_thinking: level !== undefined, preserve_thinking: true };
			return;
		case "deepseek":
			if (level) params.thinking = { type: "enabled" };
			else if (thinkingLevelMapping(model, "off") !== null) params.thinking = { type: "disabled" };
			if (mapped && compat.supportsReasoningEffort) setReasoningEffort(params, mapped);
			return;
		case "openrouter": {
			const off = thinkingLevelMapping(model, "off");
			if (mapped) params.reasoning = { effort: mapped };
			else if (off !== null) params.reasoning = { effort: off ?? "none" };
			return;
		}
		case "together":
			params.reasoning = { enabled: level !== undefined };
			if (mapped && compat.supportsReasoningEffort) setReasoningEffort(params, mapped);
			return;
		case "ant-ling": {
			// Only levels the model maps are sent; Ant Ling has no "off" value.
			const effort = level ? thinkingLevelMapping(model, level) : undefined;
			if (typeof effort === "string") params.reasoning = { effort };
			return;
		}
		case "baseten": {
			const args = chatTemplateArgs(model, level);
			if (args) params.chat_template_args = args;
			if (!compat.supportsReasoningEffort) return;
			const effort = level ? (thinkingLevelMapping(model, level) ?? level) : thinkingLevelMapping(model, "off");
			if (typeof effort === "string") setReasoningEffort(params, effort);
			return;
		}
		default: {
			if (!compat.supportsReasoningEffort) return;
			if (mapped) setReasoningEffort(params, mapped);
			else {
				const off = thinkingLevelMapping(model, "off");
				if (typeof off === "string") setReasoningEffort(params, off);
			}
		}
	}
}

/**
 * compat.chatTemplateArgs with pi 1.6.0's variables filled in: `{"$var": "thinking.enabled"}` is whether thinking
 * is on, another `$var` the level's mapped value; `omitWhenOff` drops an entry when thinking is off.
 */
function chatTemplateArgs(model: Model, level: ThinkingLevel | undefined): Record<string, unknown> | undefined {
	const template: unknown = Reflect.get(model.compat ?? {}, "chatTemplateArgs");
	if (typeof template !== "object" || template === null) return undefined;
	const resolved: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(template)) {
		if (typeof value !== "object" || value === null) {
			resolved[key] = value;
			continue;
		}
		if (!level && Reflect.get(value, "omitWhenOff") === true) continue;
		if (Reflect.get(value, "$var") === "thinking.enabled") {
			resolved[key] = level !== undefined;
			continue;
		}
		const mapped = thinkingLevelMapping(model, level ?? "off");
		const chosen = mapped === undefined ? level : mapped;
		if (typeof chosen === "string") resolved[key] = chosen;
	}
	return Object.keys(resolved).length > 0 ? resolved : undefined;
}

function mapFinishReason(reason: string): { stop: Exclude<StopReason, "aborted">; error?: string } {
	switch (reason) {
		case "stop":
		case "end":
			return { stop: "stop" };
		case "length":
			return { stop: "length" };
		case "function_call":
		case "tool_calls":
			return { stop: "toolUse" };
		default:
			return { stop: "error", error: `Provider finish_reason: ${reason}` };
	}
}

const UsageSchema = v.looseObject({
	prompt_tokens: v.optional(v.nullable(v.number())),
	completion_tokens: v.optional(v.nullable(v.number())),
	prompt_cache_hit_tokens: v.optional(v.nullable(v.number())),
	prompt_tokens_details: v.optional(
		v.nullable(
			v.looseObject({
				cached_tokens: v.optional(v.nullable(v.number())),
				cache_write_tokens: v.optional(v.nullable(v.number())),
			}),
		),
	),
});

function parseUsage(raw: unknown) {
	// Most chunks carry none: a failed parse would build an issue (with its message) per streamed delta.
	if (raw === undefined || raw === null) return undefined;
	const parsed = v.safeParse(UsageSchema, raw);
	if (!parsed.success) return undefined;
	const usage = parsed.output;
	const prompt = usage.prompt_tokens ?? 0;
	const reportedCached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? 0;
	const cacheWrite = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
	// Some servers count this request's cache writes inside cached_tokens; keep only earlier hits as reads.
	const cacheRead = cacheWrite > 0 ? Math.max(0, reportedCached - cacheWrite) : reportedCached;
	const input = Math.max(0, prompt - cacheRead - cacheWrite);
	const output = usage.completion_tokens ?? 0;
	return { input, output, cacheRead, cacheWrite, totalTokens: input + output + cacheRead + cacheWrite };
}

const REASONING_FIELDS = ["reasoning_content", "reasoning", "reasoning_text"] as const;
const ReasoningDetailsSchema = v.array(
	v.looseObject({ type: v.string(), id: v.optional(v.string()), data: v.optional(v.unknown()) }),
);

export function openaiCompletionsBody(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ProviderBody {
	return async ({ builder, signal, touch, fetch: fetchFn }) => {
		const compat = resolveCompat(model);
		const retention = options?.cacheRetention ?? (process.env.PI_CACHE_RETENTION === "long" ? "long" : "short");
		const sessionHeaders: Record<string, string> = {};
		if (options?.sessionId && retention !== "none" && compat.sendSessionAffinityHeaders) {
			sessionHeaders.session_id = options.sessionId;
			sessionHeaders["x-client-request-id"] = options.sessionId;
			sessionHeaders["x-session-affinity"] = options.sessionId;
		}
		return withOpenaiClient(model, options, fetchFn, sessionHeaders, async (client) => {
			let params = buildCompletionsParams(model, context, options);
			params = await applyPayloadHook(params, model, options);
			const chunks: AsyncIterable<ChatCompletionChunk> = await client.chat.completions.create(params, { signal });
			builder.start();

			let textIndex: number | undefined;
			let thinkingIndex: number | undefined;
			const callsByStreamIndex = new Map<number, number>();
			const callsById = new Map<string, number>();
			let stop: Exclude<StopReason, "aborted"> = "stop";
			let finishError: string | undefined;
			let sawFinishReason = false;
			for await (const chunk of observeProviderEvents(chunks, model, options)) {
				touch();
				builder.setResponseId(chunk.id);
				const usage = chunk.usage ? parseUsage(chunk.usage) : undefined;
				if (usage) builder.setUsage(usage);
				const choice = chunk.choices?.[0];
				if (!choice) continue;
				// Moonshot reports usage on the choice instead of the chunk.
				if (!chunk.usage) {
					const choiceUsage = parseUsage(Reflect.get(choice, "usage"));
					if (choiceUsage) builder.setUsage(choiceUsage);
				}
				if (choice.finish_reason) {
					sawFinishReason = true;
					const mapped = mapFinishReason(choice.finish_reason);
					stop = mapped.stop;
					finishError = mapped.error;
				}
				const delta = choice.delta;
				if (!delta) continue;
				if (delta.content) {
					textIndex ??= builder.startText();
					builder.appendText(textIndex, delta.content);
				}
				// Reasoning arrives under different names; the first non-empty one wins (some servers send two copies).
				for (const field of REASONING_FIELDS) {
					const value: unknown = Reflect.get(delta, field);
					if (typeof value === "string" && value.length > 0) {
						thinkingIndex ??= builder.startThinking({ thinkingSignature: field });
						builder.appendThinking(thinkingIndex, value);
						break;
					}
				}
				for (const call of delta.tool_calls ?? []) {
					let index = callsByStreamIndex.get(call.index) ?? (call.id ? callsById.get(call.id) : undefined);
					if (index === undefined) {
						index = builder.startToolCall(call.id ?? "", call.function?.name ?? "");
						callsByStreamIndex.set(call.index, index);
					}
					const block = builder.toolCall(index);
					if (block && !block.id && call.id) block.id = call.id;
					if (block && !block.name && call.function?.name) block.name = call.function.name;
					if (call.id) callsById.set(call.id, index);
					if (call.function?.arguments) builder.appendToolArguments(index, call.function.arguments);
				}
				const rawDetails: unknown = Reflect.get(delta, "reasoning_details");
				const details = rawDetails === undefined ? undefined : v.safeParse(ReasoningDetailsSchema, rawDetails);
				if (details?.success) {
					for (const detail of details.output) {
						if (detail.type !== "reasoning.encrypted" || !detail.id || !detail.data) continue;
						const index = callsById.get(detail.id);
						const block = index === undefined ? undefined : builder.toolCall(index);
						if (block) block.thoughtSignature = JSON.stringify(detail);
					}
				}
			}
			builder.endAll();
			if (signal.aborted) throw new Error("Request was aborted");
			// A content filter is not transient: report it as pi does, without a retryable wording.
			if (stop === "error") throw new Error(finishError ?? "Provider returned an error stop reason");
			// A stream cut short (a proxy timeout, a crashed server) must not pass for a complete answer: retried.
			if (!sawFinishReason) {
				if (compat.supportsFinishReason) throw new ProviderProtocolError("Stream ended without finish_reason");
				stop = builder.hasToolCalls ? "toolUse" : "stop";
			}
			builder.finish(stop);
		});
	};
}
