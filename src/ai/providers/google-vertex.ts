/**
 * google-vertex: Gemini on Google Cloud Vertex AI through @google/genai in Vertex mode (pi 1.6.0). Requests and
 * streamed chunks are the Gemini API's (google-generative-ai.ts); what differs is the endpoint and the auth:
 *
 *  - API key (GOOGLE_CLOUD_API_KEY or a stored key): the global Vertex endpoint with `x-goog-api-key`.
 *  - Application Default Credentials: `https://{location}-aiplatform.googleapis.com/v1/projects/{project}/
 *    locations/{location}/…`, project and location from GOOGLE_CLOUD_PROJECT (or GCLOUD_PROJECT) and
 *    GOOGLE_CLOUD_LOCATION (a stored credential's settings win). The access token is resolved by the caller
 *    (src/auth/google-adc.ts, for service-account and gcloud user credentials) and arrives as an
 *    `Authorization: Bearer` header; without one the SDK resolves ADC itself through google-auth-library
 *    (metadata server, workload identity, impersonation).
 *
 * A base URL without the `{location}` placeholder (models.json) replaces the Vertex host.
 */
import type { GoogleGenAI, GoogleGenAIOptions, HttpOptions, ResourceScope } from "@google/genai";
import { clientUserAgent } from "../../util/client-identity.ts";
import { providerEnv } from "../../util/env.ts";
import { AMBIENT_CREDENTIALS, type Context, type Model, type StreamOptions } from "../types.ts";
import { loadGoogleSdk, streamGoogleContent } from "./google-generative-ai.ts";
import { mergeHeaders } from "./options.ts";
import type { ProviderBody } from "./run-stream.ts";

const API_VERSION = "v1";

/** ResourceScope.COLLECTION, without loading the SDK (an island, see google-sdk.ts) for it. */
const COLLECTION = "COLLECTION" as ResourceScope;

/** A real API key: not the marker for ambient credentials, nor any other `<placeholder>`. */
function vertexApiKey(options: StreamOptions | undefined): string | undefined {
	const key = options?.apiKey?.trim();
	if (!key || key === AMBIENT_CREDENTIALS || /^<[^>]+>$/.test(key)) return undefined;
	return key;
}

function requireSetting(options: StreamOptions | undefined, names: string[], what: string): string {
	for (const name of names) {
		const value = providerEnv(name, options?.env);
		if (value) return value;
	}
	throw new Error(`Vertex AI requires a ${what}. Set ${names.join(" or ")}.`);
}

function httpOptions(model: Model, headers: Record<string, string>, fetchFn: typeof fetch): HttpOptions {
	const options: HttpOptions = { headers, fetch: fetchFn, retryOptions: { attempts: 1 } };
	const baseUrl = model.baseUrl.trim();
	if (baseUrl && !baseUrl.includes("{location}")) {
		options.baseUrl = baseUrl;
		options.baseUrlResourceScope = COLLECTION;
		// A base URL that already names an API version (…/v1) gets no second one.
		if (/(?:^|\/)v\d+(?:beta\d*)?(?:\/|$)/.test(new URL(baseUrl).pathname)) options.apiVersion = "";
	}
	return options;
}

/** The bearer token the caller resolved from Application Default Credentials, if any. */
function bearerToken(headers: Record<string, string>): string | undefined {
	const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === "authorization");
	const match = entry ? /^Bearer\s+(.+)$/i.exec(entry[1]) : null;
	return match?.[1];
}

export function googleVertexBody(model: Model, context: Context, options: StreamOptions | undefined): ProviderBody {
	return async (run) => {
		const { GoogleGenAI, OAuth2Client } = await loadGoogleSdk();
		const headers = mergeHeaders({ "User-Agent": clientUserAgent() }, model.headers, options?.headers);
		const apiKey = vertexApiKey(options);
		let client: GoogleGenAI;
		if (apiKey) {
			client = new GoogleGenAI({
				vertexai: true,
				apiKey,
				apiVersion: API_VERSION,
				httpOptions: httpOptions(model, headers, run.fetch),
			});
		} else {
			const project = requireSetting(options, ["GOOGLE_CLOUD_PROJECT", "GCLOUD_PROJECT"], "project ID");
			const location = requireSetting(options, ["GOOGLE_CLOUD_LOCATION"], "location");
			const token = bearerToken(headers);
			const keyFilename = providerEnv("GOOGLE_APPLICATION_CREDENTIALS", options?.env);
			let googleAuthOptions: GoogleGenAIOptions["googleAuthOptions"];
			if (token) {
				const authClient = new OAuth2Client();
				authClient.setCredentials({ access_token: token });
				googleAuthOptions = { authClient };
			} else if (keyFilename) {
				googleAuthOptions = { keyFilename };
			}
			client = new GoogleGenAI({
				vertexai: true,
				project,
				location,
				apiVersion: API_VERSION,
				...(googleAuthOptions ? { googleAuthOptions } : {}),
				httpOptions: httpOptions(model, headers, run.fetch),
			});
		}
		await streamGoogleContent(client, model, context, options, run);
	};
}
