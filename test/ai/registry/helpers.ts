import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ModelRegistry } from "../../../src/ai/model-registry.ts";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";

/** Every variable any provider reads its key from, so a developer's own keys cannot leak into a test. */
export const PROVIDER_ENV_VARS = [
	"ANTHROPIC_API_KEY",
	"ANTHROPIC_OAUTH_TOKEN",
	"OPENAI_API_KEY",
	"AZURE_OPENAI_API_KEY",
	"DEEPSEEK_API_KEY",
	"GEMINI_API_KEY",
	"GOOGLE_CLOUD_API_KEY",
	"GROQ_API_KEY",
	"CEREBRAS_API_KEY",
	"XAI_API_KEY",
	"OPENROUTER_API_KEY",
	"AI_GATEWAY_API_KEY",
	"ZAI_API_KEY",
	"MISTRAL_API_KEY",
	"MINIMAX_API_KEY",
	"MINIMAX_CN_API_KEY",
	"MOONSHOT_API_KEY",
	"HF_TOKEN",
	"FIREWORKS_API_KEY",
	"OPENCODE_API_KEY",
	"KIMI_API_KEY",
	"CLOUDFLARE_API_KEY",
	"XIAOMI_API_KEY",
	"XIAOMI_TOKEN_PLAN_CN_API_KEY",
	"XIAOMI_TOKEN_PLAN_AMS_API_KEY",
	"XIAOMI_TOKEN_PLAN_SGP_API_KEY",
	"COPILOT_GITHUB_TOKEN",
	"GH_TOKEN",
	"GITHUB_TOKEN",
	"AWS_PROFILE",
	"AWS_ACCESS_KEY_ID",
	"AWS_SECRET_ACCESS_KEY",
	"AWS_BEARER_TOKEN_BEDROCK",
];

/** A fresh temp dir and a clean provider environment; call the returned cleanup in afterEach. */
export function sandbox(): { dir: string; cleanup: () => void } {
	const dir = mkdtempSync(join(tmpdir(), "pi-registry-test-"));
	const saved = new Map(PROVIDER_ENV_VARS.map((name) => [name, process.env[name]]));
	for (const name of PROVIDER_ENV_VARS) delete process.env[name];
	return {
		dir,
		cleanup: () => {
			for (const [name, value] of saved) {
				if (value === undefined) delete process.env[name];
				else process.env[name] = value;
			}
			rmSync(dir, { recursive: true, force: true });
		},
	};
}

/** Registry over real files in `dir`; `modelsJson` (object or raw text) is written when given. */
export function makeRegistry(
	dir: string,
	options: { modelsJson?: unknown; authJson?: unknown } = {},
): { auth: AuthStorage; registry: ModelRegistry; modelsPath: string; authPath: string } {
	const modelsPath = join(dir, "models.json");
	const authPath = join(dir, "auth.json");
	if (options.modelsJson !== undefined) {
		const text = typeof options.modelsJson === "string" ? options.modelsJson : JSON.stringify(options.modelsJson);
		writeFileSync(modelsPath, text);
	}
	if (options.authJson !== undefined) writeFileSync(authPath, JSON.stringify(options.authJson));
	const auth = new AuthStorage(authPath);
	return { auth, registry: new ModelRegistry(auth, modelsPath), modelsPath, authPath };
}
