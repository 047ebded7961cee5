/**
 * The single entry point for talking to a model: dispatches on `model.api` to a provider. Each provider (and its
 * SDK) is imported only when first used, so an unused SDK costs nothing at startup. Before dispatch, providers
 * whose endpoints depend on the user's account (Azure resources, Cloudflare accounts and gateways) get their
 * endpoint resolved; any problem becomes the stream's error, never an exception.
 */
import { registeredStreamApi } from "./api-registry.ts";
import { azureBaseUrl, azureDeploymentName } from "./providers/azure-config.ts";
import { cloudflareGatewayFetch, isCloudflareProvider, resolveCloudflareModel } from "./providers/cloudflare.ts";
import { copilotDynamicHeaders } from "./providers/github-copilot-headers.ts";
import { type ProviderBody, type ProviderRun, runProviderStream } from "./providers/run-stream.ts";
import type { AssistantMessageStream, Context, Model, StreamFunction, StreamOptions } from "./types.ts";

export const streamAssistant: StreamFunction = (
	model: Model,
	context: Context,
	callerOptions?: StreamOptions,
): AssistantMessageStream => {
	// An API an extension registered (its own stream function) wins over the built-in one.
	const registered = registeredStreamApi(model.api);
	if (registered) return registered(model, context, callerOptions);
	return streamBuiltIn(model, context, callerOptions);
};

/** The built-in provider of `model.api`, whatever extensions registered (their streams may delegate to it). */
export const streamBuiltIn: StreamFunction = (
	model: Model,
	context: Context,
	callerOptions?: StreamOptions,
): AssistantMessageStream => {
	const options = withSubscriptionHeaders(model, context, callerOptions);
	return runProviderStream(model, options, async (run) => {
		const target = prepareEndpoint(model, options);
		const body = await providerBody(target.model, context, target.options);
		return body(target.adaptRun ? target.adaptRun(run) : run);
	});
};

/**
 * A provider module, imported on first use and then kept: `import()` of a module already loaded still resolves it
 * again, on every request (~0.1 ms before the JIT warms up).
 */
function keptImport<T>(load: () => Promise<T>): () => Promise<T> {
	let loaded: Promise<T> | undefined;
	return () => {
		loaded ??= load();
		return loaded;
	};
}

const anthropicMessagesModule = keptImport(() => import("./providers/anthropic-messages.ts"));
const openaiCompletionsModule = keptImport(() => import("./providers/openai-completions.ts"));
const openaiResponsesModule = keptImport(() => import("./providers/openai-responses.ts"));
const azureOpenaiResponsesModule = keptImport(() => import("./providers/azure-openai-responses.ts"));
const googleGenerativeAiModule = keptImport(() => import("./providers/google-generative-ai.ts"));
const bedrockConverseStreamModule = keptImport(() => import("./providers/bedrock-converse-stream.ts"));
const googleVertexModule = keptImport(() => import("./providers/google-vertex.ts"));
const openaiCodexResponsesModule = keptImport(() => import("./providers/openai-codex-responses.ts"));
const piMessagesModule = keptImport(() => import("./providers/pi-messages.ts"));

async function providerBody(model: Model, context: Context, options: StreamOptions | undefined): Promise<ProviderBody> {
	switch (model.api) {
		case "anthropic-messages": {
			const { anthropicMessagesBody } = await anthropicMessagesModule();
			return anthropicMessagesBody(model, context, options);
		}
		case "openai-completions": {
			const { openaiCompletionsBody } = await openaiCompletionsModule();
			return openaiCompletionsBody(model, context, options);
		}
		case "openai-responses": {
			const { openaiResponsesBody } = await openaiResponsesModule();
			return openaiResponsesBody(model, context, options);
		}
		case "azure-openai-responses": {
			const { azureOpenaiResponsesBody } = await azureOpenaiResponsesModule();
			return azureOpenaiResponsesBody(model, context, options);
		}
		case "google-generative-ai": {
			const { googleGenerativeAiBody } = await googleGenerativeAiModule();
			return googleGenerativeAiBody(model, context, options);
		}
		case "bedrock-converse-stream": {
			const { bedrockConverseStreamBody } = await bedrockConverseStreamModule();
			return bedrockConverseStreamBody(model, context, options);
		}
		case "google-vertex": {
			const { googleVertexBody } = await googleVertexModule();
			return googleVertexBody(model, context, options);
		}
		// [subscriptions] ChatGPT Plus/Pro (Codex) subscription API
		case "openai-codex-responses": {
			const { openaiCodexResponsesBody } = await openaiCodexResponsesModule();
			return openaiCodexResponsesBody(model, context, options);
		}
		case "pi-messages": {
			const { piMessagesBody } = await piMessagesModule();
			return piMessagesBody(model, context, options);
		}
		case "mistral-conversations": {
			// pi talks to Mistral through Mistral's own SDK; we use its OpenAI-compatible chat endpoint instead,
			// which carries the same models, tools and streaming.
			const { openaiCompletionsBody } = await openaiCompletionsModule();
			return openaiCompletionsBody(mistralAsOpenAI(model), context, options);
		}
		default:
			throw new Error(
				`${model.provider}/${model.id} uses the "${model.api}" API, which this pi does not support. Choose another model (pi --list-models shows them).`,
			);
	}
}

interface PreparedEndpoint {
	model: Model;
	options: StreamOptions | undefined;
	/** Changes how requests are sent (headers the SDK would add but the endpoint must not receive). */
	adaptRun?: (run: ProviderRun) => ProviderRun;
}

/** Endpoints that depend on the user's account: Azure's resource and deployment, Cloudflare's account/gateway. */
function prepareEndpoint(model: Model, options: StreamOptions | undefined): PreparedEndpoint {
	if (isCloudflareProvider(model.provider)) {
		const resolved = resolveCloudflareModel(model, options);
		const token = options?.apiKey;
		if (model.provider !== "cloudflare-ai-gateway" || !token) return { model: resolved, options };
		return {
			model: resolved,
			options,
			adaptRun: (run) => ({ ...run, fetch: cloudflareGatewayFetch(run.fetch, token) }),
		};
	}
	// pi 1.6.0's azure provider also serves chat-completions models; they ship without a base URL.
	if (model.provider === "azure" && model.api === "openai-completions") {
		const deployment = azureDeploymentName(model, options);
		const resolved = { ...model, baseUrl: azureBaseUrl(model, options) };
		if (deployment === model.id) return { model: resolved, options };
		return {
			model: resolved,
			options: {
				...options,
				onPayload: async (payload, payloadModel) => {
					const params = { ...(typeof payload === "object" ? payload : {}), model: deployment };
					return (await options?.onPayload?.(params, payloadModel)) ?? params;
				},
			},
		};
	}
	return { model, options };
}

/**
 * [subscriptions] GitHub Copilot wants per-request headers whatever API its model speaks (pi adds them in each
 * provider, after the model's headers and before the caller's, which still win).
 */
function withSubscriptionHeaders(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): StreamOptions | undefined {
	if (model.provider !== "github-copilot") return options;
	return { ...options, headers: { ...copilotDynamicHeaders(context), ...options?.headers } };
}

function mistralAsOpenAI(model: Model): Model {
	const baseUrl = model.baseUrl.replace(/\/+$/, "");
	return {
		...model,
		api: "openai-completions",
		baseUrl: baseUrl.endsWith("/v1") ? baseUrl : `${baseUrl}/v1`,
		compat: {
			supportsStore: false,
			supportsDeveloperRole: false,
			supportsReasoningEffort: false,
			maxTokensField: "max_tokens",
			...model.compat,
		},
	};
}
