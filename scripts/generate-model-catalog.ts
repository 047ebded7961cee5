/**
 * One-off generator for src/ai/catalog/models.json: model metadata (ids, prices, limits) taken from pi-ai's
 * published models.generated.js. Run: bun scripts/generate-model-catalog.ts [path/to/models.generated.js]
 * Kept: providers whose API we can stream with plain API keys, plus the subscription providers whose logins we
 * have (GitHub Copilot, OpenAI Codex). Bedrock, Vertex and the Cloudflare providers (placeholder URLs) need
 * machinery we do not have.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const PROVIDERS = [
	"anthropic",
	"openai",
	"azure-openai-responses",
	"google",
	"openrouter",
	"groq",
	"cerebras",
	"xai",
	"mistral",
	"zai",
	"huggingface",
	"vercel-ai-gateway",
	"deepseek",
	"minimax",
	"minimax-cn",
	"moonshotai",
	"moonshotai-cn",
	"kimi-coding",
	"fireworks",
	"github-copilot",
	"openai-codex",
	"opencode",
	"opencode-go",
	"xiaomi",
	"xiaomi-token-plan-cn",
	"xiaomi-token-plan-ams",
	"xiaomi-token-plan-sgp",
];
const FIELD_ORDER = [
	"id",
	"name",
	"api",
	"provider",
	"baseUrl",
	"reasoning",
	"thinkingLevelMap",
	"input",
	"cost",
	"contextWindow",
	"maxTokens",
	"headers",
	"compat",
];

const source = process.argv[2] ?? "/tmp/piref/node_modules/@mariozechner/pi-ai/dist/models.generated.js";
const { MODELS } = (await import(source)) as { MODELS: Record<string, Record<string, Record<string, unknown>>> };

const lines: string[] = [];
const missing = PROVIDERS.filter((provider) => !MODELS[provider]);
if (missing.length > 0) throw new Error(`providers missing from ${source}: ${missing.join(", ")}`);
// pi-ai's own provider order: "first match" and "first available model" depend on it.
for (const [provider, models] of Object.entries(MODELS)) {
	if (!PROVIDERS.includes(provider)) continue;
	for (const model of Object.values(models)) {
		const ordered: Record<string, unknown> = {};
		for (const key of FIELD_ORDER) if (model[key] !== undefined) ordered[key] = model[key];
		const unknown = Object.keys(model).filter((key) => !FIELD_ORDER.includes(key));
		if (unknown.length > 0) throw new Error(`${provider}/${String(model.id)}: unexpected fields ${unknown.join(", ")}`);
		lines.push(JSON.stringify(ordered));
	}
}
const out = join(import.meta.dir, "..", "src", "ai", "catalog", "models.json");
writeFileSync(out, `[\n${lines.join(",\n")}\n]\n`);
// The repository's formatter owns the final layout (CI runs biome over src/).
const biome = join(import.meta.dir, "..", "node_modules", ".bin", "biome");
Bun.spawnSync([biome, "format", "--write", out], { stdout: "inherit", stderr: "inherit" });
console.log(`wrote ${lines.length} models to ${out}`);
