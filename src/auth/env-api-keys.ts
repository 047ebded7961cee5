/**
 * Which environment variables hold a provider's API key (pi-ai's env-api-keys mapping, pi-spec §4.9).
 * Bedrock and Vertex authenticate through their SDKs; for them a configured environment yields the
 * sentinel "<authenticated>" so the provider counts as available.
 */
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const SINGLE_ENV_VAR: Readonly<Record<string, string>> = {
	openai: "OPENAI_API_KEY",
	"azure-openai-responses": "AZURE_OPENAI_API_KEY",
	deepseek: "DEEPSEEK_API_KEY",
	google: "GEMINI_API_KEY",
	"google-vertex": "GOOGLE_CLOUD_API_KEY",
	groq: "GROQ_API_KEY",
	cerebras: "CEREBRAS_API_KEY",
	xai: "XAI_API_KEY",
	openrouter: "OPENROUTER_API_KEY",
	"vercel-ai-gateway": "AI_GATEWAY_API_KEY",
	zai: "ZAI_API_KEY",
	mistral: "MISTRAL_API_KEY",
	minimax: "MINIMAX_API_KEY",
	"minimax-cn": "MINIMAX_CN_API_KEY",
	moonshotai: "MOONSHOT_API_KEY",
	"moonshotai-cn": "MOONSHOT_API_KEY",
	huggingface: "HF_TOKEN",
	fireworks: "FIREWORKS_API_KEY",
	opencode: "OPENCODE_API_KEY",
	"opencode-go": "OPENCODE_API_KEY",
	"kimi-coding": "KIMI_API_KEY",
	"cloudflare-workers-ai": "CLOUDFLARE_API_KEY",
	"cloudflare-ai-gateway": "CLOUDFLARE_API_KEY",
	xiaomi: "XIAOMI_API_KEY",
	"xiaomi-token-plan-cn": "XIAOMI_TOKEN_PLAN_CN_API_KEY",
	"xiaomi-token-plan-ams": "XIAOMI_TOKEN_PLAN_AMS_API_KEY",
	"xiaomi-token-plan-sgp": "XIAOMI_TOKEN_PLAN_SGP_API_KEY",
};

/** Candidate variables in precedence order (ANTHROPIC_OAUTH_TOKEN beats ANTHROPIC_API_KEY). */
export function apiKeyEnvVars(provider: string): string[] | undefined {
	if (provider === "github-copilot") return ["COPILOT_GITHUB_TOKEN", "GH_TOKEN", "GITHUB_TOKEN"];
	if (provider === "anthropic") return ["ANTHROPIC_OAUTH_TOKEN", "ANTHROPIC_API_KEY"];
	const single = SINGLE_ENV_VAR[provider];
	return single ? [single] : undefined;
}

/** The provider's variables that are set to a non-empty value, in precedence order. */
export function findEnvKeys(provider: string): string[] | undefined {
	const found = apiKeyEnvVars(provider)?.filter((name) => Boolean(process.env[name]));
	return found && found.length > 0 ? found : undefined;
}

function hasVertexCredentials(): boolean {
	const explicit = process.env.GOOGLE_APPLICATION_CREDENTIALS;
	const credentials = explicit || join(homedir(), ".config", "gcloud", "application_default_credentials.json");
	const project = process.env.GOOGLE_CLOUD_PROJECT || process.env.GCLOUD_PROJECT;
	return Boolean(project) && Boolean(process.env.GOOGLE_CLOUD_LOCATION) && existsSync(credentials);
}

function hasBedrockCredentials(): boolean {
	const env = process.env;
	return Boolean(
		env.AWS_PROFILE ||
			(env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) ||
			env.AWS_BEARER_TOKEN_BEDROCK ||
			env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ||
			env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
			env.AWS_WEB_IDENTITY_TOKEN_FILE,
	);
}

/** The API key the environment provides for a provider, if any. */
export function getEnvApiKey(provider: string): string | undefined {
	const first = findEnvKeys(provider)?.[0];
	if (first) return process.env[first];
	if (provider === "google-vertex" && hasVertexCredentials()) return "<authenticated>";
	if (provider === "amazon-bedrock" && hasBedrockCredentials()) return "<authenticated>";
	return undefined;
}
