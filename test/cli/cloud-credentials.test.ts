/**
 * Credentials and provider settings as pi 1.6.0 stores them in auth.json (`{"type":"api_key","key":…,"env":{…}}`)
 * reach the request end to end: the registry resolves them, the agent hands them to the provider.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startBedrockServer } from "../support/bedrock-server.ts";
import { startGoogleTokenServer } from "../support/google-token-server.ts";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(() => server.close());

test("Cloudflare Workers AI: the stored account id fills the endpoint, the stored key is the bearer", async () => {
	const env = makePiEnv();
	writeFileSync(
		join(env.agentDir, "models.json"),
		JSON.stringify({
			providers: {
				"cloudflare-workers-ai": { baseUrl: `${server.url}/client/v4/accounts/{CLOUDFLARE_ACCOUNT_ID}/ai/v1` },
			},
		}),
	);
	writeFileSync(
		join(env.agentDir, "auth.json"),
		JSON.stringify({
			"cloudflare-workers-ai": { type: "api_key", key: "cf-key", env: { CLOUDFLARE_ACCOUNT_ID: "stored-acct" } },
		}),
	);
	server.enqueue({ text: "workers answer" });
	const result = await runPi(["--model", "cloudflare-workers-ai/@cf/moonshotai/kimi-k2.7-code", "-p", "hi"], env);
	expect(result.stderr).toBe("");
	expect(result.stdout).toBe("workers answer\n");
	const request = server.requests.at(-1);
	expect(request?.path).toBe("/client/v4/accounts/stored-acct/ai/v1/chat/completions");
	expect(request?.headers.authorization).toBe("Bearer cf-key");
});

test("Vertex AI with a service account: pi gets a token from the file's token_uri and sends it", async () => {
	const tokens = startGoogleTokenServer();
	try {
		const env = makePiEnv();
		writeFileSync(
			join(env.agentDir, "models.json"),
			JSON.stringify({ providers: { "google-vertex": { baseUrl: server.url } } }),
		);
		server.enqueue({ text: "vertex answer" });
		const result = await runPi(["--model", "google-vertex/gemini-4-argon", "-p", "hi"], env, {
			extraEnv: {
				GOOGLE_APPLICATION_CREDENTIALS: tokens.serviceAccountFile(),
				GOOGLE_CLOUD_PROJECT: "pi-project",
				GOOGLE_CLOUD_LOCATION: "us-central1",
			},
		});
		expect(tokens.refusals).toEqual([]);
		expect(result.stderr).toBe("");
		expect(result.stdout).toBe("vertex answer\n");
		expect(server.requests.at(-1)?.headers.authorization).toBe(`Bearer ${tokens.issued.at(-1)}`);
	} finally {
		tokens.close();
	}
});

test("Amazon Bedrock: access keys from the environment sign the ConverseStream request (SDK loaded on demand)", async () => {
	const bedrock = startBedrockServer({ secrets: { AKIDE2E: "e2e-secret" } });
	try {
		const env = makePiEnv();
		writeFileSync(
			join(env.agentDir, "models.json"),
			JSON.stringify({ providers: { "amazon-bedrock": { baseUrl: bedrock.url } } }),
		);
		bedrock.enqueue({ text: "bedrock answer" });
		const result = await runPi(["--model", "amazon-bedrock/us.anthropic.claude-opus-5-5", "-p", "hi"], env, {
			extraEnv: { AWS_ACCESS_KEY_ID: "AKIDE2E", AWS_SECRET_ACCESS_KEY: "e2e-secret", AWS_REGION: "eu-west-1" },
		});
		expect(result.stderr).toBe("");
		expect(result.stdout).toBe("bedrock answer\n");
		expect(bedrock.requests.at(-1)).toMatchObject({
			path: "/model/us.anthropic.claude-opus-5-5/converse-stream",
			auth: "sigv4",
		});
	} finally {
		bedrock.close();
	}
});

test("Amazon Bedrock: a profile stored in auth.json (pi 1.6.0's AWS profile login) is used", async () => {
	const bedrock = startBedrockServer({ secrets: { AKIDSTORED: "stored-secret" } });
	try {
		const env = makePiEnv();
		writeFileSync(
			join(env.home, "credentials"),
			"[team]\naws_access_key_id = AKIDSTORED\naws_secret_access_key = stored-secret\n",
		);
		writeFileSync(
			join(env.agentDir, "models.json"),
			JSON.stringify({ providers: { "amazon-bedrock": { baseUrl: bedrock.url } } }),
		);
		writeFileSync(
			join(env.agentDir, "auth.json"),
			JSON.stringify({ "amazon-bedrock": { type: "api_key", env: { AWS_PROFILE: "team" } } }),
		);
		bedrock.enqueue({ text: "profile answer" });
		const result = await runPi(["--model", "amazon-bedrock/us.anthropic.claude-opus-5-5", "-p", "hi"], env, {
			extraEnv: { AWS_SHARED_CREDENTIALS_FILE: join(env.home, "credentials"), AWS_REGION: "us-west-2" },
		});
		expect(result.stderr).toBe("");
		expect(result.stdout).toBe("profile answer\n");
		expect(bedrock.requests.at(-1)?.headers.authorization).toContain("Credential=AKIDSTORED/");
	} finally {
		bedrock.close();
	}
});
