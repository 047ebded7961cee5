import type { ResponseCreateParamsStreaming, ResponseStreamEvent } from "openai/resources/responses/responses";
import { clampThinkingLevel } from "../model-resolver.ts";
import type { Context, Model, StreamOptions, ThinkingLevel } from "../types.ts";
import { withOpenaiClient } from "./openai-client.ts";
import { consumeResponsesStream } from "./openai-responses-shared.ts";
import { resolveMaxTokens, thinkingLevelMapping } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { knownEffort, responsesRequestParts } from "./responses-input.ts";
import type { ProviderBody } from "./run-stream.ts";
import { observeProviderEvents } from "./stream-observer.ts";

const OPENAI_TOOL_CALL_PROVIDERS: ReadonlySet<string> = new Set(["openai", "openai-codex", "opencode"]);
/** The Responses API rejects max_output_tokens below 16. */
export const MIN_OUTPUT_TOKENS = 16;
/** The request's reasoning.effort while configuration_update items carry the thinking level. */
export const CONFIGURATION_UPDATE_REQUEST_EFFORT = "medium";
/** OpenAI's prompt_cache_key takes at most 64 characters. */
const PROMPT_CACHE_KEY_MAX = 64;

function cacheRetentionOf(options: StreamOptions | undefined) {
	return options?.cacheRetention ?? (process.env.PI_CACHE_RETENTION === "long" ? "long" : "short");
}

/** The session id as a prompt-cache key: its first 64 characters (code points). */
export function promptCacheKey(sessionId: string | undefined): string | undefined {
	if (sessionId === undefined) return undefined;
	const chars = Array.from(sessionId);
	return chars.length <= PROMPT_CACHE_KEY_MAX ? sessionId : chars.slice(0, PROMPT_CACHE_KEY_MAX).join("");
}

/** The requested thinking level, clamped to the model; undefined when off or not reasoning. */
function requestedLevel(model: Model, options: StreamOptions | undefined): Exclude<ThinkingLevel, "off"> | undefined {
	const level = options?.reasoning ? clampThinkingLevel(model, options.reasoning) : undefined;
	return level && level !== "off" ? level : undefined;
}

/** The provider's effort name for a level (the model's thinking-level map, else the level's own name). */
function effortName(model: Model, level: Exclude<ThinkingLevel, "off">): string {
	return thinkingLevelMapping(model, level) ?? level;
}

/**
 * The effort sent as configuration_update items, for models that take them (undefined: sent as reasoning.effort).
 * Not for a ChatGPT sign-in token on api.openai.com, which refuses those items.
 */
export function configurationUpdateEffort(model: Model, options: StreamOptions | undefined): string | undefined {
	const level = requestedLevel(model, options);
	if (model.compat?.supportsMidConvoEffort !== true || !level || isChatGptSignIn(model, options?.apiKey))
		return undefined;
	return effortName(model, level);
}

/** An OpenAI model used with a ChatGPT sign-in token rather than an `sk-` key: some request fields are refused. */
function isChatGptSignIn(model: Model, apiKey: string | undefined): boolean {
	return (
		model.provider === "openai" &&
		model.baseUrl === "https://api.openai.com/v1" &&
		apiKey !== undefined &&
		!apiKey.startsWith("sk-")
	);
}

/** Reasoning params shared with Azure: effort from the level, or the model's "off" value ("none" by default). */
export function responsesReasoning(
	model: Model,
	options: StreamOptions | undefined,
	updateEffort?: string,
): Pick<ResponseCreateParamsStreaming, "reasoning" | "include"> {
	if (!model.reasoning) return {};
	const level = requestedLevel(model, options);
	if (level) {
		const effort = updateEffort === undefined ? effortName(model, level) : CONFIGURATION_UPDATE_REQUEST_EFFORT;
		const reasoning = knownEffort(effort);
		return {
			...(reasoning ? { reasoning: { effort: reasoning, summary: "auto" } } : {}),
			include: ["reasoning.encrypted_content"],
		};
	}
	const off = thinkingLevelMapping(model, "off");
	const include: Pick<ResponseCreateParamsStreaming, "include"> =
		model.provider === "xai" ? { include: ["reasoning.encrypted_content"] } : {};
	if (off === null || model.provider === "github-copilot") return include;
	const effort = knownEffort(off ?? "none");
	return { ...(effort ? { reasoning: { effort } } : {}), ...include };
}

/** The session headers pi 1.6.0 sends with a session id. */
export function responsesSessionHeaders(model: Model, sessionId: string | undefined): Record<string, string> {
	if (!sessionId) return {};
	if (model.provider === "openrouter" || model.baseUrl.includes("openrouter.ai")) return { "x-session-id": sessionId };
	return { "session-id": sessionId, "x-client-request-id": sessionId };
}

export function buildResponsesParams(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): { params: ResponseCreateParamsStreaming; grammarInputs: ReadonlyMap<string, string> } {
	const retention = cacheRetentionOf(options);
	const chatGpt = isChatGptSignIn(model, options?.apiKey);
	const supportsLong = model.compat?.supportsLongCacheRetention !== false;
	// Models with an explicit prompt-cache mode take prompt_cache_options instead of a 24-hour retention.
	const explicitMode = model.compat?.supportsExplicitPromptCacheMode === true;
	const longRetention = retention === "long" && supportsLong && !explicitMode && !chatGpt;
	const cacheOptions =
		!explicitMode || chatGpt
			? undefined
			: retention === "none"
				? { mode: "explicit" as const }
				: retention === "long" && supportsLong
					? { ttl: "30m" as const }
					: undefined;
	const updateEffort = configurationUpdateEffort(model, options);
	const parts = responsesRequestParts(model, context, {
		toolCallProviders: OPENAI_TOOL_CALL_PROVIDERS,
		strictModeDefault: false,
		...(updateEffort !== undefined ? { configurationUpdateEffort: updateEffort } : {}),
	});
	const params: ResponseCreateParamsStreaming = {
		model: model.id,
		input: parts.input,
		stream: true,
		...(retention !== "none" && options?.sessionId ? { prompt_cache_key: promptCacheKey(options.sessionId) } : {}),
		...(longRetention ? { prompt_cache_retention: "24h" } : {}),
		...(cacheOptions ? { prompt_cache_options: cacheOptions } : {}),
		store: false,
	};
	const maxTokens = resolveMaxTokens(model, context, options);
	if (maxTokens && model.compat?.supportsMaxOutputTokens !== false && !chatGpt) {
		params.max_output_tokens = Math.max(maxTokens, MIN_OUTPUT_TOKENS);
	}
	if (options?.temperature !== undefined && !chatGpt) params.temperature = options.temperature;
	if (parts.tools) params.tools = parts.tools;
	Object.assign(params, responsesReasoning(model, options, updateEffort));
	return { params, grammarInputs: parts.grammarInputs };
}

export function openaiResponsesBody(model: Model, context: Context, options: StreamOptions | undefined): ProviderBody {
	return async (run) => {
		const { builder, signal, touch, fetch: fetchFn } = run;
		const sessionId = cacheRetentionOf(options) === "none" ? undefined : options?.sessionId;
		return withOpenaiClient(model, options, fetchFn, responsesSessionHeaders(model, sessionId), async (client) => {
			const { params: built, grammarInputs } = buildResponsesParams(model, context, options);
			const params = await applyPayloadHook(built, model, options);
			const events: AsyncIterable<ResponseStreamEvent> = await client.responses.create(params, { signal });
			builder.start();
			const updateEffort = configurationUpdateEffort(model, options);
			if (updateEffort !== undefined) builder.output.providerThinkingLevel = updateEffort;
			const observed = observeProviderEvents(events, model, options);
			const stop = await consumeResponsesStream(observed, builder, touch, grammarInputs);
			builder.finish(stop);
		});
	};
}
