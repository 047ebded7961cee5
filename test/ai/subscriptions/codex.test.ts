import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { getBuiltInModels } from "../../../src/ai/models.ts";
import { codexAccountId, resolveCodexUrl } from "../../../src/ai/providers/openai-codex-responses.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { Context, Model } from "../../../src/ai/types.ts";
import { emptyUsage } from "../../../src/ai/types.ts";
import { VERSION } from "../../../src/version.ts";
import { useLlmServer } from "../providers/helpers.ts";
import { fakeChatGptToken } from "./jwt.ts";

const server = useLlmServer();
beforeAll(() => {
	delete process.env.PI_OPENAI_CODEX_BASE_URL;
});
afterAll(() => {
	if (baseUrlBefore !== undefined) process.env.PI_OPENAI_CODEX_BASE_URL = baseUrlBefore;
});
// The models point at the fake server themselves; the env override is only set by the tests about it.
const baseUrlBefore = process.env.PI_OPENAI_CODEX_BASE_URL;
afterEach(() => {
	delete process.env.PI_OPENAI_CODEX_BASE_URL;
});

const TOKEN = fakeChatGptToken("acct-42");

function codexModel(id = "gpt-5.6-sol"): Model {
	const model = getBuiltInModels().find((m) => m.provider === "openai-codex" && m.id === id);
	if (!model) throw new Error(`no openai-codex/${id} in the catalog`);
	return { ...model, baseUrl: server.url };
}

const readTool = {
	name: "read",
	description: "Read a file",
	parameters: { type: "object", required: ["path"], properties: { path: { type: "string" } } },
};

describe("openai-codex-responses request", () => {
	test("URL, pi's headers and body, in pi's key order", async () => {
		server.enqueue({ text: "Hello from Codex", usage: { input: 30, output: 5, cacheRead: 10 } });
		const context: Context = {
			systemPrompt: "You are pi.",
			messages: [{ role: "user", content: "hi", timestamp: 1 }],
			tools: [readTool],
		};
		const stream = streamAssistant(codexModel(), context, {
			transport: "sse",
			apiKey: TOKEN,
			sessionId: "sess-9",
			reasoning: "minimal",
		});
		const message = await stream.result();
		expect(message.errorMessage).toBeUndefined();
		expect(message.content).toMatchObject([{ type: "text", text: "Hello from Codex" }]);
		expect(message).toMatchObject({ api: "openai-codex-responses", provider: "openai-codex", stopReason: "stop" });
		expect(message.usage).toMatchObject({ input: 30, output: 5, cacheRead: 10 });

		const request = server.lastRequest();
		expect(request.path).toBe("/codex/responses");
		expect(request.headers).toMatchObject({
			authorization: `Bearer ${TOKEN}`,
			"chatgpt-account-id": "acct-42",
			originator: "pi",
			"user-agent": `pi/${VERSION} (${process.platform}; bun/${process.versions.bun}; ${process.arch})`,
			"openai-beta": "responses=experimental",
			accept: "text/event-stream",
			"content-type": "application/json",
			// pi 1.6.0 compresses the body as the official Codex client does
			"content-encoding": "zstd",
			"session-id": "sess-9",
			"x-client-request-id": "sess-9",
		});
		expect(request.headers["x-stainless-retry-count"]).toBeUndefined(); // plain fetch, as pi; no SDK
		expect(request.body).toEqual({
			model: "gpt-5.6-sol",
			store: false,
			stream: true,
			input: [
				// this model takes tools as additional_tools items, and the prompt as a developer item
				{
					type: "additional_tools",
					role: "developer",
					tools: [
						{
							type: "function",
							name: "read",
							description: "Read a file",
							parameters: readTool.parameters,
							strict: null,
						},
					],
				},
				{ role: "developer", content: "You are pi." },
				{ role: "user", content: [{ type: "input_text", text: "hi" }] },
			],
			text: { verbosity: "low" },
			include: ["reasoning.encrypted_content"],
			prompt_cache_key: "sess-9",
			tool_choice: "auto",
			parallel_tool_calls: true,
			max_output_tokens: 128000,
			// the catalog maps "minimal" to "low" for this model
			reasoning: { effort: "low", summary: "auto" },
		});
		expect(Object.keys(request.body as object)).toEqual([
			"model",
			"store",
			"stream",
			"input",
			"text",
			"include",
			"prompt_cache_key",
			"tool_choice",
			"parallel_tool_calls",
			"max_output_tokens",
			"reasoning",
		]);
	});

	test("thinking off: effort none; no session: no cache key or session headers; no prompt, no developer item", async () => {
		await streamAssistant(
			codexModel(),
			{ messages: [{ role: "user", content: "x", timestamp: 1 }] },
			{ transport: "sse", apiKey: TOKEN },
		).result();
		const request = server.lastRequest();
		expect(request.body).toEqual({
			model: "gpt-5.6-sol",
			store: false,
			stream: true,
			input: [{ role: "user", content: [{ type: "input_text", text: "x" }] }],
			text: { verbosity: "low" },
			include: ["reasoning.encrypted_content"],
			tool_choice: "auto",
			parallel_tool_calls: true,
			max_output_tokens: 128000,
			reasoning: { effort: "none", summary: "auto" },
		});
		expect(request.headers["session-id"]).toBeUndefined();
	});

	test("mid-conversation effort: the level as configuration_update items, the request at medium", async () => {
		const model = codexModel("gpt-6-luna");
		const first = await streamAssistant(
			model,
			{ messages: [{ role: "user", content: "a", timestamp: 1 }] },
			{
				transport: "sse",
				apiKey: TOKEN,
				reasoning: "high",
			},
		).result();
		expect(first.providerThinkingLevel).toBe("high");
		expect(server.lastRequest().body).toMatchObject({
			input: [{ role: "user" }, { type: "configuration_update", reasoning: { effort: "high" } }],
			reasoning: { effort: "medium", summary: "auto" },
		});
		// Later at another level: the earlier answer keeps its own level before it; the new one goes at the end.
		await streamAssistant(
			model,
			{ messages: [{ role: "user", content: "a", timestamp: 1 }, first, { role: "user", content: "b", timestamp: 3 }] },
			{ transport: "sse", apiKey: TOKEN, reasoning: "low" },
		).result();
		const input = (server.lastRequest().body as { input: { type?: string; role?: string; reasoning?: unknown }[] })
			.input;
		expect(input.map((item) => item.type ?? item.role)).toEqual([
			"user",
			"configuration_update",
			"message",
			"user",
			"configuration_update",
		]);
		expect(input.at(1)).toEqual({ type: "configuration_update", reasoning: { effort: "high" } });
		expect(input.at(-1)).toEqual({ type: "configuration_update", reasoning: { effort: "low" } });
	});

	test("a tool-call reply round-trips: tool use, then the result goes back as function_call_output", async () => {
		server.enqueue({ toolCalls: [{ id: "call_7", name: "read", arguments: { path: "a.txt" } }] });
		const model = codexModel();
		const context: Context = {
			systemPrompt: "s",
			messages: [{ role: "user", content: "read a.txt", timestamp: 1 }],
			tools: [readTool],
		};
		const first = await streamAssistant(model, context, { transport: "sse", apiKey: TOKEN }).result();
		expect(first.stopReason).toBe("toolUse");
		const call = first.content.find((block) => block.type === "toolCall");
		if (call?.type !== "toolCall") throw new Error("no tool call");
		expect(call).toMatchObject({ name: "read", arguments: { path: "a.txt" } });
		context.messages.push(first, {
			role: "toolResult",
			toolCallId: call.id,
			toolName: "read",
			content: [{ type: "text", text: "contents" }],
			isError: false,
			timestamp: 3,
		});
		await streamAssistant(model, context, { transport: "sse", apiKey: TOKEN }).result();
		const input = (server.lastRequest().body as { input: unknown[] }).input;
		expect(input.at(-1)).toEqual({ type: "function_call_output", call_id: "call_7", output: "contents" });
		expect(input).toContainEqual(expect.objectContaining({ type: "function_call", call_id: "call_7", name: "read" }));
	});

	test("base URL: <base>/codex/responses; PI_OPENAI_CODEX_BASE_URL overrides the model's", () => {
		expect(resolveCodexUrl("https://chatgpt.com/backend-api")).toBe("https://chatgpt.com/backend-api/codex/responses");
		expect(resolveCodexUrl("https://x/codex/")).toBe("https://x/codex/responses");
		expect(resolveCodexUrl("https://x/codex/responses")).toBe("https://x/codex/responses");
		process.env.PI_OPENAI_CODEX_BASE_URL = "http://127.0.0.1:1/api";
		expect(resolveCodexUrl("https://chatgpt.com/backend-api")).toBe("http://127.0.0.1:1/api/codex/responses");
	});

	test("the env override reaches a catalog model unchanged", async () => {
		process.env.PI_OPENAI_CODEX_BASE_URL = server.url;
		const model = getBuiltInModels().find((m) => m.provider === "openai-codex" && m.id === "gpt-6.2-sol");
		if (!model) throw new Error("no gpt-6.2-sol");
		const message = await streamAssistant(
			model,
			{ messages: [{ role: "user", content: "x", timestamp: 1 }] },
			{ transport: "sse", apiKey: TOKEN },
		).result();
		expect(message.stopReason).toBe("stop");
		expect(server.lastRequest()).toMatchObject({ path: "/codex/responses", body: { model: "gpt-6.2-sol" } });
	});
});

describe("openai-codex-responses failures", () => {
	test("a token that is not a ChatGPT JWT fails before any request", async () => {
		const before = server.requests.length;
		const message = await streamAssistant(
			codexModel(),
			{ messages: [{ role: "user", content: "x", timestamp: 1 }] },
			{ apiKey: "sk-not-a-jwt" },
		).result();
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toBe("Failed to extract accountId from token");
		expect(server.requests.length).toBe(before);
		expect(() => codexAccountId(fakeChatGptToken(""))).toThrow("Failed to extract accountId");
	});

	test("usage limit: pi's friendly message, and no retry of an answer that is not a 429/5xx", async () => {
		const resetsAt = Math.floor(Date.now() / 1000) + 600;
		server.enqueue({
			kind: "http-error",
			status: 403,
			body: JSON.stringify({ error: { code: "usage_limit_reached", plan_type: "PLUS", resets_at: resetsAt } }),
		});
		const before = server.requests.length;
		const message = await streamAssistant(
			codexModel(),
			{ messages: [{ role: "user", content: "x", timestamp: 1 }] },
			{ transport: "sse", apiKey: TOKEN },
		).result();
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toBe("You have hit your ChatGPT usage limit (plus plan). Try again in ~10 min.");
		expect(server.requests.length).toBe(before + 1);
	});

	test("a 503 is retried (after 1 s) and the retry's answer is used", async () => {
		server.enqueue({ kind: "http-error", status: 503, body: "{}" }, { text: "second time lucky" });
		const before = server.requests.length;
		const message = await streamAssistant(
			codexModel(),
			{ messages: [{ role: "user", content: "x", timestamp: 1 }] },
			{ transport: "sse", apiKey: TOKEN, maxRetries: 1 },
		).result();
		expect(message.content).toMatchObject([{ type: "text", text: "second time lucky" }]);
		expect(server.requests.length).toBe(before + 2);
	}, 60_000);

	test("an error event inside the stream ends the message with Codex's message", async () => {
		server.enqueue({ kind: "stream-error", text: "partial", message: "server overloaded" });
		const message = await streamAssistant(
			codexModel(),
			{ messages: [{ role: "user", content: "x", timestamp: 1 }] },
			{ transport: "sse", apiKey: TOKEN, maxRetries: 0 },
		).result();
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toContain("server overloaded");
	});

	test("the user's abort mid-stream ends the message as aborted, keeping what arrived", async () => {
		server.enqueue({ text: "a long answer that keeps coming", chunkDelayMs: 30 });
		const controller = new AbortController();
		const stream = streamAssistant(
			codexModel(),
			{ messages: [{ role: "user", content: "x", timestamp: 1 }] },
			{ transport: "sse", apiKey: TOKEN, signal: controller.signal },
		);
		for await (const event of stream) if (event.type === "text_delta") controller.abort();
		const message = await stream.result();
		expect(message.stopReason).toBe("aborted");
		expect(message.errorMessage).toBe("Request was aborted");
	});

	test("a server that goes silent hits the idle timeout (no hang)", async () => {
		server.enqueue({ kind: "stall", text: "hel" });
		const message = await streamAssistant(
			codexModel(),
			{ messages: [{ role: "user", content: "x", timestamp: 1 }] },
			{ transport: "sse", apiKey: TOKEN, idleTimeoutMs: 200, maxRetries: 0 },
		).result();
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toContain("timed out");
	});

	test("previous Codex turns replay their thinking and text", async () => {
		const context: Context = {
			messages: [
				{ role: "user", content: "a", timestamp: 1 },
				{
					role: "assistant",
					content: [{ type: "text", text: "b", textSignature: JSON.stringify({ v: 1, id: "msg_1" }) }],
					api: "openai-codex-responses",
					provider: "openai-codex",
					model: "gpt-5.6-sol",
					usage: emptyUsage(),
					stopReason: "stop",
					timestamp: 2,
				},
				{ role: "user", content: "c", timestamp: 3 },
			],
		};
		await streamAssistant(codexModel(), context, { transport: "sse", apiKey: TOKEN }).result();
		expect((server.lastRequest().body as { input: unknown[] }).input).toEqual([
			{ role: "user", content: [{ type: "input_text", text: "a" }] },
			{
				type: "message",
				role: "assistant",
				content: [{ type: "output_text", text: "b", annotations: [] }],
				status: "completed",
				id: "msg_1",
			},
			{ role: "user", content: [{ type: "input_text", text: "c" }] },
		]);
	});
});
