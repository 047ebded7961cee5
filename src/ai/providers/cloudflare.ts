/**
 * Cloudflare (pi 1.6.0): Workers AI serves models under the account's endpoint
 * (`…/accounts/{CLOUDFLARE_ACCOUNT_ID}/ai/v1`, OpenAI-compatible, the API token as bearer); the AI Gateway proxies
 * several upstream APIs under `gateway.ai.cloudflare.com/v1/{CLOUDFLARE_ACCOUNT_ID}/{CLOUDFLARE_GATEWAY_ID}/…` and
 * authenticates with `cf-aig-authorization: Bearer <token>` — no upstream key is sent, so the gateway bills it.
 * The ids come from the credential's stored settings or the environment.
 */
import { providerEnv } from "../../util/env.ts";
import type { Model, StreamOptions } from "../types.ts";

const PLACEHOLDERS = ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID"] as const;

export function isCloudflareProvider(provider: string): boolean {
	return provider === "cloudflare-workers-ai" || provider === "cloudflare-ai-gateway";
}

/** The model with its endpoint placeholders filled in; a missing id is an error that names the variable. */
export function resolveCloudflareModel(model: Model, options: StreamOptions | undefined): Model {
	let baseUrl = model.baseUrl;
	for (const name of PLACEHOLDERS) {
		if (!baseUrl.includes(`{${name}}`)) continue;
		const value = providerEnv(name, options?.env);
		if (!value) {
			throw new Error(
				`${model.provider} needs ${name}: set it in the environment (or log in again with /login) to use ${model.provider}/${model.id}.`,
			);
		}
		baseUrl = baseUrl.replaceAll(`{${name}}`, encodeURIComponent(value));
	}
	return baseUrl === model.baseUrl ? model : { ...model, baseUrl };
}

/** AI Gateway requests: the token goes in cf-aig-authorization, and no upstream credential header is sent. */
export function cloudflareGatewayFetch(fetchFn: typeof fetch, token: string): typeof fetch {
	return Object.assign(
		(input: string | URL | Request, init?: RequestInit) => {
			const headers = new Headers(init?.headers);
			headers.delete("authorization");
			headers.delete("x-api-key");
			headers.set("cf-aig-authorization", `Bearer ${token}`);
			return fetchFn(input, { ...init, headers });
		},
		{ preconnect: fetchFn.preconnect },
	);
}
