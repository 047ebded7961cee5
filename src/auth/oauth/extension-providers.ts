/**
 * OAuth logins extensions add with `pi.registerProvider(name, { oauth })`: offered by /login next to the built-in
 * ones, stored in auth.json the same way, refreshed the same way. Empty unless an extension registers one; kept free
 * of heavy imports because AuthStorage consults it on every key lookup.
 */
import type { OAuthProviderDefinition, OAuthTokens } from "./types.ts";

export interface ExtensionOAuthProvider extends OAuthProviderDefinition {
	/** pi's `getApiKey(credentials)`: the key a request sends; default the access token. */
	apiKeyFrom?(tokens: OAuthTokens): string;
}

const providers = new Map<string, ExtensionOAuthProvider>();

export function registerExtensionOAuthProvider(provider: ExtensionOAuthProvider): void {
	providers.set(provider.id, provider);
}

export function unregisterExtensionOAuthProvider(id: string): void {
	providers.delete(id);
}

export function getExtensionOAuthProvider(id: string): ExtensionOAuthProvider | undefined {
	return providers.get(id);
}

export function listExtensionOAuthProviders(): ExtensionOAuthProvider[] {
	return [...providers.values()];
}
