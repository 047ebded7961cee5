import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as v from "valibot";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";
import { loginWithOAuth, refreshOAuthCredential } from "../../../src/auth/oauth/index.ts";
import { type FakeOAuthServer, startFakeOAuthServer } from "./fake-oauth-server.ts";
import { fileMode, freePort, readAuthFile, setEnv, tempAuthFile } from "./helpers.ts";

let server: FakeOAuthServer;
let restoreEnv: () => void;
let callbackPort: number;
beforeAll(() => {
	server = startFakeOAuthServer();
	callbackPort = freePort();
	restoreEnv = setEnv({ ...server.env, PI_OAUTH_OPENAI_CODEX_CALLBACK_PORT: String(callbackPort) });
});
afterAll(async () => {
	restoreEnv();
	await server.close();
});

const never = () => new Promise<string>(() => {});

function authorizeParams(url: string): URLSearchParams {
	const parsed = new URL(url);
	expect(`${parsed.origin}${parsed.pathname}`).toBe(`${server.url}/openai/oauth/authorize`);
	return parsed.searchParams;
}

const StoredSchema = v.strictObject({
	type: v.literal("oauth"),
	access: v.string(),
	refresh: v.string(),
	expires: v.number(),
	accountId: v.string(),
});

describe("ChatGPT Plus/Pro (Codex) login", () => {
	test("pasted redirect URL: pi's authorize URL, PKCE checked by the token endpoint, stored as pi stores it", async () => {
		const authPath = tempAuthFile();
		const auth = new AuthStorage(authPath);
		let state = "";
		let instructions: string | undefined;
		const progress: string[] = [];
		const before = Date.now();
		await loginWithOAuth(
			"openai-codex",
			{
				onAuthUrl: (url, text) => {
					instructions = text;
					const params = authorizeParams(url);
					expect([...params.keys()]).toEqual([
						"response_type",
						"client_id",
						"redirect_uri",
						"scope",
						"code_challenge",
						"code_challenge_method",
						"state",
						"id_token_add_organizations",
						"codex_cli_simplified_flow",
						"originator",
					]);
					expect(params.get("client_id")).toBe("app_EMoamEEZ73f0CkXaXp7hrann");
					expect(params.get("redirect_uri")).toBe(`http://localhost:${callbackPort}/auth/callback`);
					expect(params.get("scope")).toBe("openid profile email offline_access");
					expect(params.get("originator")).toBe("pi");
					state = params.get("state") ?? "";
					expect(state).toMatch(/^[0-9a-f]{32}$/);
					server.expectCode("codex-code", params.get("code_challenge") ?? "");
				},
				onPrompt: async (message) => {
					expect(message).toBe("Paste the authorization code (or full redirect URL):");
					return `http://localhost:${callbackPort}/auth/callback?code=codex-code&state=${state}`;
				},
				onProgress: (message) => progress.push(message),
			},
			auth,
		);
		expect(instructions).toBe("A browser window should open. Complete login to finish.");
		expect(progress).toEqual(["Exchanging authorization code for tokens..."]);
		expect(server.openaiTokenRequests.at(-1)).toMatchObject({
			grant_type: "authorization_code",
			client_id: "app_EMoamEEZ73f0CkXaXp7hrann",
			code: "codex-code",
			redirect_uri: `http://localhost:${callbackPort}/auth/callback`,
		});
		const stored = readAuthFile(authPath)["openai-codex"];
		const entry = v.parse(StoredSchema, stored);
		expect(Object.keys(stored ?? {})).toEqual(["type", "access", "refresh", "expires", "accountId"]);
		expect(entry.accountId).toBe("acct-fake");
		// pi keeps OpenAI's full lifetime (864000 s) here: no five-minute margin
		expect(entry.expires).toBeGreaterThanOrEqual(before + 864000_000);
		expect(entry.expires).toBeLessThanOrEqual(Date.now() + 864000_000);
		expect(fileMode(authPath)).toBe(0o600);
		expect(await auth.getApiKey("openai-codex")).toBe(entry.access);
	});

	test("the browser redirect to the local callback server finishes login without pasting", async () => {
		const auth = new AuthStorage(tempAuthFile());
		let redirect: Promise<Response> | undefined;
		await loginWithOAuth(
			"openai-codex",
			{
				onAuthUrl: (url) => {
					const params = authorizeParams(url);
					server.expectCode("browser-code", params.get("code_challenge") ?? "");
					const back = new URL(params.get("redirect_uri") ?? "");
					back.hostname = "127.0.0.1";
					back.searchParams.set("code", "browser-code");
					back.searchParams.set("state", params.get("state") ?? "");
					redirect = fetch(back);
				},
				onPrompt: never,
			},
			auth,
		);
		const page = await redirect;
		expect(page?.status).toBe(200);
		expect(auth.get("openai-codex")).toMatchObject({ type: "oauth", accountId: "acct-fake" });
		await expect(fetch(`http://127.0.0.1:${callbackPort}/auth/callback`)).rejects.toThrow();
	});

	test("a redirect with someone else's state is refused by the callback page", async () => {
		const controller = new AbortController();
		let page: Response | undefined;
		const login = loginWithOAuth(
			"openai-codex",
			{
				onAuthUrl: async (url) => {
					const back = new URL(authorizeParams(url).get("redirect_uri") ?? "");
					back.hostname = "127.0.0.1";
					back.search = "?code=x&state=forged";
					page = await fetch(back);
					controller.abort();
				},
				onPrompt: never,
				signal: controller.signal,
			},
			new AuthStorage(tempAuthFile()),
		);
		await expect(login).rejects.toThrow("Login cancelled");
		expect(page?.status).toBe(400);
		expect(await page?.text()).toContain("State mismatch");
	});

	test("a pasted state that is not ours is refused and nothing is stored", async () => {
		const auth = new AuthStorage(tempAuthFile());
		const login = loginWithOAuth("openai-codex", { onAuthUrl: () => {}, onPrompt: async () => "code#forged" }, auth);
		await expect(login).rejects.toThrow("State mismatch");
		expect(auth.get("openai-codex")).toBeUndefined();
	});

	test("a code the token endpoint rejects fails with pi's message and the server's answer", async () => {
		const auth = new AuthStorage(tempAuthFile());
		const login = loginWithOAuth("openai-codex", { onAuthUrl: () => {}, onPrompt: async () => "unknown-code" }, auth);
		await expect(login).rejects.toThrow(/OpenAI Codex token exchange failed \(400\): .*invalid_grant/);
		expect(auth.get("openai-codex")).toBeUndefined();
	});

	test("refresh trades the refresh token for new tokens; a refused one names the failure", async () => {
		server.validOpenAIRefreshTokens.add("rt-good");
		const refreshed = await refreshOAuthCredential("openai-codex", {
			type: "oauth",
			access: "old",
			refresh: "rt-good",
			expires: 0,
			accountId: "acct-old",
		});
		expect(refreshed).toMatchObject({ type: "oauth", accountId: "acct-fake" });
		expect(refreshed.refresh).toStartWith("rt_openai_");
		expect(refreshed.expires).toBeGreaterThan(Date.now() + 800000_000);
		await expect(
			refreshOAuthCredential("openai-codex", { type: "oauth", access: "a", refresh: "rt-bad", expires: 0 }),
		).rejects.toThrow(/OpenAI Codex token refresh failed \(401\)/);
	});
});
