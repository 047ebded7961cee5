import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import * as v from "valibot";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";
import { parseAuthorizationInput } from "../../../src/auth/oauth/callback-server.ts";
import { copilotBaseUrl, normalizeDomain } from "../../../src/auth/oauth/github-copilot.ts";
import { listOAuthProviders, loginWithOAuth, refreshOAuthCredential } from "../../../src/auth/oauth/index.ts";
import { createPkce } from "../../../src/auth/oauth/pkce.ts";
import { type FakeOAuthServer, startFakeOAuthServer } from "./fake-oauth-server.ts";
import { fileMode, freePort, readAuthFile, setEnv, tempAuthFile } from "./helpers.ts";

let server: FakeOAuthServer;
let restoreEnv: () => void;
let callbackPort: number;
beforeAll(() => {
	server = startFakeOAuthServer();
	callbackPort = freePort();
	restoreEnv = setEnv({ ...server.env, PI_OAUTH_ANTHROPIC_CALLBACK_PORT: String(callbackPort) });
});
afterAll(async () => {
	restoreEnv();
	await server.close();
});

/** Captures the authorize URL pi shows, and registers its PKCE challenge with the fake token endpoint. */
function authorizeUrlParams(url: string): URLSearchParams {
	const parsed = new URL(url);
	expect(`${parsed.origin}${parsed.pathname}`).toBe(`${server.url}/oauth/authorize`);
	return parsed.searchParams;
}

const never = () => new Promise<string>(() => {});

describe("listOAuthProviders", () => {
	test("Anthropic, GitHub Copilot and ChatGPT (Codex), in pi's order, then Radius (pi 1.6.0)", () => {
		expect(listOAuthProviders()).toEqual([
			{ id: "anthropic", name: "Anthropic (Claude Pro/Max)" },
			{ id: "github-copilot", name: "GitHub Copilot" },
			{ id: "openai-codex", name: "ChatGPT Plus/Pro (Codex Subscription)" },
			{ id: "radius", name: "Radius" },
		]);
	});

	test("unknown providers are refused", async () => {
		const auth = new AuthStorage(tempAuthFile());
		const callbacks = { onAuthUrl: () => {}, onPrompt: never };
		await expect(loginWithOAuth("google-gemini-cli", callbacks, auth)).rejects.toThrow("Unknown OAuth provider");
		await expect(
			refreshOAuthCredential("nope", { type: "oauth", refresh: "r", access: "a", expires: 0 }),
		).rejects.toThrow("Unknown OAuth provider");
	});
});

describe("PKCE and pasted input", () => {
	test("the challenge is the base64url SHA-256 of a 43-character verifier", async () => {
		const { verifier, challenge } = await createPkce();
		expect(verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
		const digest = new Bun.CryptoHasher("sha256").update(verifier).digest("base64url");
		expect(challenge).toBe(digest);
		expect((await createPkce()).verifier).not.toBe(verifier);
	});

	test("code#state, a redirect URL, a query string and a bare code", () => {
		expect(parseAuthorizationInput(" abc#xyz \n")).toEqual({ code: "abc", state: "xyz" });
		expect(parseAuthorizationInput("http://localhost:53692/callback?code=abc&state=xyz")).toEqual({
			code: "abc",
			state: "xyz",
		});
		expect(parseAuthorizationInput("code=abc&state=xyz")).toEqual({ code: "abc", state: "xyz" });
		expect(parseAuthorizationInput("abc")).toEqual({ code: "abc" });
		expect(parseAuthorizationInput("  ")).toEqual({});
	});
});

describe("Anthropic login", () => {
	test("pasted code#state: authorize URL as pi's, PKCE checked by the token endpoint, stored as pi stores it", async () => {
		const authPath = tempAuthFile({ openai: { type: "api_key", key: "sk-openai" } });
		const auth = new AuthStorage(authPath);
		const progress: string[] = [];
		let instructions: string | undefined;
		let state = "";
		const before = Date.now();
		await loginWithOAuth(
			"anthropic",
			{
				onAuthUrl: (url, text) => {
					instructions = text;
					const params = authorizeUrlParams(url);
					expect(params.get("client_id")).toBe("9d1c250a-e61b-44d9-88ed-5944d1962f5e");
					expect(params.get("response_type")).toBe("code");
					expect(params.get("code")).toBe("true");
					expect(params.get("code_challenge_method")).toBe("S256");
					expect(params.get("redirect_uri")).toBe(`http://localhost:${callbackPort}/callback`);
					expect(params.get("scope")).toBe(
						"org:create_api_key user:profile user:inference user:sessions:claude_code user:mcp_servers user:file_upload",
					);
					state = params.get("state") ?? "";
					server.expectCode("the-code", params.get("code_challenge") ?? "");
				},
				onPrompt: async (message) => {
					expect(message).toBe("Paste the authorization code or full redirect URL:");
					return `the-code#${state}`;
				},
				onProgress: (message) => progress.push(message),
			},
			auth,
		);
		expect(instructions).toContain("paste the final redirect URL");
		expect(progress).toEqual(["Exchanging authorization code for tokens..."]);
		const exchange = server.tokenRequests.at(-1);
		expect(exchange).toMatchObject({ grant_type: "authorization_code", code: "the-code", state });
		const stored = readAuthFile(authPath);
		expect(stored.openai).toEqual({ type: "api_key", key: "sk-openai" });
		const entry = v.parse(
			v.strictObject({ type: v.literal("oauth"), refresh: v.string(), access: v.string(), expires: v.number() }),
			stored.anthropic,
		);
		expect(Object.keys(stored.anthropic ?? {})).toEqual(["type", "refresh", "access", "expires"]);
		expect(entry.access).toStartWith("sk-ant-oat01-access-");
		// expires_in 28800 s, minus pi's five-minute margin
		expect(entry.expires).toBeGreaterThanOrEqual(before + 28800_000 - 300_000);
		expect(entry.expires).toBeLessThanOrEqual(Date.now() + 28800_000 - 300_000);
		expect(fileMode(authPath)).toBe(0o600);
		expect(await auth.getApiKey("anthropic")).toBe(entry.access);
	});

	test("the browser redirect to the local callback server finishes login without pasting", async () => {
		const authPath = tempAuthFile();
		const auth = new AuthStorage(authPath);
		let redirect: Promise<Response> | undefined;
		await loginWithOAuth(
			"anthropic",
			{
				onAuthUrl: (url) => {
					const params = authorizeUrlParams(url);
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
		expect(await page?.text()).toContain("You can close this window");
		expect(auth.get("anthropic")).toMatchObject({ type: "oauth" });
		// the callback server is gone once login finished
		await expect(fetch(`http://127.0.0.1:${callbackPort}/callback`)).rejects.toThrow();
	});

	test("a pasted state that is not ours is refused and nothing is stored", async () => {
		const authPath = tempAuthFile();
		const auth = new AuthStorage(authPath);
		const login = loginWithOAuth("anthropic", { onAuthUrl: () => {}, onPrompt: async () => "code#forged" }, auth);
		await expect(login).rejects.toThrow("OAuth state mismatch");
		expect(auth.get("anthropic")).toBeUndefined();
	});

	test("a code the token endpoint rejects (wrong verifier) fails with the server's answer", async () => {
		const auth = new AuthStorage(tempAuthFile());
		const login = loginWithOAuth(
			"anthropic",
			{
				onAuthUrl: (url) => server.expectCode("other-code", `${authorizeUrlParams(url).get("code_challenge")}x`),
				onPrompt: async () => "other-code",
			},
			auth,
		);
		await expect(login).rejects.toThrow(/HTTP 400 .*invalid_grant/);
		expect(auth.get("anthropic")).toBeUndefined();
	});

	test("aborting the signal cancels a login waiting for input", async () => {
		const controller = new AbortController();
		const login = loginWithOAuth(
			"anthropic",
			{ onAuthUrl: () => controller.abort(), onPrompt: never, signal: controller.signal },
			new AuthStorage(tempAuthFile()),
		);
		await expect(login).rejects.toThrow("Login cancelled");
	});
});

describe("GitHub Copilot login", () => {
	test("device flow, then the Copilot token; refresh trades the GitHub token again", async () => {
		const authPath = tempAuthFile();
		const auth = new AuthStorage(authPath);
		const shown: string[] = [];
		const prompts: string[] = [];
		await loginWithOAuth(
			"github-copilot",
			{
				onAuthUrl: (url, instructions) => shown.push(url, instructions ?? ""),
				onPrompt: async (message) => {
					prompts.push(message);
					return "";
				},
			},
			auth,
		);
		expect(prompts).toEqual(["GitHub Enterprise URL/domain (blank for github.com)"]);
		expect(shown).toEqual(["https://github.example/login/device", "Enter code: ABCD-1234"]);
		const stored = readAuthFile(authPath)["github-copilot"];
		expect(stored).toMatchObject({ type: "oauth", refresh: "gho_github_token" });
		expect(Object.keys(stored ?? {})).toEqual(["type", "refresh", "access", "expires"]);
		expect(server.copilotTokenRequests.at(-1)).toEqual({
			authorization: "Bearer gho_github_token",
			userAgent: "GitHubCopilotChat/0.35.0",
		});
		const credential = auth.get("github-copilot");
		if (credential?.type !== "oauth") throw new Error("not stored");
		expect(copilotBaseUrl(credential.access)).toBe("https://api.business.githubcopilot.com");
		// As pi, login accepts every catalog Copilot model's policy with the new Copilot token.
		const enabled = server.policyRequests.map((r) => r.model);
		expect(enabled).toContain("claude-sonnet-4.6");
		expect(enabled).toContain("gpt-6.1-sol");
		expect(server.policyRequests[0]).toMatchObject({
			authorization: `Bearer ${credential.access}`,
			intent: "chat-policy",
			body: { state: "enabled" },
		});
		const refreshed = await refreshOAuthCredential("github-copilot", credential);
		expect(refreshed.refresh).toBe("gho_github_token");
		expect(refreshed.access).not.toBe(credential.access);
		expect(refreshed.expires).toBeGreaterThan(Date.now());
	}, 60_000);

	test("enterprise domains are normalised and kept as enterpriseUrl", async () => {
		expect(normalizeDomain("https://company.ghe.com/some/path")).toBe("company.ghe.com");
		expect(normalizeDomain("  ")).toBeUndefined();
		expect(copilotBaseUrl(undefined, "company.ghe.com")).toBe("https://copilot-api.company.ghe.com");
		expect(copilotBaseUrl(undefined)).toBe("https://api.individual.githubcopilot.com");
		const refreshed = await refreshOAuthCredential("github-copilot", {
			type: "oauth",
			refresh: "gho_github_token",
			access: "old",
			expires: 0,
			enterpriseUrl: "company.ghe.com",
		});
		expect(refreshed.enterpriseUrl).toBe("company.ghe.com");
	});
});
