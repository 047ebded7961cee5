/**
 * /login for the cloud providers asks what pi 1.6.0 asks (an AWS profile, a Vertex project, location and key file,
 * Cloudflare's account and gateway ids), stores it as pi does, and what it stored makes the next run's requests
 * reach the provider the way the provider expects: SigV4 signed with the profile's keys, a Vertex token from the
 * service account, the Cloudflare ids in the URL.
 */
import { afterAll, afterEach, beforeAll, expect, test } from "bun:test";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startBedrockServer } from "../support/bedrock-server.ts";
import { startGoogleTokenServer } from "../support/google-token-server.ts";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { radiusTestModel, startRadiusGateway } from "../support/radius-gateway.ts";
import { makePiEnv, type PiEnv, runPi } from "../support/run-pi.ts";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;
let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(() => server.close());
afterEach(async () => {
	await current?.close();
	current = undefined;
});

const DOWN = "\x1b[B";

/** /login → "Use an API key" → the provider found by `search` (its first question then covers the dialog). */
async function openApiKeyLogin(h: Harness, search: string, name: string): Promise<void> {
	h.type("/login\r");
	await h.waitFor("Select authentication method:");
	h.type(`${DOWN}\r`);
	await h.waitFor("Select provider to configure:");
	h.type(search);
	await h.waitFor(`→ ${name}`);
	h.type("\r");
	await h.waitUntil(() => !h.screen().includes("Select provider to configure:"));
}

/** A fresh agent folder holding the auth.json the interactive login wrote. */
function envWithLogin(h: Harness, models: object): PiEnv {
	const env = makePiEnv();
	copyFileSync(join(h.sessionDir, "auth.json"), join(env.agentDir, "auth.json"));
	writeFileSync(join(env.agentDir, "models.json"), JSON.stringify({ providers: models }));
	return env;
}

test("Amazon Bedrock, AWS profile: stored as pi 1.6.0 does, then the profile's keys sign the request", async () => {
	current = await startInteractive({ turns: [] });
	const h = current;
	await openApiKeyLogin(h, "bedrock", "Amazon Bedrock");
	await h.waitFor("Select Amazon Bedrock authentication method:");
	expect(h.screen()).toContain("Existing AWS credential chain");
	h.type(`${DOWN}\r`);
	await h.waitFor("Amazon Bedrock supports AWS profiles, IAM credentials, and role-based credentials.");
	await h.waitFor("Enter AWS profile name");
	h.type("team\r");
	await h.waitFor("Saved API key for Amazon Bedrock. Credentials saved to");
	expect(h.auth.get("amazon-bedrock")).toEqual({ type: "api_key", env: { AWS_PROFILE: "team" } });

	const bedrock = startBedrockServer({ secrets: { AKIDTEAM: "team-secret" } });
	try {
		const env = envWithLogin(h, { "amazon-bedrock": { baseUrl: bedrock.url } });
		const credentials = join(env.home, "aws-credentials");
		writeFileSync(credentials, "[team]\naws_access_key_id = AKIDTEAM\naws_secret_access_key = team-secret\n");
		bedrock.enqueue({ text: "signed by the team profile" });
		const result = await runPi(["--model", "amazon-bedrock/us.anthropic.claude-opus-5-5", "-p", "hi"], env, {
			extraEnv: { AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_REGION: "eu-central-1" },
		});
		expect(result.stderr).toBe("");
		expect(result.stdout).toBe("signed by the team profile\n");
		expect(bedrock.requests.at(-1)).toMatchObject({ auth: "sigv4", scope: expect.stringContaining("/eu-central-1/") });
		expect(bedrock.requests.at(-1)?.headers.authorization).toContain("Credential=AKIDTEAM/");
	} finally {
		bedrock.close();
	}
});

test("Amazon Bedrock, bearer token: masked while typed, sent as the bearer", async () => {
	current = await startInteractive({ turns: [] });
	const h = current;
	await openApiKeyLogin(h, "bedrock", "Amazon Bedrock");
	await h.waitFor("Select Amazon Bedrock authentication method:");
	h.type("\r");
	await h.waitFor("Enter Amazon Bedrock bearer token");
	h.type("bedrock-token-1");
	await h.waitFor("***************");
	expect(h.screen()).not.toContain("bedrock-token-1");
	h.type("\r");
	await h.waitFor("Saved API key for Amazon Bedrock.");
	expect(h.auth.get("amazon-bedrock")).toEqual({ type: "api_key", key: "bedrock-token-1" });

	const bedrock = startBedrockServer({ bearerTokens: ["bedrock-token-1"] });
	try {
		const env = envWithLogin(h, { "amazon-bedrock": { baseUrl: bedrock.url } });
		bedrock.enqueue({ text: "bearer accepted" });
		const result = await runPi(["--model", "amazon-bedrock/us.anthropic.claude-opus-5-5", "-p", "hi"], env);
		expect(result.stderr).toBe("");
		expect(result.stdout).toBe("bearer accepted\n");
		expect(bedrock.requests.at(-1)?.auth).toBe("bearer");
	} finally {
		bedrock.close();
	}
});

test("Google Vertex AI, service account: project, location and key file stored; the file's token is sent", async () => {
	const tokens = startGoogleTokenServer();
	try {
		current = await startInteractive({ turns: [] });
		const h = current;
		await openApiKeyLogin(h, "vertex", "Google Vertex AI");
		await h.waitFor("Select Google Vertex AI authentication method:");
		h.type(`${DOWN}${DOWN}\r`);
		await h.waitFor("Provide a service account credentials file, project, and location.");
		await h.waitFor("Enter Google Cloud project ID");
		h.type("pi-project\r");
		await h.waitFor("Enter Google Cloud location");
		h.type("europe-west4\r");
		await h.waitFor("Enter service account credentials file path");
		const keyFile = tokens.serviceAccountFile();
		h.type(`${keyFile}\r`);
		await h.waitFor("Saved API key for Google Vertex AI.");
		expect(h.auth.get("google-vertex")).toEqual({
			type: "api_key",
			env: {
				GOOGLE_CLOUD_PROJECT: "pi-project",
				GOOGLE_CLOUD_LOCATION: "europe-west4",
				GOOGLE_APPLICATION_CREDENTIALS: keyFile,
			},
		});

		const env = envWithLogin(h, { "google-vertex": { baseUrl: server.url } });
		server.enqueue({ text: "vertex via the login" });
		const result = await runPi(["--model", "google-vertex/gemini-4-argon", "-p", "hi"], env);
		expect(tokens.refusals).toEqual([]);
		expect(result.stderr).toBe("");
		expect(result.stdout).toBe("vertex via the login\n");
		const request = server.requests.at(-1);
		expect(request?.headers.authorization).toBe(`Bearer ${tokens.issued.at(-1)}`);
		// A models.json base URL replaces the regional host and its project path (the project is still required).
		expect(request?.path).toBe("/v1/publishers/google/models/gemini-4-argon:streamGenerateContent?alt=sse");
	} finally {
		tokens.close();
	}
});

test("Cloudflare AI Gateway: token, account and gateway ids; a cancelled choice or prompt stores nothing", async () => {
	current = await startInteractive({ turns: [] });
	const h = current;
	await openApiKeyLogin(h, "gateway", "Cloudflare AI Gateway");
	await h.waitFor("Enter Cloudflare API key");
	h.type("cf-token\r");
	await h.waitFor("Enter Cloudflare account ID");
	h.type("acct-9\r");
	await h.waitFor("Enter Cloudflare AI Gateway ID");
	h.type("gw-9\r");
	await h.waitFor("Saved API key for Cloudflare AI Gateway.");
	expect(h.auth.get("cloudflare-ai-gateway")).toEqual({
		type: "api_key",
		key: "cf-token",
		env: { CLOUDFLARE_ACCOUNT_ID: "acct-9", CLOUDFLARE_GATEWAY_ID: "gw-9" },
	});

	// Escape on Vertex's method choice: back to the editor, nothing stored, no error.
	await openApiKeyLogin(h, "vertex", "Google Vertex AI");
	await h.waitFor("Select Google Vertex AI authentication method:");
	h.type("\x1b");
	await h.waitUntil(() => !h.screen().includes("Select Google Vertex AI authentication method:"));
	expect(h.screen()).not.toContain("Failed to save");
	expect(h.auth.get("google-vertex")).toBeUndefined();

	const env = envWithLogin(h, {
		"cloudflare-ai-gateway": { baseUrl: `${server.url}/v1/{CLOUDFLARE_ACCOUNT_ID}/{CLOUDFLARE_GATEWAY_ID}/compat` },
	});
	server.enqueue({ text: "through the gateway" });
	const result = await runPi(
		["--model", "cloudflare-ai-gateway/workers-ai/@cf/moonshotai/kimi-k2.7-code", "-p", "hi"],
		env,
	);
	expect(result.stderr).toBe("");
	expect(result.stdout).toBe("through the gateway\n");
	const request = server.requests.at(-1);
	expect(request?.path).toBe("/v1/acct-9/gw-9/compat/chat/completions");
	expect(request?.headers["cf-aig-authorization"]).toBe("Bearer cf-token");
	expect(request?.headers.authorization).toBeUndefined();
});

test("/login <provider> starts that provider's login at once; an unknown name opens the search", async () => {
	current = await startInteractive({ turns: [] });
	const h = current;
	h.type("/login cloudflare workers ai\r");
	await h.waitFor("Enter Cloudflare API key");
	h.type("\x1b");
	await h.waitUntil(() => !h.screen().includes("Enter Cloudflare API key"));
	h.type("/login amazon-bedrock\r");
	await h.waitFor("Select Amazon Bedrock authentication method:");
	h.type("\x1b");
	await h.waitUntil(() => !h.screen().includes("Select Amazon Bedrock authentication method:"));
	h.type("/login xyzzy\r");
	await h.waitFor("Select provider to configure:");
	expect(h.screen()).toContain("xyzzy");
	// Escape goes back to the method choice, and once more to the editor.
	h.type("\x1b");
	await h.waitFor("Select authentication method:");
	h.type("\x1b");
	await h.waitUntil(() => !h.screen().includes("Select authentication method:"));
	expect(h.auth.list()).toEqual([]);
});

test("/login radius: the browser sign-in is chosen in a selector; after it the account's models are fetched", async () => {
	const gateway = startRadiusGateway();
	const saved = { gateway: process.env.PI_RADIUS_GATEWAY, port: process.env.PI_OAUTH_RADIUS_CALLBACK_PORT };
	process.env.PI_RADIUS_GATEWAY = gateway.url;
	process.env.PI_OAUTH_RADIUS_CALLBACK_PORT = "0";
	gateway.models = [radiusTestModel("balanced")];
	try {
		current = await startInteractive({ turns: [], columns: 120 });
		const h = current;
		h.type("/login radius\r");
		await h.waitFor("Select authentication method:");
		h.type("\r");
		await h.waitFor("Sign in to Radius:");
		h.type("\r");
		await h.waitFor(`${gateway.url}/authorize`);
		// The sign-in URL, wrapped over several rows of the dialog.
		const rows = h.screen().split("\n");
		const first = rows.findIndex((row) => row.includes(`${gateway.url}/authorize`));
		let url = "";
		for (const row of rows.slice(first)) {
			if (row.trim() === "" || row.includes("click to open")) break;
			url += row.trim();
		}
		expect((await fetch(url)).status).toBe(200);
		await h.waitFor("Logged in to Radius. Credentials saved to");
		expect(gateway.refusals).toEqual([]);
		expect(h.auth.get("radius")).toMatchObject({ type: "oauth", access: gateway.issued.at(-1) });
		const store = JSON.parse(readFileSync(join(h.sessionDir, "models-store.json"), "utf-8"));
		expect(store.radius.models.map((model: { id: string }) => model.id)).toEqual(["balanced"]);
		expect(
			h.session.modelRegistry
				.getAll()
				.filter((model) => model.provider === "radius")
				.map((model) => model.id),
		).toEqual(["balanced"]);
	} finally {
		gateway.close();
		process.env.PI_RADIUS_GATEWAY = saved.gateway;
		if (saved.port === undefined) delete process.env.PI_OAUTH_RADIUS_CALLBACK_PORT;
		else process.env.PI_OAUTH_RADIUS_CALLBACK_PORT = saved.port;
	}
});
