/**
 * azure-openai-responses: the Responses protocol through the SDK's AzureOpenAI client, with the endpoint,
 * deployment name and api-version of azure-config.ts.
 */
import { AzureOpenAI } from "openai";
import type { ResponseCreateParamsStreaming, ResponseStreamEvent } from "openai/resources/responses/responses";
import { clientUserAgent } from "../../util/client-identity.ts";
import type { Context, Model, StreamOptions } from "../types.ts";
import { azureApiVersion, azureBaseUrl, azureDeploymentName } from "./azure-config.ts";
import { MIN_OUTPUT_TOKENS, promptCacheKey, responsesReasoning } from "./openai-responses.ts";
import { consumeResponsesStream } from "./openai-responses-shared.ts";
import { mergeHeaders, resolveMaxTokens, sdkRetryOptions } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { responsesRequestParts } from "./responses-input.ts";
import type { ProviderBody } from "./run-stream.ts";
import { observeProviderEvents } from "./stream-observer.ts";

const AZURE_TOOL_CALL_PROVIDERS: ReadonlySet<string> = new Set([
	"openai",
	"openai-codex",
	"opencode",
	"azure",
	"azure-openai-responses",
]);

export function buildAzureResponsesParams(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): { params: ResponseCreateParamsStreaming; grammarInputs: ReadonlyMap<string, string> } {
	// Azure takes `strict` unless the model's compat says otherwise.
	const parts = responsesRequestParts(model, context, {
		toolCallProviders: AZURE_TOOL_CALL_PROVIDERS,
		strictModeDefault: true,
	});
	const params: ResponseCreateParamsStreaming = {
		model: azureDeploymentName(model, options),
		input: parts.input,
		stream: true,
		...(options?.sessionId ? { prompt_cache_key: promptCacheKey(options.sessionId) } : {}),
	};
	const maxTokens = resolveMaxTokens(model, context, options);
	if (maxTokens) params.max_output_tokens = Math.max(maxTokens, MIN_OUTPUT_TOKENS);
	if (options?.temperature !== undefined) params.temperature = options.temperature;
	if (parts.tools) params.tools = parts.tools;
	Object.assign(params, responsesReasoning({ ...model, provider: "azure-openai-responses" }, options));
	return { params, grammarInputs: parts.grammarInputs };
}

export function azureOpenaiResponsesBody(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ProviderBody {
	return async ({ builder, signal, touch, fetch: fetchFn }) => {
		const client = new AzureOpenAI({
			apiKey: options?.apiKey ?? "",
			apiVersion: azureApiVersion(options),
			baseURL: azureBaseUrl(model, options),
			dangerouslyAllowBrowser: true,
			...sdkRetryOptions(options),
			// The SDK would print its own parse warnings to stderr; failures reach the user as one error message.
			logLevel: "off",
			fetch: fetchFn,
			defaultHeaders: mergeHeaders({ "User-Agent": clientUserAgent() }, model.headers, options?.headers),
		});
		const { params: built, grammarInputs } = buildAzureResponsesParams(model, context, options);
		const params = await applyPayloadHook(built, model, options);
		const events: AsyncIterable<ResponseStreamEvent> = await client.responses.create(params, { signal });
		builder.start();
		const observed = observeProviderEvents(events, model, options);
		const stop = await consumeResponsesStream(observed, builder, touch, grammarInputs);
		builder.finish(stop);
	};
}
