/**
 * Radius (pi 1.6.0): sign-in in the browser (PKCE, redirect to the local callback) or with a device code, refresh,
 * and the account's live model list — fetched from the gateway, stored in models-store.json as pi stores it, and
 * replacing the shipped Radius models — against a fake gateway speaking Radius's endpoints.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";
import { loginWithOAuth, refreshOAuthCredential } from "../../../src/auth/oauth/index.ts";
import { ModelRegistry } from "../../../src/registry/model-registry.ts";
import { type RadiusGateway, radiusTestModel, startRadiusGateway } from "../../support/radius-gateway.ts";
import { makePiEnv, runPi } from "../../support/run-pi.ts";

let gateway: RadiusGateway;
const envBefore = { gateway: process.env.PI_RADIUS_GATEWAY, port: process.env.PI_OAUTH_RADIUS_CALLBACK_PORT };
beforeAll(() => {
	gateway = startRadiusGateway({ apiKeys: ["rk-live"] });
	process.env.PI_RADIUS_GATEWAY = gateway.url;
	process.env.PI_OAUTH_RADIUS_CALLBACK_PORT = "0";
});
afterAll(() => {
	gateway.close();
	process.env.PI_RADIUS_GATEWAY = envBefore.gateway;
	if (envBefore.port === undefined) delete process.env.PI_OAUTH_RADIUS_CALLBACK_PORT;
	else process.env.PI_OAUTH_RADIUS_CALLBACK_PORT = envBefore.port;
});
afterEach(() => {
	expect(gateway.refusals).toEqual([]);
});

const MODEL = radiusTestModel("balanced");

function authIn(dir: string): AuthStorage {
	return new AuthStorage(join(dir, "auth.json"));
}

describe("Radius sign-in", () => {
	test("in the browser: the choice is asked, the redirect arrives, tokens are stored as pi stores them", async () => {
		const dir = mkdtempSync(join(tmpdir(), "radius-login-"));
		const auth = authIn(dir);
		const asked: string[] = [];
		const progress: string[] = [];
		await loginWithOAuth(
			"radius",
			{
				onSelect: async (message, options) => {
					asked.push(`${message} ${options.map((option) => option.label).join(" | ")}`);
					return "browser";
				},
				// The browser: following the authorization URL lands on the local callback with the code.
				onAuthUrl: (url, instructions) => {
					expect(instructions).toBe("Continue in your browser.");
					void fetch(url);
				},
				onPrompt: () => new Promise(() => {}),
				onProgress: (message) => progress.push(message),
			},
			auth,
		);
		expect(asked).toEqual([
			"Sign in to Radius: Sign in with browser (recommended) | Sign in with device code (when signing in from another device)",
		]);
		expect(progress[0]).toMatch(/^Listening for OAuth callback on http:\/\/127\.0\.0\.1:\d+\/oauth\/callback$/);
		const stored = JSON.parse(readFileSync(join(dir, "auth.json"), "utf-8")).radius;
		expect(Object.keys(stored)).toEqual(["type", "access", "refresh", "expires", "scope"]);
		expect(stored).toMatchObject({ type: "oauth", access: gateway.issued.at(-1), scope: "gateway offline_access" });
		// A minute shaved off the hour, as pi does.
		expect(stored.expires).toBeGreaterThan(Date.now() + 3_500_000);
		expect(stored.expires).toBeLessThanOrEqual(Date.now() + 3_540_000);
	});

	test("with a device code: the code is shown, the token endpoint polled until approved; refresh", async () => {
		const dir = mkdtempSync(join(tmpdir(), "radius-device-"));
		const auth = authIn(dir);
		gateway.pendingPolls = 1;
		const shown: string[] = [];
		await loginWithOAuth(
			"radius",
			{
				onSelect: async () => "device-code",
				onAuthUrl: (url, instructions) => shown.push(`${url} ${instructions}`),
				onPrompt: () => new Promise(() => {}),
			},
			auth,
		);
		expect(shown).toEqual([`${gateway.url}/device Enter code: ABCD-1234`]);
		const credential = auth.get("radius");
		if (credential?.type !== "oauth") throw new Error("no Radius login stored");
		const refreshed = await refreshOAuthCredential("radius", credential);
		expect(refreshed.access).toBe(gateway.issued.at(-1) ?? "none");
		expect(refreshed.refresh).not.toBe(credential.refresh);
	});
});

describe("the account's model list", () => {
	test("fetched with the login, stored in models-store.json, and it replaces the shipped Radius models", async () => {
		const dir = mkdtempSync(join(tmpdir(), "radius-catalog-"));
		const access = "radius-access-catalog";
		gateway.issued.push(access);
		writeFileSync(
			join(dir, "auth.json"),
			JSON.stringify({ radius: { type: "oauth", access, refresh: "r", expires: Date.now() + 3_600_000 } }),
		);
		writeFileSync(join(dir, "models-store.json"), JSON.stringify({ other: { models: [], checkedAt: 1 } }));
		gateway.models = [MODEL, { id: "broken" }];
		const registry = new ModelRegistry(authIn(dir), join(dir, "models.json"));
		const shipped = registry.getAll().filter((model) => model.provider === "radius");
		expect(shipped.length).toBeGreaterThan(1);

		await registry.refreshRadiusModels();
		const store = JSON.parse(readFileSync(join(dir, "models-store.json"), "utf-8"));
		expect(store.other).toEqual({ models: [], checkedAt: 1 });
		expect(store.radius.models).toEqual([
			{ ...MODEL, api: "pi-messages", provider: "radius", baseUrl: `${gateway.url}/v1` },
		]);
		expect(store.radius.checkedAt).toBeGreaterThan(Date.now() - 60_000);
		const radius: unknown = registry.getAll().filter((model) => model.provider === "radius");
		expect(radius).toEqual([{ ...MODEL, api: "pi-messages", provider: "radius", baseUrl: `${gateway.url}/v1` }]);
	});

	test("end to end: --list-models shows the stored list; an API key works for the fetch too", async () => {
		const env = makePiEnv();
		gateway.models = [MODEL];
		const registry = new ModelRegistry(authIn(env.agentDir), join(env.agentDir, "models.json"));
		process.env.RADIUS_API_KEY = "rk-live";
		try {
			await registry.refreshRadiusModels();
		} finally {
			delete process.env.RADIUS_API_KEY;
		}
		const result = await runPi(["--list-models", "radius"], env, { extraEnv: { RADIUS_API_KEY: "rk-live" } });
		expect(result.stderr).toBe("");
		expect(result.stdout.trim().split("\n").slice(1)).toEqual([
			expect.stringMatching(/^radius\s+balanced\s+200K\s+32K\s+yes\s+yes$/),
		]);
	});
});
