/** OAuth logins for subscription providers (pi-spec §2.3): the three pi 0.73.1 offers, in its order, and Radius (1.6.0). */
import type { AuthStorage, OAuthCredential } from "../auth-storage.ts";
import { anthropicOAuth } from "./anthropic.ts";
import { getExtensionOAuthProvider, listExtensionOAuthProviders } from "./extension-providers.ts";
import { githubCopilotOAuth } from "./github-copilot.ts";
import { openaiCodexOAuth } from "./openai-codex.ts";
import { radiusOAuth } from "./radius.ts";
import type { OAuthLoginCallbacks, OAuthProviderDefinition, OAuthProviderInfo, OAuthTokens } from "./types.ts";

export type { OAuthLoginCallbacks, OAuthProviderInfo, OAuthTokens } from "./types.ts";

const PROVIDERS: readonly OAuthProviderDefinition[] = [
	anthropicOAuth,
	githubCopilotOAuth,
	openaiCodexOAuth,
	radiusOAuth,
];

export function getOAuthProvider(providerId: string): OAuthProviderDefinition | undefined {
	return PROVIDERS.find((provider) => provider.id === providerId) ?? getExtensionOAuthProvider(providerId);
}

/** In pi's /login order; logins extensions registered come last. */
export function listOAuthProviders(): OAuthProviderInfo[] {
	return [...PROVIDERS, ...listExtensionOAuthProviders()].map(({ id, name }) => ({ id, name }));
}

function requireProvider(providerId: string): OAuthProviderDefinition {
	const provider = getOAuthProvider(providerId);
	if (!provider) throw new Error(`Unknown OAuth provider: ${providerId}`);
	return provider;
}

/** The entry auth.json holds, exactly as pi writes it: `{ type: "oauth", ...tokens }`. */
export function toStoredCredential(tokens: OAuthTokens): OAuthCredential {
	return { type: "oauth", ...tokens };
}

/** Run the provider's login flow and store the credential in auth.json (replacing any key stored for it). */
export async function loginWithOAuth(
	providerId: string,
	callbacks: OAuthLoginCallbacks,
	auth: AuthStorage,
): Promise<void> {
	const tokens = await requireProvider(providerId).login(callbacks);
	auth.set(providerId, toStoredCredential(tokens));
}

/** Trade the credential's refresh token for a new access token; the result replaces the stored entry. */
export async function refreshOAuthCredential(
	providerId: string,
	credential: OAuthCredential,
): Promise<OAuthCredential> {
	return toStoredCredential(await requireProvider(providerId).refresh(credential));
}
