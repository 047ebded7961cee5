/**
 * The `openai` SDK client the Chat Completions and Responses providers share: the model's base URL, the caller's
 * retry/timeout choices, the run's fetch (proxy, abort) and pi's User-Agent under the model's, the session's and the
 * call's headers, which may replace it (pi 1.6.0).
 *
 * Building a client builds every resource of the SDK (~40 objects, ~0.2 ms of CPU, more before the JIT warms up),
 * for each of a turn's requests. So a client whose request is over is kept for the next request with the same
 * options; its fetch is the current request's (a kept client is used by one request at a time).
 */
import OpenAI from "openai";
import { clientUserAgent } from "../../util/client-identity.ts";
import type { Model, StreamOptions } from "../types.ts";
import { mergeHeaders, sdkRetryOptions } from "./options.ts";

/** A client and the fetch of the request using it (undefined while it waits for the next one). */
interface KeptClient {
	client: OpenAI;
	slot: { fetch: typeof fetch | undefined };
}

/** Idle clients by their options; at most MAX_KEPT option sets (a session mostly talks to one model). */
const idle = new Map<string, KeptClient[]>();
const MAX_KEPT = 4;

/** What the SDK reads from the environment when a client is built: a kept client must have seen the same. */
const SDK_ENV = [
	"OPENAI_BASE_URL",
	"OPENAI_API_KEY",
	"OPENAI_ADMIN_KEY",
	"OPENAI_ORG_ID",
	"OPENAI_PROJECT_ID",
	"OPENAI_WEBHOOK_SECRET",
	"OPENAI_CUSTOM_HEADERS",
] as const;

/** Runs `use` with a client for these options whose requests go through `fetchFn`. */
export async function withOpenaiClient<T>(
	model: Model,
	options: StreamOptions | undefined,
	fetchFn: typeof fetch,
	sessionHeaders: Record<string, string> | undefined,
	use: (client: OpenAI) => Promise<T>,
): Promise<T> {
	const clientOptions = {
		apiKey: options?.apiKey ?? "",
		baseURL: model.baseUrl,
		...sdkRetryOptions(options),
		defaultHeaders: mergeHeaders({ "User-Agent": clientUserAgent() }, model.headers, sessionHeaders, options?.headers),
	};
	const key = JSON.stringify([clientOptions, SDK_ENV.map((name) => process.env[name])]);
	const kept = idle.get(key)?.pop() ?? newClient(clientOptions);
	kept.slot.fetch = fetchFn;
	try {
		return await use(kept.client);
	} finally {
		kept.slot.fetch = undefined;
		keep(key, kept);
	}
}

function newClient(clientOptions: {
	apiKey: string;
	baseURL: string;
	maxRetries?: number;
	timeout?: number;
	defaultHeaders: Record<string, string>;
}): KeptClient {
	const slot: KeptClient["slot"] = { fetch: undefined };
	const client = new OpenAI({
		...clientOptions,
		dangerouslyAllowBrowser: true,
		// The SDK would print its own parse warnings to stderr; failures reach the user as one error message.
		logLevel: "off",
		fetch: (input, init) => {
			// Only a request in progress fetches; a late call of a finished one has nowhere to go.
			if (!slot.fetch) return Promise.reject(new Error("OpenAI client used after its request ended"));
			return slot.fetch(input, init);
		},
	});
	return { client, slot };
}

function keep(key: string, kept: KeptClient): void {
	const list = idle.get(key);
	if (list) {
		list.push(kept);
		return;
	}
	if (idle.size >= MAX_KEPT) {
		const oldest = idle.keys().next().value;
		if (oldest !== undefined) idle.delete(oldest);
	}
	idle.set(key, [kept]);
}
