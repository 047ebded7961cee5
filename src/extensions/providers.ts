/**
 * `pi.registerProvider(name, config)`: a provider in models.json's shape (baseUrl, apiKey, api, headers, models, …)
 * added to the model registry, plus what only code can give: `streamSimple` (the stream function of its API) and
 * `oauth` (a /login flow whose tokens are stored and refreshed like the built-in ones).
 */
import * as v from "valibot";
import { unregisterStreamApisOf } from "../ai/api-registry.ts";
import { registerExtensionOAuthProvider, unregisterExtensionOAuthProvider } from "../auth/oauth/extension-providers.ts";
import type { OAuthTokens } from "../auth/oauth/types.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { parseProviderConfig } from "../registry/models-json-schema.ts";
import { registerApiProvider } from "./modules/pi-ai.ts";

const fn = v.custom<(...args: unknown[]) => unknown>((value) => typeof value === "function", "must be a function");

const OAuthConfigSchema = v.looseObject({
	name: v.optional(v.string()),
	login: fn,
	refreshToken: v.optional(fn),
	getApiKey: v.optional(fn),
});

const TokensSchema = v.looseObject({ refresh: v.string(), access: v.string(), expires: v.number() });

function tokensFrom(value: unknown, what: string): OAuthTokens {
	const parsed = v.safeParse(TokensSchema, value);
	if (!parsed.success) throw new Error(`${what} must return { refresh, access, expires }`);
	return parsed.output;
}

/** pi 1.6 writes `$NAME` / `${NAME}` for an environment variable; models.json (and we) name the variable. */
function normalizeApiKey(apiKey: unknown): unknown {
	if (typeof apiKey !== "string") return apiKey;
	const match = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(apiKey);
	return match ? match[1] : apiKey;
}

function registerOAuth(name: string, oauth: v.InferOutput<typeof OAuthConfigSchema>): void {
	const { login, refreshToken, getApiKey } = oauth;
	registerExtensionOAuthProvider({
		id: name,
		name: oauth.name ?? name,
		async login(callbacks) {
			const result = await login({
				onAuth: (info: unknown) => {
					const record = typeof info === "object" && info !== null ? { ...info } : {};
					const url = "url" in record && typeof record.url === "string" ? record.url : String(info);
					const instructions =
						"instructions" in record && typeof record.instructions === "string" ? record.instructions : undefined;
					callbacks.onAuthUrl(url, instructions);
				},
				onPrompt: (prompt: unknown) => {
					const record = typeof prompt === "object" && prompt !== null ? { ...prompt } : {};
					const message = "message" in record && typeof record.message === "string" ? record.message : String(prompt);
					return callbacks.onPrompt(message);
				},
				onProgress: (message: unknown) => callbacks.onProgress?.(String(message)),
				signal: callbacks.signal,
			});
			return tokensFrom(result, `The ${name} login`);
		},
		async refresh(tokens) {
			if (!refreshToken) throw new Error(`${name} cannot refresh its login; run /login again`);
			return tokensFrom(await refreshToken(tokens, new AbortController().signal), `The ${name} token refresh`);
		},
		apiKeyFrom: getApiKey ? (tokens) => String(getApiKey(tokens)) : undefined,
	});
}

export function registerExtensionProvider(
	registry: ModelRegistry,
	name: string,
	config: Record<string, unknown>,
	owner: string,
): void {
	if (config.nativeProvider) {
		throw new Error(`registerProvider() with a pi-ai Provider object is not supported by this pi binary yet (${name})`);
	}
	const { streamSimple, oauth, ...rest } = config;
	if (typeof streamSimple === "function") {
		const api = typeof rest.api === "string" ? rest.api : name;
		registerApiProvider({ api, streamSimple }, owner);
	} else if (streamSimple !== undefined) throw new TypeError(`Provider "${name}": streamSimple must be a function`);
	if (oauth !== undefined) {
		const parsedOAuth = v.safeParse(OAuthConfigSchema, oauth);
		if (!parsedOAuth.success) throw new TypeError(`Provider "${name}": oauth needs login()`);
		registerOAuth(name, parsedOAuth.output);
	}
	const parsed = parseProviderConfig({ ...rest, apiKey: normalizeApiKey(rest.apiKey) });
	if ("error" in parsed) throw new TypeError(`Provider "${name}" is not valid:\n${parsed.error}`);
	registry.registerProvider(name, parsed.config);
}

export function unregisterExtensionProvider(registry: ModelRegistry, name: string, owner: string): void {
	registry.unregisterProvider(name);
	unregisterExtensionOAuthProvider(name);
	unregisterStreamApisOf(owner);
}
