/**
 * Which environment variables hold a provider's API key (pi-ai 1.6.0's env-api-keys mapping), and which ambient
 * credentials make a provider usable without one. Bedrock and Vertex authenticate through their SDKs (AWS
 * credential chain, Google Application Default Credentials); for them a configured environment yields the
 * sentinel "<authenticated>" so the provider counts as available. Cloudflare needs its account id (and, for the
 * AI Gateway, the gateway id) besides the key. Anthropic can authenticate by workload identity federation instead of a
 * key (the Anthropic SDK exchanges an identity token; see ai/providers/anthropic-federation.ts).
 *
 * `overrides` are a stored credential's provider-scoped values (auth.json `{"type":"api_key","env":{…}}`, as pi
 * 1.6.0 writes them for AWS profiles, Vertex projects and Cloudflare accounts); they win over the process env.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { AMBIENT_CREDENTIALS } from "../ai/types.ts";
import { providerEnv } from "../util/env.ts";

type Overrides = Readonly<Record<string, string>> | undefined;

const ENV_VARS: Readonly<Record<string, string | readonly string[]>> = {
	"github-copilot": "COPILOT_GITHUB_TOKEN",
	// ANTHROPIC_AUTH_TOKEN is listed for status; it is sent as a bearer header (bearerEnvToken), not as the key.
	anthropic: ["ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_OAUTH_TOKEN", "ANTHROPIC_API_KEY"],
	"ant-ling": "ANT_LING_API_KEY",
	// Qwen Token Plan: the per-plan variable first, then the region variable both plans used to share.
	"qwen-token-plan": ["QWEN_TOKEN_PLAN_TEAM_API_KEY", "QWEN_TOKEN_PLAN_API_KEY"],
	"qwen-token-plan-cn": ["QWEN_TOKEN_PLAN_TEAM_CN_API_KEY", "QWEN_TOKEN_PLAN_CN_API_KEY"],
	"qwen-token-plan-individual": ["QWEN_TOKEN_PLAN_INDIVIDUAL_API_KEY", "QWEN_TOKEN_PLAN_API_KEY"],
	"qwen-token-plan-individual-cn": ["QWEN_TOKEN_PLAN_INDIVIDUAL_CN_API_KEY", "QWEN_TOKEN_PLAN_CN_API_KEY"],
	openai: "OPENAI_API_KEY",
	azure: "AZURE_OPENAI_API_KEY",
	nvidia: "NVIDIA_API_KEY",
	deepseek: "DEEPSEEK_API_KEY",
	google: "GEMINI_API_KEY",
	"google-vertex": "GOOGLE_CLOUD_API_KEY",
	groq: "GROQ_API_KEY",
	cerebras: "CEREBRAS_API_KEY",
	xai: "XAI_API_KEY",
	radius: "RADIUS_API_KEY",
	openrouter: "OPENROUTER_API_KEY",
	"vercel-ai-gateway": "AI_GATEWAY_API_KEY",
	zai: "ZAI_API_KEY",
	"zai-coding-cn": "ZAI_CODING_CN_API_KEY",
	mistral: "MISTRAL_API_KEY",
	minimax: "MINIMAX_API_KEY",
	"minimax-cn": "MINIMAX_CN_API_KEY",
	moonshotai: "MOONSHOT_API_KEY",
	"moonshotai-cn": "MOONSHOT_API_KEY",
	huggingface: "HF_TOKEN",
	fireworks: "FIREWORKS_API_KEY",
	together: "TOGETHER_API_KEY",
	baseten: "BASETEN_API_KEY",
	opencode: "OPENCODE_API_KEY",
	"opencode-go": "OPENCODE_API_KEY",
	"kimi-coding": "KIMI_API_KEY",
	meta: "META_API_KEY",
	"cloudflare-workers-ai": "CLOUDFLARE_API_KEY",
	"cloudflare-ai-gateway": "CLOUDFLARE_API_KEY",
	xiaomi: "XIAOMI_API_KEY",
	"xiaomi-token-plan-cn": "XIAOMI_TOKEN_PLAN_CN_API_KEY",
	"xiaomi-token-plan-ams": "XIAOMI_TOKEN_PLAN_AMS_API_KEY",
	"xiaomi-token-plan-sgp": "XIAOMI_TOKEN_PLAN_SGP_API_KEY",
};

/** Anthropic workload identity federation (pi 1.6.0): all three, and no key or token, make Anthropic usable. */
export const ANTHROPIC_FEDERATION_VARS = [
	"ANTHROPIC_FEDERATION_RULE_ID",
	"ANTHROPIC_ORGANIZATION_ID",
	"ANTHROPIC_IDENTITY_TOKEN_FILE",
] as const;

/** Variables that configure providers besides their keys (regions, profiles, projects, accounts). */
const SETTING_VARS = [
	"AWS_PROFILE",
	"AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY",
	"AWS_SESSION_TOKEN",
	"AWS_BEARER_TOKEN_BEDROCK",
	"AWS_REGION",
	"AWS_DEFAULT_REGION",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
	"AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_WEB_IDENTITY_TOKEN_FILE",
	"AWS_CONFIG_FILE",
	"AWS_SHARED_CREDENTIALS_FILE",
	"GOOGLE_APPLICATION_CREDENTIALS",
	"GOOGLE_CLOUD_PROJECT",
	"GCLOUD_PROJECT",
	"GOOGLE_CLOUD_LOCATION",
	"CLOUDFLARE_ACCOUNT_ID",
	"CLOUDFLARE_GATEWAY_ID",
	"AZURE_OPENAI_BASE_URL",
	"AZURE_OPENAI_RESOURCE_NAME",
	"AZURE_OPENAI_API_VERSION",
	"AZURE_OPENAI_DEPLOYMENT_NAME_MAP",
	...ANTHROPIC_FEDERATION_VARS,
	"ANTHROPIC_SERVICE_ACCOUNT_ID",
	"ANTHROPIC_WORKSPACE_ID",
] as const;

/** Every variable any provider reads credentials or settings from (tests clear them all). */
export function providerEnvVariables(): string[] {
	const keys = Object.values(ENV_VARS).flatMap((vars) => (typeof vars === "string" ? [vars] : [...vars]));
	return [...new Set([...keys, ...SETTING_VARS, "GH_TOKEN", "GITHUB_TOKEN"])];
}

/** Candidate variables in precedence order (ANTHROPIC_OAUTH_TOKEN beats ANTHROPIC_API_KEY). */
export function apiKeyEnvVars(provider: string): readonly string[] | undefined {
	const vars = ENV_VARS[provider];
	return typeof vars === "string" ? [vars] : vars;
}

/** The provider's variables that are set to a non-empty value, in precedence order. */
export function findEnvKeys(provider: string, overrides?: Overrides): string[] | undefined {
	const vars = ENV_VARS[provider];
	if (vars === undefined) return undefined;
	// Asked for every provider at startup; most have one variable, which needs no filter call (see missingProviderSettings).
	if (typeof vars === "string") return providerEnv(vars, overrides) ? [vars] : undefined;
	const found = vars.filter((name) => Boolean(providerEnv(name, overrides)));
	return found.length > 0 ? found : undefined;
}

/** Application Default Credentials: GOOGLE_APPLICATION_CREDENTIALS, else gcloud's user credentials file. */
function hasVertexAdc(overrides: Overrides): boolean {
	const explicit = providerEnv("GOOGLE_APPLICATION_CREDENTIALS", overrides);
	const file = explicit || join(homedir(), ".config", "gcloud", "application_default_credentials.json");
	const project = providerEnv("GOOGLE_CLOUD_PROJECT", overrides) || providerEnv("GCLOUD_PROJECT", overrides);
	return Boolean(project) && Boolean(providerEnv("GOOGLE_CLOUD_LOCATION", overrides)) && existsSync(file);
}

/** The AWS SDK's credential chain has something to work with (pi's list of sources). */
function hasBedrockCredentials(overrides: Overrides): boolean {
	const env = (name: string) => providerEnv(name, overrides);
	return Boolean(
		env("AWS_PROFILE") ||
			(env("AWS_ACCESS_KEY_ID") && env("AWS_SECRET_ACCESS_KEY")) ||
			env("AWS_BEARER_TOKEN_BEDROCK") ||
			env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
			env("AWS_CONTAINER_CREDENTIALS_FULL_URI") ||
			env("AWS_WEB_IDENTITY_TOKEN_FILE"),
	);
}

/** A token the environment gives for an `Authorization: Bearer` header instead of a key (ANTHROPIC_AUTH_TOKEN). */
export function bearerEnvToken(provider: string, overrides?: Overrides): string | undefined {
	return provider === "anthropic" ? providerEnv("ANTHROPIC_AUTH_TOKEN", overrides) : undefined;
}

/** Settings besides the key a provider cannot work without (pi 1.6.0 treats the provider as unconfigured). */
export function missingProviderSettings(provider: string, overrides?: Overrides): string[] {
	const required =
		provider === "cloudflare-workers-ai"
			? ["CLOUDFLARE_ACCOUNT_ID"]
			: provider === "cloudflare-ai-gateway"
				? ["CLOUDFLARE_ACCOUNT_ID", "CLOUDFLARE_GATEWAY_ID"]
				: undefined;
	// Asked for every provider at startup: the others skip the filter call, which startup would otherwise make hot
	// enough for JSC's optimizing compiler before the first key press (~2 MB resident for the compiler).
	return required ? required.filter((name) => !providerEnv(name, overrides)) : [];
}

/**
 * The API key the environment provides for a provider, if any ("<authenticated>" for ambient credentials).
 * Whether the provider is usable also depends on `missingProviderSettings`.
 */
export function getEnvApiKey(provider: string, overrides?: Overrides): string | undefined {
	// pi 1.6.0: ANTHROPIC_AUTH_TOKEN wins over the other Anthropic variables and goes as Authorization: Bearer.
	if (bearerEnvToken(provider, overrides)) return AMBIENT_CREDENTIALS;
	const first = findEnvKeys(provider, overrides)?.[0];
	if (first) return providerEnv(first, overrides);
	if (provider === "google-vertex" && hasVertexAdc(overrides)) return AMBIENT_CREDENTIALS;
	if (provider === "amazon-bedrock" && hasBedrockCredentials(overrides)) return AMBIENT_CREDENTIALS;
	// Last in line, as in pi and the Anthropic SDK: keys and ANTHROPIC_AUTH_TOKEN win over federation.
	if (provider === "anthropic" && ANTHROPIC_FEDERATION_VARS.every((name) => providerEnv(name, overrides))) {
		return AMBIENT_CREDENTIALS;
	}
	return undefined;
}
