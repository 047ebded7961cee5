/** `pi auth login` (src/cli/auth-login.ts) with a scripted terminal: what it asks and what it stores. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AuthStorage } from "../../src/auth/auth-storage.ts";
import { type LoginTerminal, runAuthLogin } from "../../src/cli/auth-login.ts";
import { ModelRegistry } from "../../src/registry/model-registry.ts";
import { type RadiusGateway, radiusTestModel, startRadiusGateway } from "../support/radius-gateway.ts";

function scripted(answers: string[], interactive = true, openUrl: (url: string) => void = () => {}) {
	const out: string[] = [];
	const asked: string[] = [];
	const terminal: LoginTerminal = {
		interactive,
		write: (line) => out.push(line),
		error: (line) => out.push(`ERR ${line}`),
		question: async (message) => {
			asked.push(message);
			return answers.shift() ?? "";
		},
		secret: async (message) => {
			asked.push(`(secret) ${message}`);
			return answers.shift() ?? "";
		},
		openUrl,
	};
	const dir = mkdtempSync(join(tmpdir(), "pi-auth-login-"));
	const auth = new AuthStorage(join(dir, "auth.json"));
	const registry = new ModelRegistry(auth, join(dir, "models.json"));
	return { terminal, out, asked, auth, registry };
}

describe("pi auth login", () => {
	test("an API key is asked for unechoed and stored", async () => {
		const run = scripted(["sk-new"]);
		const code = await runAuthLogin(["openai"], run, new AbortController().signal);
		expect(code).toBe(0);
		expect(run.asked[0]).toStartWith("(secret) ");
		expect(run.auth.get("openai")).toEqual({ type: "api_key", key: "sk-new" });
		expect(run.out.at(-1)).toStartWith("Saved API key for OpenAI. Credentials saved to ");
	});

	test("a provider's own questions: Bedrock's choices are numbered and re-asked until valid", async () => {
		const run = scripted(["9", "2", "work-profile"]);
		expect(await runAuthLogin(["amazon-bedrock"], run, new AbortController().signal)).toBe(0);
		expect(run.out).toContain("Enter a number from 1 to 3.");
		expect(run.auth.get("amazon-bedrock")).toEqual({ type: "api_key", env: { AWS_PROFILE: "work-profile" } });
	});

	test("usage, unknown providers, no terminal, and --api-key for an account-only provider", async () => {
		const signal = new AbortController().signal;
		const usage = scripted([]);
		expect(await runAuthLogin([], usage, signal)).toBe(1);
		expect(usage.out).toEqual(["ERR Usage: pi auth login <provider> [--api-key] [--no-browser]"]);
		const unknown = scripted([]);
		expect(await runAuthLogin(["nope"], unknown, signal)).toBe(1);
		expect(unknown.out[0]).toBe('ERR Unknown provider "nope".');
		const noTerminal = scripted([], false);
		expect(await runAuthLogin(["openai"], noTerminal, signal)).toBe(1);
		expect(noTerminal.out).toEqual([
			'ERR "pi auth login <provider> [--api-key] [--no-browser]" requires an interactive terminal',
		]);
		const accountOnly = scripted([]);
		expect(await runAuthLogin(["github-copilot", "--api-key"], accountOnly, signal)).toBe(1);
		expect(accountOnly.out).toEqual(["ERR GitHub Copilot has no API key login. Omit --api-key to sign in."]);
		const both = scripted([]);
		expect(await runAuthLogin(["openai", "--api-key", "--no-browser"], both, signal)).toBe(1);
	});
});

describe("pi auth login with a choice of sign-in methods (Radius, against a fake gateway)", () => {
	let gateway: RadiusGateway;
	const envBefore = { gateway: process.env.PI_RADIUS_GATEWAY, port: process.env.PI_OAUTH_RADIUS_CALLBACK_PORT };
	beforeAll(() => {
		gateway = startRadiusGateway();
		gateway.models = [radiusTestModel("balanced")];
		process.env.PI_RADIUS_GATEWAY = gateway.url;
		process.env.PI_OAUTH_RADIUS_CALLBACK_PORT = "0";
	});
	afterAll(() => {
		gateway.close();
		if (envBefore.gateway === undefined) delete process.env.PI_RADIUS_GATEWAY;
		else process.env.PI_RADIUS_GATEWAY = envBefore.gateway;
		if (envBefore.port === undefined) delete process.env.PI_OAUTH_RADIUS_CALLBACK_PORT;
		else process.env.PI_OAUTH_RADIUS_CALLBACK_PORT = envBefore.port;
	});

	test("the browser sign-in is taken unasked, the other method named; the account's models are fetched", async () => {
		// The "browser": following the URL lands on the local callback with the code.
		const run = scripted([], true, (url) => void fetch(url));
		expect(await runAuthLogin(["radius"], run, new AbortController().signal)).toBe(0);
		expect(run.asked).toEqual([]);
		expect(run.out).toContain(
			'To use "Sign in with device code (when signing in from another device)" instead, run "pi auth login radius --no-browser"',
		);
		expect(run.out.at(-1)).toStartWith("Logged in to Radius. Credentials saved to ");
		expect(run.auth.get("radius")?.type).toBe("oauth");
		expect(
			run.registry
				.getAll()
				.filter((model) => model.provider === "radius")
				.map((model) => model.id),
		).toEqual(["balanced"]);
	});

	test("--no-browser takes the device code, saying so, and opens nothing", async () => {
		const opened: string[] = [];
		const run = scripted([], true, (url) => opened.push(url));
		expect(await runAuthLogin(["radius", "--no-browser"], run, new AbortController().signal)).toBe(0);
		expect(run.out[0]).toBe("Sign in to Radius: Sign in with device code (when signing in from another device)");
		expect(run.out).toContain(`Open this URL to sign in:\n  ${gateway.url}/device`);
		expect(opened).toEqual([]);
		expect(run.auth.get("radius")?.type).toBe("oauth");
	});
});
