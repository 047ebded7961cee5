/**
 * Anthropic clients. Ours never run the SDK's own credential chain (ANTHROPIC_PROFILE config files, the federation
 * variables): pi resolves credentials itself, and an unrelated local profile must not add its token or base URL.
 *
 * Workload identity federation (pi 1.6.0, documented in its providers.md): with no key or token, but
 * ANTHROPIC_FEDERATION_RULE_ID, ANTHROPIC_ORGANIZATION_ID and ANTHROPIC_IDENTITY_TOKEN_FILE set (the process env or
 * the stored credential's `env`), the SDK exchanges the identity token for a short-lived access token at
 * `<baseUrl>/v1/oauth/token` and renews it itself, re-reading the file. ANTHROPIC_SERVICE_ACCOUNT_ID and
 * ANTHROPIC_WORKSPACE_ID are passed through. The SDK caches the token per client, so one client is kept per
 * federation setup and cloned for each request (`withOptions` shares the token).
 */
import Anthropic, { type ClientOptions } from "@anthropic-ai/sdk";
import { providerEnv } from "../../util/env.ts";
import { AMBIENT_CREDENTIALS, type Model } from "../types.ts";

/** The Anthropic SDK client without its own credential chain. */
export class PiAnthropic extends Anthropic {
	protected override _shouldResolveDefaultCredentials(): boolean {
		return false;
	}
}

type FederationConfig = NonNullable<ClientOptions["config"]>;

function hasHeader(headers: Readonly<Record<string, string>> | undefined, name: string): boolean {
	return Object.keys(headers ?? {}).some((key) => key.toLowerCase() === name);
}

/** The federation setup, when the request has no other credential and the variables are all there. */
export function federationConfig(
	model: Model,
	apiKey: string | undefined,
	headers: Readonly<Record<string, string>> | undefined,
	env: Readonly<Record<string, string>> | undefined,
): FederationConfig | undefined {
	if (model.provider !== "anthropic") return undefined;
	if (apiKey && apiKey !== AMBIENT_CREDENTIALS) return undefined;
	if (["authorization", "x-api-key", "cf-aig-authorization"].some((name) => hasHeader(headers, name))) return undefined;
	const ruleId = providerEnv("ANTHROPIC_FEDERATION_RULE_ID", env);
	const organizationId = providerEnv("ANTHROPIC_ORGANIZATION_ID", env);
	const tokenFile = providerEnv("ANTHROPIC_IDENTITY_TOKEN_FILE", env);
	if (!ruleId || !organizationId || !tokenFile) return undefined;
	return {
		organization_id: organizationId,
		workspace_id: providerEnv("ANTHROPIC_WORKSPACE_ID", env),
		authentication: {
			type: "oidc_federation",
			federation_rule_id: ruleId,
			service_account_id: providerEnv("ANTHROPIC_SERVICE_ACCOUNT_ID", env),
			identity_token: { source: "file", path: tokenFile },
		},
	};
}

let cached: { key: string; client: PiAnthropic } | undefined;

/** A client for this request that shares the federated token with the earlier requests of the same setup. */
export function federatedClient(config: FederationConfig, options: ClientOptions): Anthropic {
	const key = JSON.stringify({ config, baseURL: options.baseURL });
	if (cached?.key !== key)
		cached = { key, client: new PiAnthropic({ ...options, apiKey: null, authToken: null, config }) };
	// A credential given to the clone (even null) would give it an auth state of its own, without the token.
	const { apiKey: _apiKey, authToken: _authToken, config: _config, ...perRequest } = options;
	return cached.client.withOptions(perRequest);
}
