import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { streamAssistant } from "../../../src/ai/stream.ts";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";
import { OAuthRefreshError } from "../../../src/auth/oauth/stored-refresh.ts";
import { readTool, testModel, userContext } from "../../ai/providers/helpers.ts";
import { type LlmTestServer, startLlmServer } from "../../support/llm-server.ts";
import { type FakeOAuthServer, startFakeOAuthServer } from "./fake-oauth-server.ts";
import { expiredOAuth, fileMode, readAuthFile, setEnv, tempAuthFile } from "./helpers.ts";

let server: FakeOAuthServer;
let restoreEnv: () => void;
beforeAll(() => {
	server = startFakeOAuthServer();
	restoreEnv = setEnv(server.env);
});
afterAll(async () => {
	restoreEnv();
	await server.close();
});

function oauthEntry(auth: AuthStorage, provider: string) {
	const credential = auth.get(provider);
	if (credential?.type !== "oauth") throw new Error(`no OAuth entry for ${provider}`);
	return credential;
}

describe("AuthStorage.getApiKey with an expired OAuth token", () => {
	test("refreshes, writes auth.json back (mode 600, other entries kept) and then uses the new token", async () => {
		server.validRefreshTokens.add("rt-1");
		const authPath = tempAuthFile({
			openai: { type: "api_key", key: "sk-openai" },
			"some-future-provider": { type: "something-new", value: 1 },
			anthropic: expiredOAuth("rt-1"),
		});
		const auth = new AuthStorage(authPath);
		const refreshesBefore = server.refreshCount();
		const key = await auth.getApiKey("anthropic");
		expect(key).toStartWith("sk-ant-oat01-access-");
		expect(server.refreshCount()).toBe(refreshesBefore + 1);
		expect(server.tokenRequests.at(-1)).toEqual({
			grant_type: "refresh_token",
			client_id: "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
			refresh_token: "rt-1",
		});
		const file = readAuthFile(authPath);
		expect(file.openai).toEqual({ type: "api_key", key: "sk-openai" });
		expect(file["some-future-provider"]).toEqual({ type: "something-new", value: 1 });
		expect(file.anthropic).toMatchObject({ type: "oauth", access: key });
		expect(Object.keys(file.anthropic ?? {})).toEqual(["type", "refresh", "access", "expires"]);
		expect(oauthEntry(auth, "anthropic").expires).toBeGreaterThan(Date.now());
		expect(fileMode(authPath)).toBe(0o600);
		// no lock or temp file left behind
		expect(readdirSync(dirname(authPath))).toEqual(["auth.json"]);
		// the fresh token is used without another refresh
		expect(await auth.getApiKey("anthropic")).toBe(key);
		expect(server.refreshCount()).toBe(refreshesBefore + 1);
	});

	test("two processes refreshing at once make one refresh and both get the new token", async () => {
		server.validRefreshTokens.add("rt-concurrent");
		server.refreshDelayMs = 300;
		try {
			const authPath = tempAuthFile({ anthropic: expiredOAuth("rt-concurrent") });
			const goFile = join(dirname(authPath), "go");
			const refreshesBefore = server.refreshCount();
			const child = () =>
				Bun.spawn([process.execPath, join(import.meta.dir, "refresh-child.ts"), authPath, goFile], {
					env: { ...process.env },
					stdout: "pipe",
					stderr: "pipe",
				});
			const children = [child(), child()];
			await Bun.sleep(150); // both have loaded the expired token before either refreshes
			writeFileSync(goFile, "");
			const outputs = await Promise.all(
				children.map(async (proc) => {
					const [out, err, code] = await Promise.all([
						new Response(proc.stdout).text(),
						new Response(proc.stderr).text(),
						proc.exited,
					]);
					expect(err).toBe("");
					expect(code).toBe(0);
					return out.trim();
				}),
			);
			expect(server.refreshCount()).toBe(refreshesBefore + 1);
			expect(outputs[0]).toStartWith("sk-ant-oat01-access-");
			expect(outputs[1]).toBe(outputs[0] ?? "");
			expect(readAuthFile(authPath).anthropic).toMatchObject({ access: outputs[0] });
		} finally {
			server.refreshDelayMs = 0;
		}
	}, 60_000);

	test("a refused refresh throws an error telling the user to /login again, and keeps the credential", async () => {
		const revoked = expiredOAuth("rt-revoked");
		const authPath = tempAuthFile({ anthropic: revoked });
		const auth = new AuthStorage(authPath);
		const failure = auth.getApiKey("anthropic");
		await expect(failure).rejects.toBeInstanceOf(OAuthRefreshError);
		await expect(auth.getApiKey("anthropic")).rejects.toThrow(
			/Anthropic \(Claude Pro\/Max\) login expired and could not be renewed \(HTTP 400 .*invalid_grant.*\)\. Run \/login/,
		);
		expect(readAuthFile(authPath).anthropic).toEqual(revoked);
		expect(existsSync(`${authPath}.lock`)).toBe(false);
	});

	test("a token another process refreshed after we loaded auth.json is used without refreshing again", async () => {
		const authPath = tempAuthFile({ anthropic: expiredOAuth("rt-other") });
		const auth = new AuthStorage(authPath);
		// Another pi refreshed after we loaded the file: the locked re-read sees its token and skips refreshing.
		const other = new AuthStorage(authPath);
		other.set("anthropic", {
			type: "oauth",
			refresh: "rt-new",
			access: "sk-ant-oat01-other",
			expires: Date.now() + 60_000,
		});
		const refreshesBefore = server.refreshCount();
		expect(await auth.getApiKey("anthropic")).toBe("sk-ant-oat01-other");
		expect(server.refreshCount()).toBe(refreshesBefore);
	});

	test("logged out by another process meanwhile: no refresh, and the environment key is used as pi does", async () => {
		const authPath = tempAuthFile({ anthropic: expiredOAuth("rt-gone") });
		const auth = new AuthStorage(authPath);
		new AuthStorage(authPath).remove("anthropic");
		const restore = setEnv({ ANTHROPIC_API_KEY: "sk-ant-env" });
		try {
			const refreshesBefore = server.refreshCount();
			expect(await auth.getApiKey("anthropic")).toBe("sk-ant-env");
			expect(server.refreshCount()).toBe(refreshesBefore);
		} finally {
			restore();
		}
	});

	test("a lock abandoned by a crashed process (older than 30 s) does not block the refresh", async () => {
		server.validRefreshTokens.add("rt-stale-lock");
		const authPath = tempAuthFile({ anthropic: expiredOAuth("rt-stale-lock") });
		mkdirSync(`${authPath}.lock`);
		const old = new Date(Date.now() - 60_000);
		utimesSync(`${authPath}.lock`, old, old);
		const key = await new AuthStorage(authPath).getApiKey("anthropic");
		expect(key).toStartWith("sk-ant-oat01-access-");
		expect(existsSync(`${authPath}.lock`)).toBe(false);
	});

	test("OpenAI Codex: the refresh goes to OpenAI's token endpoint and stores the new account id", async () => {
		server.validOpenAIRefreshTokens.add("rt-codex");
		const authPath = tempAuthFile({ "openai-codex": expiredOAuth("rt-codex", { accountId: "acc-old" }) });
		const key = await new AuthStorage(authPath).getApiKey("openai-codex");
		expect(server.openaiTokenRequests.at(-1)).toEqual({
			grant_type: "refresh_token",
			refresh_token: "rt-codex",
			client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
		});
		const stored = readAuthFile(authPath)["openai-codex"];
		expect(stored).toMatchObject({ type: "oauth", access: key, accountId: "acct-fake" });
		expect(Object.keys(stored ?? {})).toEqual(["type", "access", "refresh", "expires", "accountId"]);
	});
});

describe("an Anthropic request with a refreshed OAuth token", () => {
	let llm: LlmTestServer;
	beforeAll(async () => {
		llm = await startLlmServer();
	});
	afterAll(async () => {
		await llm.close();
	});

	test("carries pi's OAuth headers, Claude Code identity and Claude Code tool names", async () => {
		server.validRefreshTokens.add("rt-request");
		const auth = new AuthStorage(tempAuthFile({ anthropic: expiredOAuth("rt-request") }));
		const apiKey = await auth.getApiKey("anthropic");
		expect(apiKey).toStartWith("sk-ant-oat01-");
		const model = testModel("anthropic-messages", llm.url);
		await streamAssistant(model, userContext("hi", { tools: [readTool] }), { apiKey }).result();
		const request = llm.requests.at(-1);
		expect(request?.headers.authorization).toBe(`Bearer ${apiKey}`);
		expect(request?.headers["x-api-key"]).toBeUndefined();
		// pi 1.6.0 adds interleaved thinking only with budget thinking on (off here).
		expect(request?.headers["anthropic-beta"]).toBe("claude-code-20250219,oauth-2025-04-20");
		expect(request?.headers["user-agent"]).toBe("claude-cli/2.1.75");
		expect(request?.headers["x-app"]).toBe("cli");
		expect(request?.headers["anthropic-dangerous-direct-browser-access"]).toBe("true");
		expect(request?.body).toMatchObject({
			system: [
				{ type: "text", text: "You are Claude Code, Anthropic's official CLI for Claude." },
				{ type: "text", text: "You are a test." },
			],
			tools: [{ name: "Read" }],
		});
	});
});
