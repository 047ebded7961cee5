import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";
import { apiKeyEnvVars, getEnvApiKey } from "../../../src/auth/env-api-keys.ts";
import { clearConfigValueCache } from "../../../src/auth/resolve-config-value.ts";
import { sandbox } from "./helpers.ts";

let box: ReturnType<typeof sandbox>;
let authPath: string;
beforeEach(() => {
	box = sandbox();
	authPath = join(box.dir, "agent", "auth.json");
	clearConfigValueCache();
});
afterEach(() => box.cleanup());

function writeAuth(data: unknown): void {
	mkdirSync(join(box.dir, "agent"), { recursive: true });
	writeFileSync(authPath, JSON.stringify(data));
}

describe("AuthStorage reading", () => {
	test("a missing auth.json is empty and is not created by reading", async () => {
		const auth = new AuthStorage(authPath);
		expect(auth.list()).toEqual([]);
		expect(await auth.getApiKey("anthropic")).toBeUndefined();
		expect(auth.hasAuth("anthropic")).toBe(false);
		expect(existsSync(authPath)).toBe(false);
	});

	test("reads api_key and oauth entries as pi writes them", () => {
		writeAuth({
			anthropic: { type: "api_key", key: "sk-ant-1" },
			"openai-codex": { type: "oauth", refresh: "r", access: "a", expires: 123, accountId: "acc" },
		});
		const auth = new AuthStorage(authPath);
		expect(auth.list().sort()).toEqual(["anthropic", "openai-codex"]);
		expect(auth.get("anthropic")).toEqual({ type: "api_key", key: "sk-ant-1" });
		expect(auth.get("openai-codex")).toEqual({
			type: "oauth",
			refresh: "r",
			access: "a",
			expires: 123,
			accountId: "acc",
		});
	});

	test("a corrupt auth.json is reported and never overwritten: saving to it fails and says so", () => {
		mkdirSync(join(box.dir, "agent"), { recursive: true });
		writeFileSync(authPath, "{ not json");
		const auth = new AuthStorage(authPath);
		expect(auth.loadError).toContain(authPath);
		// Before, set() returned as if saved, so a login reported "Credentials saved" and the key was gone next time.
		expect(() => auth.set("openai", { type: "api_key", key: "k" })).toThrow(
			`${authPath} cannot be read (JSON Parse error`,
		);
		expect(() => auth.remove("anthropic")).toThrow("so it was left unchanged; fix or remove it and try again");
		expect(readFileSync(authPath, "utf-8")).toBe("{ not json");
		expect(auth.get("openai")).toBeUndefined();
		// Once fixed, the next save works and everything in the file is read again.
		writeFileSync(authPath, JSON.stringify({ anthropic: { type: "api_key", key: "a" } }));
		auth.set("openai", { type: "api_key", key: "k" });
		expect(auth.loadError).toBeUndefined();
		expect(auth.list().sort()).toEqual(["anthropic", "openai"]);
	});

	test("an auth.json starting with a byte-order mark (a Windows editor) is read, as pi reads it", async () => {
		mkdirSync(join(box.dir, "agent"), { recursive: true });
		writeFileSync(authPath, `\uFEFF${JSON.stringify({ openai: { type: "api_key", key: "sk-bom" } })}`);
		const auth = new AuthStorage(authPath);
		expect(auth.loadError).toBeUndefined();
		expect(await auth.getApiKey("openai")).toBe("sk-bom");
	});
});

describe("API key resolution order", () => {
	test("runtime --api-key beats auth.json, which beats the environment", async () => {
		writeAuth({ openai: { type: "api_key", key: "from-file" } });
		process.env.OPENAI_API_KEY = "from-env";
		const auth = new AuthStorage(authPath);
		expect(await auth.getApiKey("openai")).toBe("from-file");
		auth.setRuntimeApiKey("openai", "from-flag");
		expect(await auth.getApiKey("openai")).toBe("from-flag");
		auth.removeRuntimeApiKey("openai");
		auth.remove("openai");
		expect(await auth.getApiKey("openai")).toBe("from-env");
	});

	test("auth.json keys use pi 1.6.0's $NAME syntax, with the credential's own env first", async () => {
		process.env.MY_SECRET_FOR_TEST = "from-process";
		writeAuth({
			openai: { type: "api_key", key: "sk-$MY_SECRET_FOR_TEST" },
			anthropic: { type: "api_key", key: "$MY_SECRET_FOR_TEST", env: { MY_SECRET_FOR_TEST: "from-credential" } },
		});
		const auth = new AuthStorage(authPath);
		try {
			expect(await auth.getApiKey("openai")).toBe("sk-from-process");
			expect(await auth.getApiKey("anthropic")).toBe("from-credential");
		} finally {
			delete process.env.MY_SECRET_FOR_TEST;
		}
	});

	test("auth.json keys resolve env var names and !commands", async () => {
		process.env.MY_SECRET_FOR_TEST = "resolved-from-env";
		writeAuth({
			openai: { type: "api_key", key: "MY_SECRET_FOR_TEST" },
			groq: { type: "api_key", key: "!printf '  cmd-key  \\n'" },
			xai: { type: "api_key", key: "literal-key" },
			mistral: { type: "api_key", key: "!exit 3" },
		});
		const auth = new AuthStorage(authPath);
		try {
			expect(await auth.getApiKey("openai")).toBe("resolved-from-env");
			expect(await auth.getApiKey("groq")).toBe("cmd-key");
			expect(await auth.getApiKey("xai")).toBe("literal-key");
			expect(await auth.getApiKey("mistral")).toBeUndefined();
		} finally {
			delete process.env.MY_SECRET_FOR_TEST;
		}
	});

	test("an unexpired OAuth token is the key; an expired one that cannot be renewed is an error, not the env key", async () => {
		process.env.ANTHROPIC_API_KEY = "env-key";
		writeAuth({ anthropic: { type: "oauth", refresh: "r", access: "live-token", expires: Date.now() + 60_000 } });
		expect(await new AuthStorage(authPath).getApiKey("anthropic")).toBe("live-token");
		writeAuth({ anthropic: { type: "oauth", refresh: "r", access: "old-token", expires: Date.now() - 1 } });
		const expired = new AuthStorage(authPath);
		// test/preload.ts points the token endpoint at a closed local port, so the refresh fails at once.
		await expect(expired.getApiKey("anthropic")).rejects.toThrow(/login expired|could not be renewed|\/login/);
		expect(expired.hasAuth("anthropic")).toBe(true);
	});

	test("OAuth entries for providers without an OAuth flow give no key", async () => {
		writeAuth({ "some-provider": { type: "oauth", refresh: "r", access: "a", expires: Date.now() + 60_000 } });
		expect(await new AuthStorage(authPath).getApiKey("some-provider")).toBeUndefined();
	});

	test("ANTHROPIC_OAUTH_TOKEN takes precedence over ANTHROPIC_API_KEY", async () => {
		process.env.ANTHROPIC_API_KEY = "api";
		process.env.ANTHROPIC_OAUTH_TOKEN = "oauth";
		expect(await new AuthStorage(authPath).getApiKey("anthropic")).toBe("oauth");
		delete process.env.ANTHROPIC_OAUTH_TOKEN;
		expect(await new AuthStorage(authPath).getApiKey("anthropic")).toBe("api");
	});

	test("pi's provider → environment variable mapping", () => {
		expect(apiKeyEnvVars("google")).toEqual(["GEMINI_API_KEY"]);
		// pi 1.6.0 reads only COPILOT_GITHUB_TOKEN (0.73.1 also took GH_TOKEN and GITHUB_TOKEN).
		expect(apiKeyEnvVars("github-copilot")).toEqual(["COPILOT_GITHUB_TOKEN"]);
		expect(apiKeyEnvVars("vercel-ai-gateway")).toEqual(["AI_GATEWAY_API_KEY"]);
		expect(apiKeyEnvVars("huggingface")).toEqual(["HF_TOKEN"]);
		expect(apiKeyEnvVars("no-such-provider")).toBeUndefined();
		expect(apiKeyEnvVars("azure")).toEqual(["AZURE_OPENAI_API_KEY"]);
		for (const [provider, name] of [
			["nvidia", "NVIDIA_API_KEY"],
			["together", "TOGETHER_API_KEY"],
			["baseten", "BASETEN_API_KEY"],
			["meta", "META_API_KEY"],
			["ant-ling", "ANT_LING_API_KEY"],
			["radius", "RADIUS_API_KEY"],
			["zai-coding-cn", "ZAI_CODING_CN_API_KEY"],
		]) {
			expect(apiKeyEnvVars(provider ?? "")).toEqual([name ?? ""]);
		}
		expect(apiKeyEnvVars("qwen-token-plan")).toEqual(["QWEN_TOKEN_PLAN_TEAM_API_KEY", "QWEN_TOKEN_PLAN_API_KEY"]);
		process.env.QWEN_TOKEN_PLAN_API_KEY = "shared";
		expect(getEnvApiKey("qwen-token-plan-individual")).toBe("shared");
		process.env.GH_TOKEN = "gh";
		expect(getEnvApiKey("github-copilot")).toBeUndefined();
		process.env.AWS_PROFILE = "default";
		expect(getEnvApiKey("amazon-bedrock")).toBe("<authenticated>");
		process.env.GROQ_API_KEY = "";
		expect(getEnvApiKey("groq")).toBeUndefined();
	});

	test("Cloudflare counts as configured only with its account id (and gateway id); stored env wins", () => {
		process.env.CLOUDFLARE_API_KEY = "cf";
		const auth = new AuthStorage(authPath);
		expect(auth.hasAuth("cloudflare-workers-ai")).toBe(false);
		process.env.CLOUDFLARE_ACCOUNT_ID = "acct";
		expect(auth.hasAuth("cloudflare-workers-ai")).toBe(true);
		expect(auth.hasAuth("cloudflare-ai-gateway")).toBe(false);
		writeAuth({ "cloudflare-ai-gateway": { type: "api_key", key: "stored", env: { CLOUDFLARE_GATEWAY_ID: "gw" } } });
		const stored = new AuthStorage(authPath);
		expect(stored.hasAuth("cloudflare-ai-gateway")).toBe(true);
		expect(stored.getProviderEnv("cloudflare-ai-gateway")).toEqual({ CLOUDFLARE_GATEWAY_ID: "gw" });
	});

	test("a pi 1.6.0 entry with settings but no key resolves ambient credentials with them", async () => {
		writeAuth({ "amazon-bedrock": { type: "api_key", env: { AWS_PROFILE: "work" } } });
		const auth = new AuthStorage(authPath);
		expect(auth.hasAuth("amazon-bedrock")).toBe(true);
		expect(await auth.getApiKey("amazon-bedrock")).toBe("<authenticated>");
		expect(auth.getProviderEnv("amazon-bedrock")).toEqual({ AWS_PROFILE: "work" });
	});

	test("a key saved for azure-openai-responses (pi 0.73.1) serves the renamed azure provider", async () => {
		writeAuth({ "azure-openai-responses": { type: "api_key", key: "az" } });
		const auth = new AuthStorage(authPath);
		expect(auth.hasAuth("azure")).toBe(true);
		expect(await auth.getApiKey("azure")).toBe("az");
	});

	test("hasAuth sees runtime keys, stored entries and environment variables", () => {
		writeAuth({ openai: { type: "api_key", key: "k" } });
		const auth = new AuthStorage(authPath);
		expect(auth.hasAuth("openai")).toBe(true);
		expect(auth.hasAuth("groq")).toBe(false);
		process.env.GROQ_API_KEY = "g";
		expect(auth.hasAuth("groq")).toBe(true);
		auth.setRuntimeApiKey("xai", "x");
		expect(auth.hasAuth("xai")).toBe(true);
	});
});

describe("AuthStorage writing", () => {
	test("set creates the file with mode 0600, pretty-printed, and keeps other providers' entries", () => {
		const auth = new AuthStorage(authPath);
		auth.set("openai", { type: "api_key", key: "k1" });
		expect(statSync(authPath).mode & 0o777).toBe(0o600);
		expect(readFileSync(authPath, "utf-8")).toBe(JSON.stringify({ openai: { type: "api_key", key: "k1" } }, null, 2));
		// Another process adds an entry meanwhile; our next write must not lose it.
		const other = new AuthStorage(authPath);
		other.set("groq", { type: "api_key", key: "g" });
		auth.set("xai", { type: "api_key", key: "x" });
		const onDisk: unknown = JSON.parse(readFileSync(authPath, "utf-8"));
		expect(onDisk).toEqual({
			openai: { type: "api_key", key: "k1" },
			groq: { type: "api_key", key: "g" },
			xai: { type: "api_key", key: "x" },
		});
		expect(existsSync(`${authPath}.lock`)).toBe(false);
	});

	test("remove deletes only that provider and preserves entries of unknown shape", () => {
		writeAuth({ openai: { type: "api_key", key: "k" }, future: { type: "something-new", x: 1 } });
		const auth = new AuthStorage(authPath);
		expect(auth.list()).toEqual(["openai"]);
		auth.remove("openai");
		expect(JSON.parse(readFileSync(authPath, "utf-8"))).toEqual({ future: { type: "something-new", x: 1 } });
		expect(auth.get("openai")).toBeUndefined();
	});

	test("runtime keys are never written", () => {
		const auth = new AuthStorage(authPath);
		auth.setRuntimeApiKey("openai", "secret");
		auth.set("groq", { type: "api_key", key: "g" });
		expect(readFileSync(authPath, "utf-8")).not.toContain("secret");
	});
});
