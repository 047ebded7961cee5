/**
 * The `openai` SDK client the Chat Completions and Responses providers share: the model's base URL, the caller's
 * retry/timeout choices, the run's fetch (proxy, abort) and pi's User-Agent under the model's, the session's and the
 * call's headers, which may replace it (pi 1.6.0).
 */
import OpenAI from "openai";
import { clientUserAgent } from "../../util/client-identity.ts";
import type { Model, StreamOptions } from "../types.ts";
import { mergeHeaders, sdkRetryOptions } from "./options.ts";

export function openaiClient(
	model: Model,
	options: StreamOptions | undefined,
	fetchFn: typeof fetch,
	sessionHeaders: Record<string, string> | undefined,
): OpenAI {
	return new OpenAI({
		apiKey: options?.apiKey ?? "",
		baseURL: model.baseUrl,
		dangerouslyAllowBrowser: true,
		...sdkRetryOptions(options),
		// The SDK would print its own parse warnings to stderr; failures reach the user as one error message.
		logLevel: "off",
		fetch: fetchFn,
		defaultHeaders: mergeHeaders({ "User-Agent": clientUserAgent() }, model.headers, sessionHeaders, options?.headers),
	});
}
