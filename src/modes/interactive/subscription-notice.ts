/**
 * pi 1.6.0's subscription hints: `(sub)` after the cost in the footer when the model's provider is used through a
 * subscription login, and a one-time warning that Anthropic subscription auth draws from paid extra usage.
 */
import type { AuthStorage } from "../../auth/auth-storage.ts";

export const ANTHROPIC_SUBSCRIPTION_AUTH_WARNING =
	"Anthropic subscription auth is active. Third-party harness usage draws from extra usage and is billed per token, not your Claude plan limits. Manage extra usage at https://claude.ai/settings/usage. Disable this warning in /settings.";

/** Every OAuth login pi offers is a subscription; Kimi Coding is one behind an API key. */
export function usesSubscription(auth: AuthStorage, provider: string): boolean {
	return provider === "kimi-coding" || auth.get(provider)?.type === "oauth";
}

/**
 * Whether to warn for this model: an Anthropic model with an OAuth login, or a key that is a Claude subscription
 * token (`sk-ant-oat…`, e.g. ANTHROPIC_OAUTH_TOKEN). Lookup failures count as no.
 */
export async function anthropicSubscriptionInUse(
	auth: AuthStorage,
	provider: string | undefined,
	apiKey: () => Promise<string | undefined>,
): Promise<boolean> {
	if (provider !== "anthropic") return false;
	if (auth.get(provider)?.type === "oauth") return true;
	try {
		return (await apiKey())?.startsWith("sk-ant-oat") === true;
	} catch {
		return false;
	}
}
