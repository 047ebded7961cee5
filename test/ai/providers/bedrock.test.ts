/**
 * Amazon Bedrock on the wire: ConverseStream through the AWS SDK against a fake Bedrock runtime that checks
 * every SigV4 signature (test/support/bedrock-server.ts) and answers in the binary event-stream framing.
 * Credentials as pi resolves them: access keys (with a session token), a bearer token, a profile from the shared
 * files, a profile stored with the credential; tools, images, thinking, prompt caching, cross-region profiles.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isRetryableError } from "../../../src/agent/retry.ts";
import { getBuiltInModels } from "../../../src/ai/models.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessage, Context, Model, StreamOptions } from "../../../src/ai/types.ts";
import { type BedrockTestServer, startBedrockServer } from "../../support/bedrock-server.ts";
import { sandbox } from "../registry/helpers.ts";
import { PNG_BASE64, readTool, userContext } from "./helpers.ts";

const SECRETS = { AKIDTESTKEY: "test-secret-key", AKIDPROFILE: "profile-secret", ASIASSO: "sso-secret" };
let server: BedrockTestServer;
let box: ReturnType<typeof sandbox>;
beforeAll(() => {
	server = startBedrockServer({
		secrets: SECRETS,
		bearerTokens: ["bedrock-api-key"],
		ssoRoles: {
			"111122223333/Developer": {
				token: "sso-access-token",
				credentials: { accessKeyId: "ASIASSO", secretAccessKey: "sso-secret", sessionToken: "sso-session" },
			},
		},
	});
});
afterAll(() => server.close());
beforeEach(() => {
	box = sandbox();
});
afterEach(() => box.cleanup());

function bedrockModel(id: string): Model {
	const model = getBuiltInModels().find((m) => m.provider === "amazon-bedrock" && m.id === id);
	if (!model) throw new Error(`no amazon-bedrock/${id}`);
	// A base URL that is not a standard bedrock-runtime host is the endpoint, as a VPC endpoint would be.
	return { ...model, baseUrl: server.url };
}

function last() {
	const request = server.requests.at(-1);
	if (!request) throw new Error("no request");
	return request;
}

function send(model: Model, context: Context, options: StreamOptions = {}): Promise<AssistantMessage> {
	return streamAssistant(model, context, { apiKey: "<authenticated>", ...options }).result();
}

function useAccessKeys(region = "eu-west-1"): void {
	process.env.AWS_ACCESS_KEY_ID = "AKIDTESTKEY";
	process.env.AWS_SECRET_ACCESS_KEY = "test-secret-key";
	process.env.AWS_REGION = region;
}

describe("signing and credentials", () => {
	test("access keys: SigV4 for service bedrock in AWS_REGION, to the cross-region inference profile's path", async () => {
		useAccessKeys();
		server.enqueue({ text: "Hello from Bedrock" });
		const message = await send(bedrockModel("us.anthropic.claude-opus-5-5"), userContext("hi"));
		expect(message.errorMessage).toBeUndefined();
		expect(message).toMatchObject({ api: "bedrock-converse-stream", provider: "amazon-bedrock", stopReason: "stop" });
		expect(message.content).toEqual([{ type: "text", text: "Hello from Bedrock" }]);
		expect(message.usage).toMatchObject({ input: 10, output: 5, totalTokens: 15 });
		expect(last()).toMatchObject({
			path: "/model/us.anthropic.claude-opus-5-5/converse-stream",
			auth: "sigv4",
		});
		expect(last().scope).toMatch(/^\d{8}\/eu-west-1\/bedrock\/aws4_request$/);
	});

	test("a session token is sent and signed", async () => {
		useAccessKeys();
		process.env.AWS_SESSION_TOKEN = "session-token-1";
		server.enqueue({ text: "ok" });
		await send(bedrockModel("amazon.nova-pro-v1:0"), userContext("hi"));
		expect(last().auth).toBe("sigv4");
		expect(last().headers["x-amz-security-token"]).toBe("session-token-1");
		expect(last().headers.authorization).toContain("x-amz-security-token");
		// The model id's colon is escaped in the path, and the signature covers it.
		expect(last().path).toBe("/model/amazon.nova-pro-v1%3A0/converse-stream");
	});

	test("AWS_BEARER_TOKEN_BEDROCK replaces SigV4 with a bearer token", async () => {
		process.env.AWS_BEARER_TOKEN_BEDROCK = "bedrock-api-key";
		server.enqueue({ text: "bearer ok" });
		const message = await send(bedrockModel("us.anthropic.claude-opus-5-5"), userContext("hi"));
		expect(message.errorMessage).toBeUndefined();
		expect(last().auth).toBe("bearer");
		expect(last().headers.authorization).toBe("Bearer bedrock-api-key");
	});

	test("AWS_PROFILE: credentials and region come from the shared config and credentials files", async () => {
		const dir = mkdtempSync(join(tmpdir(), "pi-aws-"));
		writeFileSync(
			join(dir, "credentials"),
			"[work]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
		);
		writeFileSync(join(dir, "config"), "[profile work]\nregion = ap-southeast-2\n");
		process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
		process.env.AWS_CONFIG_FILE = join(dir, "config");
		process.env.AWS_PROFILE = "work";
		server.enqueue({ text: "profile ok" });
		const message = await send(bedrockModel("us.anthropic.claude-opus-5-5"), userContext("hi"));
		expect(message.errorMessage).toBeUndefined();
		expect(last().auth).toBe("sigv4");
		expect(last().headers.authorization).toContain("Credential=AKIDPROFILE/");
		expect(last().scope).toContain("/ap-southeast-2/bedrock/");
	});

	test("an SSO profile: the cached login token is traded for role credentials, which sign the request", async () => {
		const dir = mkdtempSync(join(tmpdir(), "pi-aws-"));
		writeFileSync(
			join(dir, "config"),
			[
				"[profile sso-dev]",
				"sso_session = corp",
				"sso_account_id = 111122223333",
				"sso_role_name = Developer",
				"region = us-east-2",
				"[sso-session corp]",
				"sso_region = us-east-1",
				"sso_start_url = https://corp.awsapps.com/start",
				"",
			].join("\n"),
		);
		// `aws sso login` leaves the token in ~/.aws/sso/cache/<sha1 of the session name>.json.
		const cache = join(process.env.HOME ?? "", ".aws", "sso", "cache");
		mkdirSync(cache, { recursive: true });
		writeFileSync(
			join(cache, `${createHash("sha1").update("corp").digest("hex")}.json`),
			JSON.stringify({
				accessToken: "sso-access-token",
				expiresAt: new Date(Date.now() + 3600_000).toISOString(),
				region: "us-east-1",
				startUrl: "https://corp.awsapps.com/start",
			}),
		);
		process.env.AWS_CONFIG_FILE = join(dir, "config");
		process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "none");
		process.env.AWS_PROFILE = "sso-dev";
		process.env.AWS_ENDPOINT_URL_SSO = server.url;
		try {
			server.enqueue({ text: "sso ok" });
			const message = await send(bedrockModel("us.anthropic.claude-opus-5-5"), userContext("hi"));
			expect(message.errorMessage).toBeUndefined();
		} finally {
			delete process.env.AWS_ENDPOINT_URL_SSO;
		}
		expect(server.ssoRequests.at(-1)).toBe("111122223333/Developer sso-access-token");
		expect(last().auth).toBe("sigv4");
		expect(last().headers.authorization).toContain("Credential=ASIASSO/");
		expect(last().headers["x-amz-security-token"]).toBe("sso-session");
		expect(last().scope).toContain("/us-east-2/bedrock/");
	});

	test("a profile stored with the credential wins over access keys in the environment", async () => {
		const dir = mkdtempSync(join(tmpdir(), "pi-aws-"));
		writeFileSync(
			join(dir, "credentials"),
			"[stored]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n",
		);
		process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, "credentials");
		process.env.AWS_CONFIG_FILE = join(dir, "none");
		useAccessKeys("us-west-2");
		server.enqueue({ text: "stored profile" });
		await send(bedrockModel("us.anthropic.claude-opus-5-5"), userContext("hi"), { env: { AWS_PROFILE: "stored" } });
		expect(last().auth).toBe("sigv4");
		expect(last().headers.authorization).toContain("Credential=AKIDPROFILE/");
	});

	test("an inference-profile ARN signs for the ARN's own region", async () => {
		useAccessKeys("us-east-1");
		const arn = "arn:aws:bedrock:eu-central-1:123456789012:application-inference-profile/abc123";
		server.enqueue({ text: "arn ok" });
		await send(
			{ ...bedrockModel("us.anthropic.claude-opus-5-5"), id: arn, name: "Claude Opus 5.5 profile" },
			userContext("hi"),
		);
		expect(last().scope).toContain("/eu-central-1/bedrock/");
		expect(last().modelId).toBe(arn);
	});

	test("caller headers travel inside the signature; reserved ones are never replaced", async () => {
		useAccessKeys();
		server.enqueue({ text: "ok" });
		await send(bedrockModel("us.anthropic.claude-opus-5-5"), userContext("hi"), {
			headers: { "X-Team": "pi", Authorization: "Bearer nope", "x-amz-date": "19700101T000000Z" },
		});
		expect(last().auth).toBe("sigv4");
		expect(last().headers["x-team"]).toBe("pi");
		expect(last().headers.authorization).toContain("x-team");
	});
});

describe("the Converse request and stream", () => {
	test("system prompt, tools and images; Claude gets cache points (1 h with long retention)", async () => {
		useAccessKeys();
		server.enqueue({ text: "ok" });
		await send(
			bedrockModel("us.anthropic.claude-opus-5-5"),
			{
				systemPrompt: "You are pi.",
				messages: [
					{
						role: "user",
						content: [
							{ type: "text", text: "what is this?" },
							{ type: "image", mimeType: "image/png", data: PNG_BASE64 },
						],
						timestamp: 1,
					},
				],
				tools: [readTool],
			},
			{ cacheRetention: "long" },
		);
		expect(last().body).toEqual({
			messages: [
				{
					role: "user",
					content: [
						{ text: "what is this?" },
						{ image: { format: "png", source: { bytes: PNG_BASE64 } } },
						{ cachePoint: { type: "default", ttl: "1h" } },
					],
				},
			],
			system: [{ text: "You are pi." }, { cachePoint: { type: "default", ttl: "1h" } }],
			inferenceConfig: { maxTokens: 128000 },
			toolConfig: {
				tools: [{ toolSpec: { name: "read", description: "Read a file", inputSchema: { json: readTool.parameters } } }],
			},
		});
	});

	test("Nova gets no cache points; thinking off sends no thinking fields", async () => {
		useAccessKeys();
		server.enqueue({ text: "ok" });
		await send(bedrockModel("amazon.nova-pro-v1:0"), userContext("hi"));
		expect(last().body).toEqual({
			messages: [{ role: "user", content: [{ text: "hi" }] }],
			system: [{ text: "You are a test." }],
			inferenceConfig: { maxTokens: 10000 },
		});
	});

	test("adaptive thinking for Claude 5 with the mapped effort; thinking and its signature stream back", async () => {
		useAccessKeys();
		server.enqueue({ thinking: { text: "Let me think.", signature: "sig-abc" }, text: "Done." });
		const message = await send(bedrockModel("us.anthropic.claude-opus-5-5"), userContext("hi"), { reasoning: "high" });
		expect(message.content).toEqual([
			{ type: "thinking", thinking: "Let me think.", thinkingSignature: "sig-abc" },
			{ type: "text", text: "Done." },
		]);
		expect(last().body).toMatchObject({
			additionalModelRequestFields: {
				thinking: {
					type: "adaptive",
					display: "summarized",
					block_binding: { prefix_mismatch_behavior: "drop_block" },
				},
				output_config: { effort: "high" },
				anthropic_beta: ["thinking-binding-controls-2026-08-01"],
			},
		});
	});

	test("budget thinking for older Claude, with the interleaved-thinking beta; the model's whole output limit", async () => {
		useAccessKeys();
		server.enqueue({ text: "ok" });
		await send(bedrockModel("anthropic.claude-sonnet-4-5-20250929-v1:0"), userContext("hi"), { reasoning: "medium" });
		// pi 1.6.0: the model's limit (64,000) plus the budget, capped at the model's limit and fitted into the window.
		expect(last().body).toMatchObject({
			inferenceConfig: { maxTokens: 64000 },
			additionalModelRequestFields: {
				thinking: { type: "enabled", budget_tokens: 8192, display: "summarized" },
				anthropic_beta: ["interleaved-thinking-2025-05-14"],
			},
		});
	});

	test("a tool call streams in pieces; its result and the signed thinking go back on the next turn", async () => {
		useAccessKeys();
		const model = bedrockModel("us.anthropic.claude-opus-5-5");
		server.enqueue({
			thinking: { text: "I should read it.", signature: "sig-1" },
			toolCalls: [{ id: "tooluse_1", name: "read", input: { path: "a.txt", limit: 5 } }],
		});
		const first = await send(model, userContext("read a.txt", { tools: [readTool] }), { reasoning: "low" });
		expect(first.stopReason).toBe("toolUse");
		expect(first.content.at(-1)).toEqual({
			type: "toolCall",
			id: "tooluse_1",
			name: "read",
			arguments: { path: "a.txt", limit: 5 },
		});
		server.enqueue({ text: "It says hello." });
		const context: Context = {
			systemPrompt: "You are a test.",
			tools: [readTool],
			messages: [
				{ role: "user", content: "read a.txt", timestamp: 1 },
				first,
				{
					role: "toolResult",
					toolCallId: "tooluse_1",
					toolName: "read",
					content: [{ type: "text", text: "hello" }],
					isError: false,
					timestamp: 2,
				},
			],
		};
		const second = await send(model, context, { reasoning: "low" });
		expect(second.content).toEqual([{ type: "text", text: "It says hello." }]);
		expect(last().body).toMatchObject({
			messages: [
				{ role: "user", content: [{ text: "read a.txt" }] },
				{
					role: "assistant",
					content: [
						{ reasoningContent: { reasoningText: { text: "I should read it.", signature: "sig-1" } } },
						{ toolUse: { toolUseId: "tooluse_1", name: "read", input: { path: "a.txt", limit: 5 } } },
					],
				},
				{
					role: "user",
					content: [
						{ toolResult: { toolUseId: "tooluse_1", content: [{ text: "hello" }], status: "success" } },
						{ cachePoint: { type: "default" } },
					],
				},
			],
		});
	});

	test("max_tokens is a length stop; cache usage is reported", async () => {
		useAccessKeys();
		server.enqueue({
			text: "cut",
			stopReason: "max_tokens",
			usage: { inputTokens: 100, outputTokens: 7, cacheReadInputTokens: 50, cacheWriteInputTokens: 25 },
		});
		const message = await send(bedrockModel("us.anthropic.claude-opus-5-5"), userContext("hi"));
		expect(message.stopReason).toBe("length");
		expect(message.usage).toMatchObject({ input: 100, output: 7, cacheRead: 50, cacheWrite: 25 });
		expect(message.usage.cost.total).toBeGreaterThan(0);
	});
});

describe("failures", () => {
	const model = () => bedrockModel("us.anthropic.claude-opus-5-5");

	test("HTTP 429 ThrottlingException: pi's wording, and the agent retries it", async () => {
		useAccessKeys();
		server.enqueue({
			kind: "http-error",
			status: 429,
			type: "ThrottlingException",
			message: "Too many requests, please wait before trying again.",
		});
		const message = await send(model(), userContext("hi"), { maxRetries: 0 });
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toBe("Throttling error: Too many requests, please wait before trying again.");
		expect(isRetryableError(message, 200000)).toBe(true);
	});

	test("a validation error is reported as such and not retried", async () => {
		useAccessKeys();
		server.enqueue({
			kind: "http-error",
			status: 400,
			type: "ValidationException",
			message: "The model is not enabled.",
		});
		const message = await send(model(), userContext("hi"), { maxRetries: 0 });
		expect(message.errorMessage).toBe("Validation error: The model is not enabled.");
		expect(isRetryableError(message, 200000)).toBe(false);
	});

	test("a bad signature is refused by the server and the message says so", async () => {
		process.env.AWS_ACCESS_KEY_ID = "AKIDTESTKEY";
		process.env.AWS_SECRET_ACCESS_KEY = "wrong-secret";
		process.env.AWS_REGION = "us-east-1";
		const message = await send(model(), userContext("hi"), { maxRetries: 0 });
		expect(last().auth).toBe("signature mismatch");
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toContain("signature is not valid");
	});

	test("an exception inside the event stream keeps the partial text and is retryable", async () => {
		useAccessKeys();
		server.enqueue({
			kind: "stream-exception",
			text: "Partial ",
			type: "serviceUnavailableException",
			message: "Bedrock is unavailable.",
		});
		const message = await send(model(), userContext("hi"));
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toBe("Service unavailable: Bedrock is unavailable.");
		expect(message.content).toEqual([{ type: "text", text: "Partial " }]);
		expect(isRetryableError(message, 200000)).toBe(true);
	});

	test("a connection dropped mid-stream is a retryable error, keeping what arrived", async () => {
		useAccessKeys();
		server.enqueue({ kind: "disconnect-after", text: "Half an answer" });
		const stream = streamAssistant(model(), userContext("hi"), { apiKey: "<authenticated>" });
		let received = "";
		for await (const event of stream) {
			if (event.type === "text_delta") received += event.delta;
			if (received === "Half an answer") server.disconnect();
		}
		const message = await stream.result();
		expect(message.stopReason).toBe("error");
		expect(message.content).toEqual([{ type: "text", text: "Half an answer" }]);
		expect(isRetryableError(message, 200000)).toBe(true);
	});

	test("a stream gone silent hits the between-chunks limit and is retryable", async () => {
		useAccessKeys();
		server.enqueue({ kind: "stall", text: "Thinking about" });
		const message = await send(model(), userContext("hi"), { idleTimeoutMs: 150 });
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toContain("timed out");
		expect(message.content).toEqual([{ type: "text", text: "Thinking about" }]);
		expect(isRetryableError(message, 200000)).toBe(true);
	});

	test("the user's abort mid-stream ends the message as aborted, keeping what arrived", async () => {
		useAccessKeys();
		server.enqueue({ kind: "stall", text: "Partial" });
		const controller = new AbortController();
		const stream = streamAssistant(model(), userContext("hi"), {
			apiKey: "<authenticated>",
			signal: controller.signal,
		});
		for await (const event of stream) if (event.type === "text_delta") controller.abort();
		const message = await stream.result();
		expect(message.stopReason).toBe("aborted");
		const kept = message.content[0];
		expect(kept?.type === "text" && kept.text.length > 0 && "Partial".startsWith(kept.text)).toBe(true);
	});

	test("an abort before sending never reaches Bedrock", async () => {
		useAccessKeys();
		const before = server.requests.length;
		const controller = new AbortController();
		controller.abort();
		const message = await send(model(), userContext("hi"), { signal: controller.signal });
		expect(message.stopReason).toBe("aborted");
		expect(server.requests.length).toBe(before);
	});
});

describe("strict tools (pi 1.6.0)", () => {
	const strictRead = { ...readTool, constrainedSampling: { type: "json_schema" as const, strict: "prefer" as const } };
	type Spec = { toolSpec: { strict?: boolean; inputSchema: { json: { required?: string[] } } } };
	const specs = (body: unknown) => (body as { toolConfig: { tools: Spec[] } }).toolConfig.tools;

	test("strict with the strict schema on models that take it; over Claude's limits, sent again without", async () => {
		useAccessKeys();
		const model = bedrockModel("anthropic.claude-sonnet-4-5-20250929-v1:0");
		expect(model.compat?.supportsStrictMode).toBe(true);
		server.enqueue(
			{
				kind: "http-error",
				status: 400,
				type: "ValidationException",
				message: "Too many strict tools (25). The maximum is 20.",
			},
			{ text: "fine" },
		);
		const before = server.requests.length;
		const message = await send(model, userContext("hi", { tools: [strictRead] }), { sessionId: "bedrock-strict" });
		expect(message.errorMessage).toBeUndefined();
		const [refused, retried] = server.requests.slice(before);
		expect(specs(refused?.body)[0]?.toolSpec).toMatchObject({
			strict: true,
			inputSchema: { json: { required: ["path", "limit"] } },
		});
		expect(specs(retried?.body)[0]?.toolSpec.strict).toBeUndefined();
		expect(specs(retried?.body)[0]?.toolSpec.inputSchema.json.required).toEqual(["path"]);
	});
});
