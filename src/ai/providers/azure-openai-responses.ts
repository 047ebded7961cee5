/**
 * azure-openai-responses: the Responses protocol through the SDK's AzureOpenAI client, with the endpoint,
 * deployment name and api-version of azure-config.ts.
 */
import { AzureOpenAI } from "openai";
import type { ResponseCreateParamsStreaming, ResponseStreamEvent } from "openai/resources/responses/responses";
import type { Context, Model, StreamOptions } from "../types.ts";
import { azureApiVersion, azureBaseUrl, azureDeploymentName } from "./azure-config.ts";
import { responsesReasoning } from "./openai-responses.ts";
import {
	consumeResponsesStream,
	convertResponsesInput,
	convertResponsesTools,
	supportsStrictTools,
} from "./openai-responses-shared.ts";
import { mergeHeaders, resolveMaxTokens, sdkRetryOptions } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import type { ProviderBody } from "./run-stream.ts";

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
): ResponseCreateParamsStreaming {
	const params: ResponseCreateParamsStreaming = {
		model: azureDeploymentName(model, options),
		input: convertResponsesInput(model, context, AZURE_TOOL_CALL_PROVIDERS),
		stream: true,
		...(options?.sessionId ? { prompt_cache_key: options.sessionId } : {}),
	};
	const maxTokens = resolveMaxTokens(model, options);
	if (maxTokens) params.max_output_tokens = maxTokens;
	if (options?.temperature !== undefined) params.temperature = options.temperature;
	if (context.tools && context.tools.length > 0) {
		params.tools = convertResponsesTools(context.tools, supportsStrictTools(model, true));
	}
	Object.assign(params, responsesReasoning({ ...model, provider: "azure-openai-responses" }, options));
	return params;
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
			defaultHeaders: mergeHeaders(model.headers, options?.headers),
		});
		let params = buildAzureResponsesParams(model, context, options);
		params = await applyPayloadHook(params, model, options);
		const events: AsyncIterable<ResponseStreamEvent> = await client.responses.create(params, { signal });
		builder.start();
		const stop = await consumeResponsesStream(events, builder, touch);
		builder.finish(stop);
	};
}
