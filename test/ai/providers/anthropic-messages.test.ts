import { describe, expect, test } from "bun:test";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessage, AssistantMessageEvent, Message } from "../../../src/ai/types.ts";
import { emptyUsage } from "../../../src/ai/types.ts";
import { collect, eventTypes, PNG_BASE64, readTool, testModel, useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();

function lastBody(): Record<string, unknown> {
	const { body } = server.lastRequest();
	if (typeof body !== "object" || body === null) throw new Error("the last request has no JSON body");
	return { ...body };
}

describe("anthropic-messages", () => {
	test("text reply: request shape, events, usage and cost", async () => {
		server.enqueue({ text: "Hello from Claude", usage: { input: 100, output: 20, cacheRead: 50, cacheWrite: 10 } });
		const model = testModel("anthropic-messages", server.url);
		const events = await collect(
			streamAssistant(model, userContext("hi", { tools: [readTool] }), { apiKey: "sk-test", sessionId: "s1" }),
		);
		expect(eventTypes(events)).toEqual([
			"start",
			"text_start",
			"text_delta",
			"text_delta",
			"text_delta",
			"text_end",
			"done",
		]);
		const done = events[events.length - 1];
		if (done?.type !== "done") throw new Error("expected done");
		expect(done.message.content).toEqual([{ type: "text", text: "Hello from Claude" }]);
		expect(done.message.stopReason).toBe("stop");
		expect(done.message.usage).toMatchObject({
			input: 100,
			output: 20,
			cacheRead: 50,
			cacheWrite: 10,
			totalTokens: 180,
		});
		expect(done.message.usage.cost.input).toBeCloseTo((100 * 3) / 1e6, 12);
		expect(done.message.usage.cost.total).toBeCloseTo((100 * 3 + 20 * 15 + 50 * 0.3 + 10 * 3.75) / 1e6, 12);

		const request = server.requests[server.requests.length - 1];
		expect(request?.path).toBe("/v1/messages");
		expect(request?.headers["x-api-key"]).toBe("sk-test");
		// pi 1.6.0 asks for interleaved thinking only when budget thinking is on (none here).
		expect(request?.headers["anthropic-beta"]).toBeUndefined();
		expect(request?.headers["anthropic-dangerous-direct-browser-access"]).toBe("true");
		expect(request?.headers["x-stainless-retry-count"]).toBe("0");
		expect(request?.body).toEqual({
			model: "mock-model",
			messages: [{ role: "user", content: [{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }] }],
			max_tokens: 16384,
			stream: true,
			system: [{ type: "text", text: "You are a test.", cache_control: { type: "ephemeral" } }],
			tools: [
				{
					name: "read",
					description: "Read a file",
					eager_input_streaming: true,
					input_schema: {
						type: "object",
						properties: { path: { type: "string", description: "Path" }, limit: { type: "number" } },
						required: ["path"],
					},
					cache_control: { type: "ephemeral" },
				},
			],
		});
	});

	test("thinking with signature and budget params", async () => {
		server.enqueue({ thinking: "Let me think this through", text: "Done" });
		const model = testModel("anthropic-messages", server.url, { reasoning: true, id: "mock-reasoner" });
		const stream = streamAssistant(model, userContext("think"), { apiKey: "k", reasoning: "medium", maxTokens: 4000 });
		const events = await collect(stream);
		const message = await stream.result();
		expect(message.content[0]).toEqual({
			type: "thinking",
			thinking: "Let me think this through",
			thinkingSignature: "sig_test_1",
		});
		expect(events.filter((e) => e.type === "thinking_delta").length).toBeGreaterThan(1);
		const body = lastBody();
		expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 8192, display: "summarized" });
		expect(body.max_tokens).toBe(12192);
	});

	test("adaptive thinking for Sonnet 4.6 uses effort; reasoning off disables thinking", async () => {
		const model = testModel("anthropic-messages", server.url, { reasoning: true, id: "claude-sonnet-4-6" });
		await streamAssistant(model, userContext("a"), { apiKey: "k", reasoning: "low" }).result();
		expect(lastBody().thinking).toEqual({ type: "adaptive", display: "summarized" });
		expect(lastBody().output_config).toEqual({ effort: "low" });
		expect(server.requests[server.requests.length - 1]?.headers["anthropic-beta"]).toBeUndefined();
		await streamAssistant(model, userContext("a"), { apiKey: "k", temperature: 0.5 }).result();
		expect(lastBody().thinking).toEqual({ type: "disabled" });
		expect(lastBody().temperature).toBe(0.5);
	});

	test("tool call with streamed partial arguments", async () => {
		server.enqueue({
			text: "Reading",
			toolCalls: [{ id: "toolu_1", name: "read", arguments: { path: "src/main.ts", limit: 20 } }],
		});
		const model = testModel("anthropic-messages", server.url);
		const events: AssistantMessageEvent[] = [];
		const partialPaths: unknown[] = [];
		for await (const event of streamAssistant(model, userContext("read it", { tools: [readTool] }), { apiKey: "k" })) {
			events.push(event);
			// `partial` is the live message, so look at it while the event is current.
			const block = event.type === "toolcall_delta" ? event.partial.content[event.contentIndex] : undefined;
			if (block?.type === "toolCall") partialPaths.push(block.arguments.path);
		}
		expect(partialPaths.length).toBeGreaterThan(2);
		expect(partialPaths).toContain("src/main.");
		const end = events.find((e) => e.type === "toolcall_end");
		expect(end?.type === "toolcall_end" && end.toolCall).toEqual({
			type: "toolCall",
			id: "toolu_1",
			name: "read",
			arguments: { path: "src/main.ts", limit: 20 },
		});
		const done = events[events.length - 1];
		expect(done?.type === "done" && done.reason).toBe("toolUse");
		expect(JSON.stringify(done)).not.toContain("partialJson");
	});

	test("history replay: images, tool results merged, thinking and tool use", async () => {
		const previous: AssistantMessage = {
			role: "assistant",
			content: [
				{ type: "thinking", thinking: "plan", thinkingSignature: "sig" },
				{ type: "toolCall", id: "toolu_a", name: "read", arguments: { path: "a.png" } },
				{ type: "toolCall", id: "toolu_b", name: "read", arguments: { path: "b.txt" } },
			],
			api: "anthropic-messages",
			provider: "anthropic",
			model: "mock-model",
			usage: emptyUsage(),
			stopReason: "toolUse",
			timestamp: 2,
		};
		const messages: Message[] = [
			{
				role: "user",
				content: [
					{ type: "text", text: "look" },
					{ type: "image", data: PNG_BASE64, mimeType: "image/png" },
				],
				timestamp: 1,
			},
			previous,
			{
				role: "toolResult",
				toolCallId: "toolu_a",
				toolName: "read",
				content: [{ type: "image", data: PNG_BASE64, mimeType: "image/png" }],
				isError: false,
				timestamp: 3,
			},
			{
				role: "toolResult",
				toolCallId: "toolu_b",
				toolName: "read",
				content: [
					{ type: "text", text: "l1" },
					{ type: "text", text: "l2" },
				],
				isError: true,
				timestamp: 4,
			},
		];
		const model = testModel("anthropic-messages", server.url);
		await streamAssistant(model, { messages, tools: [readTool] }, { apiKey: "k" }).result();
		const body = lastBody();
		expect(body.system).toBeUndefined();
		expect(body.messages).toEqual([
			{
				role: "user",
				content: [
					{ type: "text", text: "look" },
					{ type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } },
				],
			},
			{
				role: "assistant",
				content: [
					{ type: "thinking", thinking: "plan", signature: "sig" },
					{ type: "tool_use", id: "toolu_a", name: "read", input: { path: "a.png" } },
					{ type: "tool_use", id: "toolu_b", name: "read", input: { path: "b.txt" } },
				],
			},
			{
				role: "user",
				content: [
					{
						type: "tool_result",
						tool_use_id: "toolu_a",
						content: [
							{ type: "text", text: "(see attached image)" },
							{ type: "image", source: { type: "base64", media_type: "image/png", data: PNG_BASE64 } },
						],
						is_error: false,
					},
					{
						type: "tool_result",
						tool_use_id: "toolu_b",
						content: "l1\nl2",
						is_error: true,
						cache_control: { type: "ephemeral" },
					},
				],
			},
		]);
	});

	test("model and call headers are merged; cacheRetention none drops cache_control", async () => {
		const model = testModel("anthropic-messages", server.url, { headers: { "x-model": "m", "x-both": "model" } });
		await streamAssistant(model, userContext("hi"), {
			apiKey: "k",
			headers: { "x-call": "c", "x-both": "call" },
			cacheRetention: "none",
		}).result();
		const request = server.requests[server.requests.length - 1];
		expect(request?.headers).toMatchObject({ "x-model": "m", "x-call": "c", "x-both": "call" });
		expect(JSON.stringify(request?.body)).not.toContain("cache_control");
	});

	test("onPayload sees the request and may replace it", async () => {
		const model = testModel("anthropic-messages", server.url);
		let seen: unknown;
		await streamAssistant(model, userContext("hi"), {
			apiKey: "k",
			onPayload: async (payload) => {
				seen = payload;
				return { ...(typeof payload === "object" ? payload : {}), metadata: { user_id: "ext" } };
			},
		}).result();
		expect(seen).toMatchObject({ model: "mock-model", stream: true });
		expect(lastBody().metadata).toEqual({ user_id: "ext" });
	});

	test("OAuth tokens: bearer auth, Claude Code identity and tool names mapped both ways", async () => {
		server.enqueue({ toolCalls: [{ id: "toolu_o", name: "Read", arguments: { path: "x" } }] });
		const model = testModel("anthropic-messages", server.url);
		const message = await streamAssistant(model, userContext("hi", { tools: [readTool] }), {
			apiKey: "sk-ant-oat01-secret",
		}).result();
		expect(message.content[0]).toMatchObject({ type: "toolCall", name: "read" });
		const request = server.requests[server.requests.length - 1];
		expect(request?.headers.authorization).toBe("Bearer sk-ant-oat01-secret");
		expect(request?.headers["x-api-key"]).toBeUndefined();
		expect(request?.headers["anthropic-beta"]).toBe("claude-code-20250219,oauth-2025-04-20");
		expect(request?.headers["x-app"]).toBe("cli");
		const body = lastBody();
		expect(body.system).toEqual([
			{
				type: "text",
				text: "You are Claude Code, Anthropic's official CLI for Claude.",
				cache_control: { type: "ephemeral" },
			},
			{ type: "text", text: "You are a test.", cache_control: { type: "ephemeral" } },
		]);
		expect(body.tools).toMatchObject([{ name: "Read" }]);
	});

	test("thinkingLevelMap: xhigh maps to max effort on Opus 4.6", async () => {
		const model = testModel("anthropic-messages", server.url, {
			reasoning: true,
			id: "claude-opus-4-6",
			thinkingLevelMap: { xhigh: "max" },
		});
		await streamAssistant(model, userContext("a"), { apiKey: "k", reasoning: "xhigh" }).result();
		expect(lastBody().output_config).toEqual({ effort: "max" });
	});
});

describe("strict tools (pi 1.6.0)", () => {
	const strictRead = {
		...readTool,
		constrainedSampling: { type: "json_schema" as const, strict: "prefer" as const },
	};
	const strictModel = () => testModel("anthropic-messages", server.url, { compat: { supportsStrictTools: true } });

	test("a tool that prefers strict sampling goes strict on models that take it, with the strict schema", async () => {
		server.enqueue({ text: "ok" });
		await streamAssistant(strictModel(), userContext("hi", { tools: [strictRead] }), { apiKey: "sk-ant-k" }).result();
		const body = server.lastRequest().body as { tools: unknown[] };
		expect(body.tools[0]).toMatchObject({
			name: "read",
			strict: true,
			input_schema: { type: "object", additionalProperties: false, required: ["path", "limit"] },
		});
		// Not on a model without strict tools.
		server.enqueue({ text: "ok" });
		await streamAssistant(testModel("anthropic-messages", server.url), userContext("hi", { tools: [strictRead] }), {
			apiKey: "sk-ant-k",
		}).result();
		expect((server.lastRequest().body as { tools: object[] }).tools[0]).not.toHaveProperty("strict");
	});

	test("over Claude's strict limits: sent again without strict, and the session keeps it that way", async () => {
		const refusal = JSON.stringify({
			type: "error",
			error: { type: "invalid_request_error", message: "Too many strict tools (25). The maximum is 20." },
		});
		server.enqueue({ kind: "http-error", status: 400, body: refusal }, { text: "fine" }, { text: "again" });
		const before = server.requests.length;
		const options = { apiKey: "sk-ant-k", sessionId: "strict-limits-session", maxRetries: 0 };
		const message = await streamAssistant(strictModel(), userContext("hi", { tools: [strictRead] }), options).result();
		expect(message.errorMessage).toBeUndefined();
		expect(message.content).toMatchObject([{ type: "text", text: "fine" }]);
		const [refused, retried] = server.requests.slice(before).map((request) => request.body as { tools: object[] });
		expect(refused?.tools[0]).toHaveProperty("strict", true);
		expect(retried?.tools[0]).not.toHaveProperty("strict");
		await streamAssistant(strictModel(), userContext("more", { tools: [strictRead] }), options).result();
		expect(server.requests.length).toBe(before + 3);
		expect((server.lastRequest().body as { tools: object[] }).tools[0]).not.toHaveProperty("strict");
	});
});
