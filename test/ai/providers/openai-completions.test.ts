import { describe, expect, test } from "bun:test";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessage, Message, Model } from "../../../src/ai/types.ts";
import { emptyUsage } from "../../../src/ai/types.ts";
import { collect, eventTypes, PNG_BASE64, readTool, testModel, useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();

describe("openai-completions", () => {
	test("compat.supportsFinishReason false: a stream without finish_reason is complete (pi 1.6.0)", async () => {
		server.enqueue({ kind: "cut-short", text: "all this server ever sends" });
		const model = testModel("openai-completions", server.url, { compat: { supportsFinishReason: false } });
		const stream = streamAssistant(model, userContext("hello"), { apiKey: "k", maxRetries: 0 });
		const events = await collect(stream);
		expect(events.at(-1)?.type).toBe("done");
		expect((await stream.result()).content).toEqual([{ type: "text", text: "all this server ever sends" }]);
	});

	test("text reply: request shape as pi sends it, events, usage", async () => {
		server.enqueue({ text: "Hi there, friend", usage: { input: 30, output: 4, cacheRead: 20 } });
		const model = testModel("openai-completions", server.url);
		const stream = streamAssistant(model, userContext("hello", { tools: [readTool] }), {
			apiKey: "sk-c",
			sessionId: "s",
		});
		const events = await collect(stream);
		expect(eventTypes(events)).toEqual(["start", "text_start", "text_delta", "text_delta", "text_end", "done"]);
		const message = await stream.result();
		expect(message.content).toEqual([{ type: "text", text: "Hi there, friend" }]);
		expect(message.usage).toMatchObject({ input: 30, output: 4, cacheRead: 20, totalTokens: 54 });
		expect(message.usage.cost.output).toBeCloseTo((4 * 15) / 1e6, 12);
		const request = server.lastRequest();
		expect(request.path).toBe("/v1/chat/completions");
		expect(request.headers.authorization).toBe("Bearer sk-c");
		expect(request.body).toEqual({
			model: "mock-model",
			messages: [
				{ role: "system", content: "You are a test." },
				{ role: "user", content: "hello" },
			],
			stream: true,
			stream_options: { include_usage: true },
			store: false,
			max_completion_tokens: 16384,
			// pi 1.6.0: `strict` only for servers whose compat says they support strict mode.
			tools: [
				{ type: "function", function: { name: "read", description: "Read a file", parameters: readTool.parameters } },
			],
		});
	});

	test("pi 1.6.0's compat: system role off OpenAI, strict only when supported, new thinking formats", async () => {
		const send = async (overrides: Partial<Model>, reasoning?: "high") => {
			await streamAssistant(
				testModel("openai-completions", server.url, { reasoning: true, ...overrides }),
				userContext("q", { tools: [readTool] }),
				{
					apiKey: "k",
					...(reasoning ? { reasoning } : {}),
				},
			).result();
			return server.lastRequest().body as Record<string, unknown>;
		};
		// A reasoning model on a local server gets "system": other hosts' chat templates reject "developer".
		expect(await send({ provider: "ollama", baseUrl: `${server.url}/v1` })).toMatchObject({
			messages: [{ role: "system", content: "You are a test." }, { role: "user" }],
			tools: [{ function: { name: "read" } }],
		});
		expect(JSON.stringify((await send({ provider: "ollama" })).tools)).not.toContain("strict");
		expect(await send({ provider: "ollama", compat: { supportsStrictMode: true } })).toMatchObject({
			tools: [{ function: { strict: false } }],
		});
		expect(await send({ provider: "openai" })).toMatchObject({ messages: [{ role: "developer" }, { role: "user" }] });
		// Together: reasoning.enabled, plus the effort when the model takes one.
		const together = { provider: "together", compat: { supportsReasoningEffort: true } };
		expect(await send(together, "high")).toMatchObject({
			reasoning: { enabled: true },
			reasoning_effort: "high",
			max_tokens: 16384,
		});
		expect(await send(together)).toMatchObject({ reasoning: { enabled: false } });
		// Ant Ling: only levels the model maps are sent, as reasoning.effort.
		expect(await send({ provider: "ant-ling", thinkingLevelMap: { high: "high" } }, "high")).toMatchObject({
			reasoning: { effort: "high" },
		});
		expect(await send({ provider: "ant-ling" })).not.toHaveProperty("reasoning");
		// Baseten: chat template arguments with pi's variables, and the mapped effort.
		const baseten = {
			provider: "baseten",
			thinkingLevelMap: { off: "none", high: "high" },
			compat: {
				thinkingFormat: "baseten" as const,
				supportsReasoningEffort: true,
				chatTemplateArgs: { enable_thinking: { $var: "thinking.enabled" } },
			},
		};
		expect(await send(baseten, "high")).toMatchObject({
			chat_template_args: { enable_thinking: true },
			reasoning_effort: "high",
		});
		expect(await send(baseten)).toMatchObject({
			chat_template_args: { enable_thinking: false },
			reasoning_effort: "none",
		});
	});

	test("reasoning_content becomes thinking; developer role and reasoning_effort for reasoning models", async () => {
		server.enqueue({ thinking: "pondering deeply", text: "42" });
		const model = testModel("openai-completions", server.url, { reasoning: true });
		const message = await streamAssistant(model, userContext("q"), { apiKey: "k", reasoning: "medium" }).result();
		expect(message.content).toEqual([
			{ type: "thinking", thinking: "pondering deeply", thinkingSignature: "reasoning_content" },
			{ type: "text", text: "42" },
		]);
		expect(server.lastRequest().body).toMatchObject({
			messages: [{ role: "developer", content: "You are a test." }, { role: "user" }],
			reasoning_effort: "medium",
		});
	});

	test("compat flags: non-standard server, max_tokens field, zai thinking, tool result name", async () => {
		const model = testModel("openai-completions", server.url, {
			reasoning: true,
			provider: "zai",
			compat: { maxTokensField: "max_tokens", requiresToolResultName: true, supportsUsageInStreaming: false },
		});
		const messages: Message[] = [
			{ role: "user", content: "x", timestamp: 1 },
			{
				role: "assistant",
				content: [{ type: "toolCall", id: "c1", name: "read", arguments: { path: "p" } }],
				api: "openai-completions",
				provider: "zai",
				model: "mock-model",
				usage: emptyUsage(),
				stopReason: "toolUse",
				timestamp: 2,
			},
			{
				role: "toolResult",
				toolCallId: "c1",
				toolName: "read",
				content: [{ type: "text", text: "data" }],
				isError: false,
				timestamp: 3,
			},
		];
		await streamAssistant(model, { systemPrompt: "S", messages }, { apiKey: "k" }).result();
		const body = server.lastRequest().body;
		// pi 1.6.0's Z.AI format: thinking as an object (disabled here, thinking is off).
		expect(body).toMatchObject({ max_tokens: 16384, thinking: { type: "disabled" }, tools: [] });
		expect(body).not.toHaveProperty("store");
		expect(body).not.toHaveProperty("stream_options");
		expect(body).not.toHaveProperty("reasoning_effort");
		expect(body).toMatchObject({
			messages: [
				{ role: "system", content: "S" },
				{ role: "user", content: "x" },
				{
					role: "assistant",
					content: null,
					tool_calls: [{ id: "c1", type: "function", function: { name: "read", arguments: '{"path":"p"}' } }],
				},
				{ role: "tool", content: "data", tool_call_id: "c1", name: "read" },
			],
		});
	});

	test("tool call with streamed arguments; responses-style ids are shortened on replay", async () => {
		server.enqueue({ toolCalls: [{ id: "call_x", name: "read", arguments: { path: "deep/file.ts" } }] });
		const model = testModel("openai-completions", server.url);
		const paths: unknown[] = [];
		const stream = streamAssistant(model, userContext("go", { tools: [readTool] }), { apiKey: "k" });
		for await (const event of stream) {
			if (event.type === "toolcall_delta") {
				const block = event.partial.content[event.contentIndex];
				if (block?.type === "toolCall") paths.push(block.arguments.path);
			}
		}
		expect(paths).toContain("deep/file");
		const message = await stream.result();
		expect(message.stopReason).toBe("toolUse");
		expect(message.content).toEqual([
			{ type: "toolCall", id: "call_x", name: "read", arguments: { path: "deep/file.ts" } },
		]);

		const foreign: AssistantMessage = {
			role: "assistant",
			content: [{ type: "toolCall", id: "call_abc|fc_long+id/=", name: "read", arguments: {} }],
			api: "openai-responses",
			provider: "openai",
			model: "gpt-x",
			usage: emptyUsage(),
			stopReason: "toolUse",
			timestamp: 2,
		};
		const messages: Message[] = [
			foreign,
			{
				role: "toolResult",
				toolCallId: "call_abc|fc_long+id/=",
				toolName: "read",
				content: [{ type: "image", data: PNG_BASE64, mimeType: "image/png" }],
				isError: false,
				timestamp: 3,
			},
		];
		await streamAssistant(model, { messages, tools: [readTool] }, { apiKey: "k" }).result();
		expect(server.lastRequest().body).toMatchObject({
			messages: [
				{ role: "assistant", tool_calls: [{ id: "call_abc" }] },
				{ role: "tool", content: "(see attached image)", tool_call_id: "call_abc" },
				{
					role: "user",
					content: [
						{ type: "text", text: "Attached image(s) from tool result:" },
						{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
					],
				},
			],
		});
	});

	test("user images are sent as image_url parts", async () => {
		const model = testModel("openai-completions", server.url);
		const messages: Message[] = [
			{
				role: "user",
				content: [
					{ type: "text", text: "what is this" },
					{ type: "image", data: PNG_BASE64, mimeType: "image/png" },
				],
				timestamp: 1,
			},
		];
		await streamAssistant(model, { messages }, { apiKey: "k" }).result();
		expect(server.lastRequest().body).toMatchObject({
			messages: [
				{
					role: "user",
					content: [
						{ type: "text", text: "what is this" },
						{ type: "image_url", image_url: { url: `data:image/png;base64,${PNG_BASE64}` } },
					],
				},
			],
		});
	});

	test("thinkingLevelMap: unsupported levels clamp to the nearest supported one and map to its value", async () => {
		const model = testModel("openai-completions", server.url, {
			reasoning: true,
			provider: "groq",
			thinkingLevelMap: { minimal: null, low: null, medium: null, high: "default" },
		});
		await streamAssistant(model, userContext("q"), { apiKey: "k", reasoning: "low" }).result();
		expect(server.lastRequest().body).toMatchObject({ reasoning_effort: "default" });
	});
});
