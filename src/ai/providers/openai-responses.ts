/**
 * openai-responses over the `openai` SDK (POST /responses, streamed). Always `store: false`; the session id is the
 * prompt-cache key (and `session_id` header); reasoning effort from the thinking level, "none" when off.
 */
import OpenAI from "openai";
import type { ResponseCreateParamsStreaming, ResponseStreamEvent } from "openai/resources/responses/responses";
import { clampThinkingLevel } from "../model-resolver.ts";
import type { Context, Model, StreamOptions } from "../types.ts";
import {
	consumeResponsesStream,
	convertResponsesInput,
	convertResponsesTools,
	supportsStrictTools,
} from "./openai-responses-shared.ts";
import { mergeHeaders, resolveMaxTokens, sdkRetryOptions, thinkingLevelMapping } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import type { ProviderBody } from "./run-stream.ts";

const OPENAI_TOOL_CALL_PROVIDERS: ReadonlySet<string> = new Set(["openai", "openai-codex", "opencode"]);

function cacheRetentionOf(options: StreamOptions | undefined) {
	return options?.cacheRetention ?? (process.env.PI_CACHE_RETENTION === "long" ? "long" : "short");
}

/** Reasoning params shared with Azure: effort from the level, or the model's "off" value ("none" by default). */
export function responsesReasoning(
	model: Model,
	options: StreamOptions | undefined,
): Pick<ResponseCreateParamsStreaming, "reasoning" | "include"> {
	if (!model.reasoning) return {};
	const level = options?.reasoning ? clampThinkingLevel(model, options.reasoning) : undefined;
	if (level && level !== "off") {
		const effort = thinkingLevelMapping(model, level) ?? level;
		return {
			reasoning: { effort: toEffort(effort), summary: "auto" },
			include: ["reasoning.encrypted_content"],
		};
	}
	const off = thinkingLevelMapping(model, "off");
	if (off === null || model.provider === "github-copilot") return {};
	return { reasoning: { effort: toEffort(off ?? "none") } };
}

const EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;

function toEffort(value: string): (typeof EFFORTS)[number] {
	return EFFORTS.find((effort) => effort === value) ?? "high";
}

export function buildResponsesParams(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ResponseCreateParamsStreaming {
	const retention = cacheRetentionOf(options);
	const longRetention = retention === "long" && model.compat?.supportsLongCacheRetention !== false;
	const params: ResponseCreateParamsStreaming = {
		model: model.id,
		input: convertResponsesInput(model, context, OPENAI_TOOL_CALL_PROVIDERS),
		stream: true,
		...(retention !== "none" && options?.sessionId ? { prompt_cache_key: options.sessionId } : {}),
		...(longRetention ? { prompt_cache_retention: "24h" } : {}),
		store: false,
	};
	const maxTokens = resolveMaxTokens(model, options);
	if (maxTokens) params.max_output_tokens = maxTokens;
	if (options?.temperature !== undefined) params.temperature = options.temperature;
	if (context.tools && context.tools.length > 0) {
		params.tools = convertResponsesTools(context.tools, supportsStrictTools(model, false));
	}
	Object.assign(params, responsesReasoning(model, options));
	return params;
}

export function openaiResponsesBody(model: Model, context: Context, options: StreamOptions | undefined): ProviderBody {
	return async ({ builder, signal, touch, fetch: fetchFn }) => {
		const sessionId = cacheRetentionOf(options) === "none" ? undefined : options?.sessionId;
		const sessionHeaders: Record<string, string> = {};
		if (sessionId) {
			if (model.compat?.sendSessionIdHeader !== false) sessionHeaders.session_id = sessionId;
			sessionHeaders["x-client-request-id"] = sessionId;
		}
		const client = new OpenAI({
			apiKey: options?.apiKey ?? "",
			baseURL: model.baseUrl,
			dangerouslyAllowBrowser: true,
			...sdkRetryOptions(options),
			// The SDK would print its own parse warnings to stderr; failures reach the user as one error message.
			logLevel: "off",
			fetch: fetchFn,
			defaultHeaders: mergeHeaders(model.headers, sessionHeaders, options?.headers),
		});
		let params = buildResponsesParams(model, context, options);
		params = await applyPayloadHook(params, model, options);
		const events: AsyncIterable<ResponseStreamEvent> = await client.responses.create(params, { signal });
		builder.start();
		const stop = await consumeResponsesStream(events, builder, touch);
		builder.finish(stop);
	};
}
