import { describe, expect, test } from "bun:test";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessage, Message } from "../../../src/ai/types.ts";
import { emptyUsage } from "../../../src/ai/types.ts";
import { collect, eventTypes, PNG_BASE64, readTool, testModel, useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();

describe("openai-responses", () => {
	test("text reply: request shape, headers, events, usage", async () => {
		server.enqueue({ text: "Hello from GPT", usage: { input: 40, output: 7, cacheRead: 60 } });
		const model = testModel("openai-responses", server.url);
		const stream = streamAssistant(model, userContext("hi", { tools: [readTool] }), {
			apiKey: "sk-o",
			sessionId: "sess-1",
		});
		const events = await collect(stream);
		expect(eventTypes(events)).toEqual(["start", "text_start", "text_delta", "text_delta", "text_end", "done"]);
		const message = await stream.result();
		expect(message.content).toEqual([
			{ type: "text", text: "Hello from GPT", textSignature: JSON.stringify({ v: 1, id: "msg_test_0" }) },
		]);
		expect(message.usage).toMatchObject({ input: 40, output: 7, cacheRead: 60, cacheWrite: 0, totalTokens: 107 });
		expect(message.usage.cost.cacheRead).toBeCloseTo((60 * 0.3) / 1e6, 12);
		const request = server.lastRequest();
		expect(request.path).toBe("/v1/responses");
		expect(request.headers).toMatchObject({
			authorization: "Bearer sk-o",
			"session-id": "sess-1",
			"x-client-request-id": "sess-1",
			"x-stainless-retry-count": "0",
		});
		expect(request.body).toEqual({
			model: "mock-model",
			input: [
				{ role: "system", content: "You are a test." },
				{ role: "user", content: [{ type: "input_text", text: "hi" }] },
			],
			stream: true,
			prompt_cache_key: "sess-1",
			store: false,
			max_output_tokens: 16384,
			// pi 1.6.0: `strict` only where the model's compat says the server takes it.
			tools: [{ type: "function", name: "read", description: "Read a file", parameters: readTool.parameters }],
		});
	});

	test("reasoning: summary streamed as thinking, encrypted item kept as signature, effort sent", async () => {
		server.enqueue({ thinking: "Considering options", text: "Answer" });
		const model = testModel("openai-responses", server.url, { reasoning: true });
		const message = await streamAssistant(model, userContext("q"), { apiKey: "k", reasoning: "high" }).result();
		const thinking = message.content[0];
		expect(thinking?.type === "thinking" && thinking.thinking).toBe("Considering options");
		expect(thinking?.type === "thinking" && JSON.parse(thinking.thinkingSignature ?? "{}")).toMatchObject({
			type: "reasoning",
			encrypted_content: "enc_test_1",
		});
		const body = server.lastRequest().body;
		expect(body).toMatchObject({
			reasoning: { effort: "high", summary: "auto" },
			include: ["reasoning.encrypted_content"],
			input: [{ role: "developer", content: "You are a test." }, { role: "user" }],
		});
		await streamAssistant(model, userContext("q"), { apiKey: "k" }).result();
		expect(server.lastRequest().body).toMatchObject({ reasoning: { effort: "none" } });
	});

	test("tool call: call_id|item_id, streamed arguments, toolUse", async () => {
		server.enqueue({ toolCalls: [{ id: "call_9", name: "read", arguments: { path: "a/b.txt" } }] });
		const model = testModel("openai-responses", server.url);
		const paths: unknown[] = [];
		const stream = streamAssistant(model, userContext("go", { tools: [readTool] }), { apiKey: "k" });
		for await (const event of stream) {
			if (event.type === "toolcall_delta") {
				const block = event.partial.content[event.contentIndex];
				if (block?.type === "toolCall") paths.push(block.arguments.path);
			}
		}
		expect(paths).toContain("a/b");
		const message = await stream.result();
		expect(message.stopReason).toBe("toolUse");
		expect(message.content).toEqual([
			{
				type: "toolCall",
				id: expect.stringMatching(/^call_9\|fc_test_\d+_0$/),
				name: "read",
				arguments: { path: "a/b.txt" },
			},
		]);
	});

	test("history replay: reasoning item, message ids, function calls and image tool output", async () => {
		const reasoningItem = {
			type: "reasoning",
			id: "rs_1",
			summary: [{ type: "summary_text", text: "t" }],
			encrypted_content: "E",
		};
		const previous: AssistantMessage = {
			role: "assistant",
			content: [
				{ type: "thinking", thinking: "t", thinkingSignature: JSON.stringify(reasoningItem) },
				{ type: "text", text: "Looking", textSignature: JSON.stringify({ v: 1, id: "msg_abc" }) },
				{ type: "toolCall", id: "call_1|fc_1", name: "read", arguments: { path: "x.png" } },
			],
			api: "openai-responses",
			provider: "openai",
			model: "mock-model",
			usage: emptyUsage(),
			stopReason: "toolUse",
			timestamp: 2,
		};
		const messages: Message[] = [
			{
				role: "user",
				content: [
					{ type: "text", text: "see" },
					{ type: "image", data: PNG_BASE64, mimeType: "image/png" },
				],
				timestamp: 1,
			},
			previous,
			{
				role: "toolResult",
				toolCallId: "call_1|fc_1",
				toolName: "read",
				content: [
					{ type: "text", text: "img:" },
					{ type: "image", data: PNG_BASE64, mimeType: "image/png" },
				],
				isError: false,
				timestamp: 3,
			},
		];
		const model = testModel("openai-responses", server.url);
		await streamAssistant(model, { messages, tools: [readTool] }, { apiKey: "k" }).result();
		expect(server.lastRequest().body).toMatchObject({
			input: [
				{
					role: "user",
					content: [
						{ type: "input_text", text: "see" },
						{ type: "input_image", detail: "auto", image_url: `data:image/png;base64,${PNG_BASE64}` },
					],
				},
				reasoningItem,
				{
					type: "message",
					role: "assistant",
					content: [{ type: "output_text", text: "Looking", annotations: [] }],
					status: "completed",
					id: "msg_abc",
				},
				{ type: "function_call", id: "fc_1", call_id: "call_1", name: "read", arguments: '{"path":"x.png"}' },
				{
					type: "function_call_output",
					call_id: "call_1",
					output: [
						{ type: "input_text", text: "img:" },
						{ type: "input_image", detail: "auto", image_url: `data:image/png;base64,${PNG_BASE64}` },
					],
				},
			],
		});
	});

	test("max tokens reached → length", async () => {
		server.enqueue({ text: "cut", stopReason: "length" });
		const model = testModel("openai-responses", server.url);
		const message = await streamAssistant(model, userContext("long"), { apiKey: "k" }).result();
		expect(message.stopReason).toBe("length");
	});
});

describe("azure-openai-responses", () => {
	test("deployment map, api-version query, api-key header, no store", async () => {
		process.env.AZURE_OPENAI_DEPLOYMENT_NAME_MAP = "mock-model=my-deploy";
		try {
			server.enqueue({ text: "azure says hi" });
			const model = testModel("azure-openai-responses", server.url, { provider: "azure-openai-responses" });
			const message = await streamAssistant(model, userContext("hi"), { apiKey: "az-key", sessionId: "s" }).result();
			expect(message.content[0]).toMatchObject({ type: "text", text: "azure says hi" });
			const request = server.lastRequest();
			expect(request.api).toBe("azure-openai-responses");
			expect(request.path).toBe("/openai/v1/responses?api-version=v1");
			expect(request.headers["api-key"]).toBe("az-key");
			expect(request.body).toMatchObject({ model: "my-deploy", prompt_cache_key: "s", stream: true });
			expect(request.body).not.toHaveProperty("store");
		} finally {
			delete process.env.AZURE_OPENAI_DEPLOYMENT_NAME_MAP;
		}
	});
});

test("strict: false goes only to models whose compat says the server takes it (pi 1.6.0)", async () => {
	const model = testModel("openai-responses", server.url, { compat: { supportsStrictMode: true } });
	await streamAssistant(model, userContext("hi", { tools: [readTool] }), { apiKey: "k" }).result();
	expect(server.lastRequest().body).toMatchObject({ tools: [{ name: "read", strict: false }] });
});
