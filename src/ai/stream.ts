/**
 * The single entry point for talking to a model: dispatches on `model.api` to a provider. Each provider (and its
 * SDK) is imported only when first used, so an unused SDK costs nothing at startup.
 */
import { copilotDynamicHeaders } from "./providers/github-copilot-headers.ts";
import { runProviderStream } from "./providers/run-stream.ts";
import type { AssistantMessageStream, Context, Model, StreamFunction, StreamOptions } from "./types.ts";

export const streamAssistant: StreamFunction = (
	model: Model,
	context: Context,
	callerOptions?: StreamOptions,
): AssistantMessageStream => {
	const options = withSubscriptionHeaders(model, context, callerOptions);
	return runProviderStream(model, options, async (run) => {
		switch (model.api) {
			case "anthropic-messages": {
				const { anthropicMessagesBody } = await import("./providers/anthropic-messages.ts");
				return anthropicMessagesBody(model, context, options)(run);
			}
			case "openai-completions": {
				const { openaiCompletionsBody } = await import("./providers/openai-completions.ts");
				return openaiCompletionsBody(model, context, options)(run);
			}
			case "openai-responses": {
				const { openaiResponsesBody } = await import("./providers/openai-responses.ts");
				return openaiResponsesBody(model, context, options)(run);
			}
			case "azure-openai-responses": {
				const { azureOpenaiResponsesBody } = await import("./providers/azure-openai-responses.ts");
				return azureOpenaiResponsesBody(model, context, options)(run);
			}
			case "google-generative-ai": {
				const { googleGenerativeAiBody } = await import("./providers/google-generative-ai.ts");
				return googleGenerativeAiBody(model, context, options)(run);
			}
			// [subscriptions] ChatGPT Plus/Pro (Codex) subscription API
			case "openai-codex-responses": {
				const { openaiCodexResponsesBody } = await import("./providers/openai-codex-responses.ts");
				return openaiCodexResponsesBody(model, context, options)(run);
			}
			case "mistral-conversations": {
				// pi talks to Mistral through Mistral's own SDK; we use its OpenAI-compatible chat endpoint instead,
				// which carries the same models, tools and streaming.
				const { openaiCompletionsBody } = await import("./providers/openai-completions.ts");
				return openaiCompletionsBody(mistralAsOpenAI(model), context, options)(run);
			}
			default:
				throw new Error(`No provider for API "${model.api}" (model ${model.provider}/${model.id})`);
		}
	});
};

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
