/**
 * azure-openai-responses: the Responses protocol through the SDK's AzureOpenAI client. The deployment name
 * replaces the model id (AZURE_OPENAI_DEPLOYMENT_NAME_MAP), the base URL comes from AZURE_OPENAI_BASE_URL /
 * AZURE_OPENAI_RESOURCE_NAME / model.baseUrl, and the api-version from AZURE_OPENAI_API_VERSION (default v1).
 */
import { AzureOpenAI } from "openai";
import type { ResponseCreateParamsStreaming, ResponseStreamEvent } from "openai/resources/responses/responses";
import type { Context, Model, StreamOptions } from "../types.ts";
import { responsesReasoning } from "./openai-responses.ts";
import { consumeResponsesStream, convertResponsesInput, convertResponsesTools } from "./openai-responses-shared.ts";
import { mergeHeaders, resolveMaxTokens, sdkRetryOptions } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import type { ProviderBody } from "./run-stream.ts";

const AZURE_TOOL_CALL_PROVIDERS: ReadonlySet<string> = new Set([
	"openai",
	"openai-codex",
	"opencode",
	"azure-openai-responses",
]);

function deploymentName(model: Model): string {
	for (const entry of (process.env.AZURE_OPENAI_DEPLOYMENT_NAME_MAP ?? "").split(",")) {
		const [modelId, deployment] = entry.trim().split("=", 2);
		if (modelId?.trim() === model.id && deployment?.trim()) return deployment.trim();
	}
	return model.id;
}

/** Azure hosts need the /openai/v1 base path for the SDK to build deployment URLs correctly. */
function normalizeBaseUrl(baseUrl: string): string {
	const url = new URL(baseUrl);
	const isAzureHost =
		url.hostname.endsWith(".openai.azure.com") || url.hostname.endsWith(".cognitiveservices.azure.com");
	const path = url.pathname.replace(/\/+$/, "");
	if (isAzureHost && (path === "" || path === "/openai")) {
		url.pathname = "/openai/v1";
		url.search = "";
	}
	return url.toString().replace(/\/+$/, "");
}

function resolveBaseUrl(model: Model): string {
	const fromEnv = process.env.AZURE_OPENAI_BASE_URL?.trim();
	const resource = process.env.AZURE_OPENAI_RESOURCE_NAME;
	const baseUrl = fromEnv || (resource ? `https://${resource}.openai.azure.com/openai/v1` : undefined) || model.baseUrl;
	if (!baseUrl) {
		throw new Error(
			"Azure OpenAI base URL is required. Set AZURE_OPENAI_BASE_URL or AZURE_OPENAI_RESOURCE_NAME, or set the model's baseUrl.",
		);
	}
	return normalizeBaseUrl(baseUrl);
}

export function buildAzureResponsesParams(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ResponseCreateParamsStreaming {
	const params: ResponseCreateParamsStreaming = {
		model: deploymentName(model),
		input: convertResponsesInput(model, context, AZURE_TOOL_CALL_PROVIDERS),
		stream: true,
		...(options?.sessionId ? { prompt_cache_key: options.sessionId } : {}),
	};
	const maxTokens = resolveMaxTokens(model, options);
	if (maxTokens) params.max_output_tokens = maxTokens;
	if (options?.temperature !== undefined) params.temperature = options.temperature;
	if (context.tools && context.tools.length > 0) params.tools = convertResponsesTools(context.tools);
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
			apiVersion: process.env.AZURE_OPENAI_API_VERSION || "v1",
			baseURL: resolveBaseUrl(model),
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
