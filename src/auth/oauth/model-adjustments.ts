/**
 * What a subscription login changes about its provider's models (pi's OAuth `modifyModels`): GitHub Copilot
 * accounts are served from the host their token names (individual, business, enterprise), not the catalog's.
 * Kept free of the login flows so the model registry can use it at startup without loading them.
 */
import type { OAuthCredential } from "../auth-storage.ts";

/** `company.ghe.com`, `https://company.ghe.com/...` → `company.ghe.com`; blank or unparsable → undefined. */
export function normalizeDomain(input: string): string | undefined {
	const trimmed = input.trim();
	if (trimmed === "") return undefined;
	try {
		return new URL(trimmed.includes("://") ? trimmed : `https://${trimmed}`).hostname || undefined;
	} catch {
		return undefined;
	}
}

/**
 * Where Copilot requests go: the token names its proxy (`proxy-ep=proxy.individual.githubcopilot.com`), whose
 * `api.` twin serves the API; without one, the enterprise's `copilot-api.` host or the individual one.
 */
export function copilotBaseUrl(token: string | undefined, enterpriseDomain?: string): string {
	const proxy = token?.match(/proxy-ep=([^;]+)/)?.[1];
	if (proxy) return `https://${proxy.replace(/^proxy\./, "api.")}`;
	if (enterpriseDomain) return `https://copilot-api.${enterpriseDomain}`;
	return "https://api.individual.githubcopilot.com";
}

interface ProviderModel {
	provider: string;
	baseUrl: string;
}

/** The models with every logged-in subscription provider's adjustment applied (others are returned as they are). */
export function applyOAuthModelAdjustments<T extends ProviderModel>(
	models: T[],
	credentialFor: (provider: string) => OAuthCredential | undefined,
): T[] {
	const copilot = credentialFor("github-copilot");
	if (!copilot) return models;
	const enterprise = typeof copilot.enterpriseUrl === "string" ? normalizeDomain(copilot.enterpriseUrl) : undefined;
	const baseUrl = copilotBaseUrl(copilot.access, enterprise);
	return models.map((model) => (model.provider === "github-copilot" ? { ...model, baseUrl } : model));
}
