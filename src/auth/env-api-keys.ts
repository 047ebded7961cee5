/**
 * Which environment variables hold a provider's API key (pi-ai's env-api-keys mapping, pi-spec §4.9).
 * Bedrock and Vertex authenticate through their SDKs; for them a configured environment yields the
 * sentinel "<authenticated>" so the provider counts as available.
 */
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

let procEnviron: Map<string, string> | undefined;

/**
 * An environment variable's value. Compiled Bun binaries can see an empty `process.env` inside some Linux
 * sandboxes (pi works around the same Bun bug); the variables are then recovered from /proc/self/environ.
 */
export function readEnv(name: string): string | undefined {
	const value = process.env[name];
	if (value !== undefined || Object.keys(process.env).length > 0) return value;
	if (!procEnviron) {
		procEnviron = new Map();
		try {
			for (const entry of readFileSync("/proc/self/environ", "utf-8").split("\0")) {
				const eq = entry.indexOf("=");
				if (eq > 0) procEnviron.set(entry.slice(0, eq), entry.slice(eq + 1));
			}
		} catch {
			// Not Linux, or not readable: nothing to recover.
		}
	}
	return procEnviron.get(name);
}

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
	const found = apiKeyEnvVars(provider)?.filter((name) => Boolean(readEnv(name)));
	return found && found.length > 0 ? found : undefined;
}

function hasVertexCredentials(): boolean {
	const explicit = readEnv("GOOGLE_APPLICATION_CREDENTIALS");
	const credentials = explicit || join(homedir(), ".config", "gcloud", "application_default_credentials.json");
	const project = readEnv("GOOGLE_CLOUD_PROJECT") || readEnv("GCLOUD_PROJECT");
	return Boolean(project) && Boolean(readEnv("GOOGLE_CLOUD_LOCATION")) && existsSync(credentials);
}

function hasBedrockCredentials(): boolean {
	return Boolean(
		readEnv("AWS_PROFILE") ||
			(readEnv("AWS_ACCESS_KEY_ID") && readEnv("AWS_SECRET_ACCESS_KEY")) ||
			readEnv("AWS_BEARER_TOKEN_BEDROCK") ||
			readEnv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") ||
			readEnv("AWS_CONTAINER_CREDENTIALS_FULL_URI") ||
			readEnv("AWS_WEB_IDENTITY_TOKEN_FILE"),
	);
}

/** The API key the environment provides for a provider, if any. */
export function getEnvApiKey(provider: string): string | undefined {
	const first = findEnvKeys(provider)?.[0];
	if (first) return readEnv(first);
	if (provider === "google-vertex" && hasVertexCredentials()) return "<authenticated>";
	if (provider === "amazon-bedrock" && hasBedrockCredentials()) return "<authenticated>";
	return undefined;
}
