/**
 * Anthropic workload identity federation (pi 1.6.0): with no key, the identity token file is exchanged at
 * `<baseUrl>/v1/oauth/token` (RFC 7523 jwt-bearer, with the federation rule and organization) for an access token
 * that authenticates the requests, once per token lifetime; keys win over federation; the stored credential's `env`
 * may hold the settings. The fake server checks the exchange as Anthropic's would and forwards the Messages
 * requests to the fake LLM server.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { streamAssistant } from "../../../src/ai/stream.ts";
import { AMBIENT_CREDENTIALS } from "../../../src/ai/types.ts";
import { getEnvApiKey } from "../../../src/auth/env-api-keys.ts";
import { type LlmTestServer, startLlmServer } from "../../support/llm-server.ts";
import { makePiEnv, runPi } from "../../support/run-pi.ts";
import { testModel, userContext } from "./helpers.ts";

const IDENTITY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjaSJ9.c2ln";
let llm: LlmTestServer;
let gateway: ReturnType<typeof Bun.serve>;
const exchanges: Record<string, unknown>[] = [];
let issued = 0;

beforeAll(async () => {
	llm = await startLlmServer();
	gateway = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		async fetch(request) {
			const url = new URL(request.url);
			if (url.pathname === "/v1/oauth/token") {
				const body = (await request.json()) as Record<string, unknown>;
				exchanges.push({ ...body, beta: request.headers.get("anthropic-beta") });
				const valid =
					body.grant_type === "urn:ietf:params:oauth:grant-type:jwt-bearer" &&
					body.assertion === IDENTITY_TOKEN &&
					body.federation_rule_id === "fdrl_1" &&
					body.organization_id === "org-1";
				if (!valid) return Response.json({ error: "invalid_grant" }, { status: 401 });
				issued++;
				return Response.json({ access_token: `fed-token-${issued}`, token_type: "Bearer", expires_in: 3600 });
			}
			return fetch(`${llm.url}${url.pathname}${url.search}`, {
				method: request.method,
				headers: request.headers,
				body: await request.arrayBuffer(),
			});
		},
	});
});
afterAll(async () => {
	gateway.stop(true);
	await llm.close();
});

function tokenFile(): string {
	const file = join(mkdtempSync(join(tmpdir(), "anthropic-wif-")), "token.jwt");
	writeFileSync(file, IDENTITY_TOKEN);
	return file;
}

const federation = (file: string) => ({
	ANTHROPIC_FEDERATION_RULE_ID: "fdrl_1",
	ANTHROPIC_ORGANIZATION_ID: "org-1",
	ANTHROPIC_IDENTITY_TOKEN_FILE: file,
	ANTHROPIC_WORKSPACE_ID: "wrkspc_9",
});

describe("workload identity federation", () => {
	test("the identity token is exchanged once; the access token authenticates every request", async () => {
		const model = testModel("anthropic-messages", `http://127.0.0.1:${gateway.port}`, { provider: "anthropic" });
		const env = federation(tokenFile());
		const before = exchanges.length;
		for (const text of ["one", "two"]) {
			llm.enqueue({ text });
			const message = await streamAssistant(model, userContext("hi"), { apiKey: AMBIENT_CREDENTIALS, env }).result();
			expect(message.errorMessage).toBeUndefined();
			expect(message.content).toMatchObject([{ type: "text", text }]);
			const request = llm.requests.at(-1);
			expect(request?.headers.authorization).toBe(`Bearer fed-token-${issued}`);
			expect(request?.headers["x-api-key"]).toBeUndefined();
		}
		expect(exchanges.slice(before)).toEqual([
			{
				grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
				assertion: IDENTITY_TOKEN,
				federation_rule_id: "fdrl_1",
				organization_id: "org-1",
				workspace_id: "wrkspc_9",
				beta: expect.stringContaining("oauth"),
			},
		]);
	});

	test("a key, or a missing setting, means no federation", () => {
		const env = federation(tokenFile());
		expect(getEnvApiKey("anthropic", env)).toBe(AMBIENT_CREDENTIALS);
		expect(getEnvApiKey("anthropic", { ...env, ANTHROPIC_API_KEY: "sk-ant-x" })).toBe("sk-ant-x");
		expect(getEnvApiKey("anthropic", { ...env, ANTHROPIC_ORGANIZATION_ID: "" })).toBeUndefined();
		// Other providers never federate with Anthropic's settings.
		expect(getEnvApiKey("openai", env)).toBeUndefined();
	});

	test("end to end: pi with only the federation variables answers through the exchanged token", async () => {
		const piEnv = makePiEnv();
		writeFileSync(
			join(piEnv.agentDir, "models.json"),
			JSON.stringify({ providers: { anthropic: { baseUrl: `http://127.0.0.1:${gateway.port}` } } }),
		);
		llm.enqueue({ text: "federated answer" });
		const result = await runPi(["--model", "anthropic/claude-haiku-4-5", "-p", "hi"], piEnv, {
			extraEnv: federation(tokenFile()),
		});
		expect(result.stderr).toBe("");
		expect(result.stdout).toBe("federated answer\n");
		expect(llm.requests.at(-1)?.headers.authorization).toMatch(/^Bearer fed-token-\d+$/);
	});
});
