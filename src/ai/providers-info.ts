/** Static facts about providers that the registry and resolver need (pi 1.6.0's tables). */

/**
 * Providers of the built-in catalog, in catalog order. Kept here so models.json can be checked without
 * parsing the catalog; a test keeps it equal to the catalog's providers.
 */
export const BUILT_IN_PROVIDERS: readonly string[] = [
	"amazon-bedrock",
	"ant-ling",
	"anthropic",
	"azure",
	"baseten",
	"cerebras",
	"cloudflare-ai-gateway",
	"cloudflare-workers-ai",
	"deepseek",
	"fireworks",
	"github-copilot",
	"google",
	"google-vertex",
	"groq",
	"huggingface",
	"kimi-coding",
	"meta",
	"minimax",
	"minimax-cn",
	"mistral",
	"moonshotai",
	"moonshotai-cn",
	"nvidia",
	"openai",
	"openai-codex",
	"opencode",
	"opencode-go",
	"openrouter",
	"qwen-token-plan",
	"qwen-token-plan-cn",
	"qwen-token-plan-individual",
	"qwen-token-plan-individual-cn",
	"radius",
	"together",
	"vercel-ai-gateway",
	"xai",
	"xiaomi",
	"xiaomi-token-plan-ams",
	"xiaomi-token-plan-cn",
	"xiaomi-token-plan-sgp",
	"zai",
	"zai-coding-cn",
];

/** The model picked for a provider when the user named none (pi 1.6.0's table); the order is the preference order. */
export const DEFAULT_MODEL_PER_PROVIDER: Readonly<Record<string, string>> = {
	"amazon-bedrock": "us.anthropic.claude-opus-5-5",
	"ant-ling": "Ring-2.6-1T",
	anthropic: "claude-opus-5-5",
	openai: "gpt-6.2-sol",
	azure: "gpt-6.2-sol",
	"openai-codex": "gpt-6.2-sol",
	radius: "balanced",
	nvidia: "nvidia/nemotron-3.5-super-vl-120b-a12b",
	deepseek: "deepseek-v4-pro",
	google: "gemini-4-argon",
	"google-vertex": "gemini-4-argon",
	"github-copilot": "gpt-6.1-sol",
	openrouter: "moonshotai/kimi-k2.7-code",
	"vercel-ai-gateway": "zai/glm-5.3",
	xai: "grok-4.7",
	groq: "openai/gpt-oss-120b",
	cerebras: "gpt-oss-120b",
	zai: "glm-5.3",
	"zai-coding-cn": "glm-5.3",
	mistral: "devstral-medium-latest",
	minimax: "MiniMax-M3",
	"minimax-cn": "MiniMax-M3",
	moonshotai: "kimi-k2.7-code",
	"moonshotai-cn": "kimi-k2.7-code",
	huggingface: "moonshotai/Kimi-K2.7-Code",
	fireworks: "accounts/fireworks/models/kimi-k3",
	together: "moonshotai/Kimi-K3",
	baseten: "zai-org/GLM-5.3",
	opencode: "kimi-k2.7-code",
	"opencode-go": "kimi-k3.1-pro",
	"kimi-coding": "kimi-for-coding",
	meta: "muse-spark-1.3",
	"cloudflare-workers-ai": "@cf/moonshotai/kimi-k2.7-code",
	"cloudflare-ai-gateway": "workers-ai/@cf/moonshotai/kimi-k2.7-code",
	"qwen-token-plan": "qwen3.8-max",
	"qwen-token-plan-cn": "qwen3.8-max",
	"qwen-token-plan-individual": "qwen3.8-max",
	"qwen-token-plan-individual-cn": "qwen3.8-max",
	xiaomi: "mimo-v2.6-pro",
	"xiaomi-token-plan-cn": "mimo-v2.6-pro",
	"xiaomi-token-plan-ams": "mimo-v2.6-pro",
	"xiaomi-token-plan-sgp": "mimo-v2.6-pro",
};

/** pi 1.6.0's provider names (subscription-only providers have none here: they are listed by their login). */
const DISPLAY_NAMES: Readonly<Record<string, string>> = {
	"amazon-bedrock": "Amazon Bedrock",
	"ant-ling": "Ant Ling",
	anthropic: "Anthropic",
	azure: "Azure",
	baseten: "Baseten",
	cerebras: "Cerebras",
	"cloudflare-ai-gateway": "Cloudflare AI Gateway",
	"cloudflare-workers-ai": "Cloudflare Workers AI",
	deepseek: "DeepSeek",
	fireworks: "Fireworks",
	google: "Google",
	"google-vertex": "Google Vertex AI",
	groq: "Groq",
	huggingface: "Hugging Face",
	"kimi-coding": "Kimi For Coding",
	meta: "Meta",
	minimax: "MiniMax",
	"minimax-cn": "MiniMax CN",
	mistral: "Mistral",
	moonshotai: "Moonshot AI",
	"moonshotai-cn": "Moonshot AI CN",
	nvidia: "NVIDIA",
	openai: "OpenAI",
	opencode: "OpenCode Zen",
	"opencode-go": "OpenCode Go",
	openrouter: "OpenRouter",
	"qwen-token-plan": "Qwen Token Plan Team",
	"qwen-token-plan-cn": "Qwen Token Plan Team CN",
	"qwen-token-plan-individual": "Qwen Token Plan Individual",
	"qwen-token-plan-individual-cn": "Qwen Token Plan Individual CN",
	radius: "Radius",
	together: "Together",
	"vercel-ai-gateway": "Vercel AI Gateway",
	xai: "xAI",
	xiaomi: "Xiaomi",
	"xiaomi-token-plan-ams": "Xiaomi Token Plan AMS",
	"xiaomi-token-plan-cn": "Xiaomi Token Plan CN",
	"xiaomi-token-plan-sgp": "Xiaomi Token Plan SGP",
	zai: "Z.AI",
	"zai-coding-cn": "Z.AI Coding CN",
};

/** Human name for a provider id ("openai" → "OpenAI"); unknown ids are shown as they are. */
export function providerDisplayName(provider: string): string {
	return DISPLAY_NAMES[provider] ?? provider;
}

/**
 * pi's rule for the providers `/login` and `pi auth login` offer an API key for: those with a display name, plus
 * custom providers (models.json) that are not OAuth ones; other built-ins (subscription-only ones) are left out.
 */
export function isApiKeyLoginProvider(providerId: string, oauthIds: ReadonlySet<string>): boolean {
	if (providerDisplayName(providerId) !== providerId) return true;
	if (BUILT_IN_PROVIDERS.includes(providerId)) return false;
	return !oauthIds.has(providerId);
}

/** pi's message when no provider has credentials (`--list-models`, startup). */
export function noModelsAvailableMessage(docsDir?: string): string {
	const help = docsDir
		? [
				"Use /login to log into a provider via OAuth or API key. See:",
				`  ${docsDir}/providers.md`,
				`  ${docsDir}/models.md`,
			]
		: ["Use /login to log into a provider via OAuth or API key, or set an API key environment variable."];
	return `No models available. ${help.join("\n")}`;
}
