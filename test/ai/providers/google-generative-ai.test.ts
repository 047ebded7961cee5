import { describe, expect, test } from "bun:test";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessage, Message } from "../../../src/ai/types.ts";
import { emptyUsage } from "../../../src/ai/types.ts";
import { collect, eventTypes, PNG_BASE64, readTool, testModel, useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();

describe("google-generative-ai", () => {
	test("text reply: request shape as pi sends it, events, usage", async () => {
		server.enqueue({ text: "Gemini here, hello", usage: { input: 12, output: 6, cacheRead: 8 } });
		const model = testModel("google-generative-ai", server.url);
		const stream = streamAssistant(model, userContext("hi", { tools: [readTool] }), { apiKey: "g-key" });
		const events = await collect(stream);
		// Three deltas of text, then the final chunk's empty text part, reported as pi reports it.
		expect(eventTypes(events)).toEqual([
			"start",
			"text_start",
			"text_delta",
			"text_delta",
			"text_delta",
			"text_delta",
			"text_end",
			"done",
		]);
		const message = await stream.result();
		expect(message.content).toEqual([{ type: "text", text: "Gemini here, hello" }]);
		expect(message.usage).toMatchObject({ input: 12, output: 6, cacheRead: 8, totalTokens: 26 });
		const request = server.lastRequest();
		expect(request.path).toBe("/v1beta/models/mock-model:streamGenerateContent?alt=sse");
		expect(request.headers["x-goog-api-key"]).toBe("g-key");
		expect(request.body).toEqual({
			contents: [{ parts: [{ text: "hi" }], role: "user" }],
			systemInstruction: { parts: [{ text: "You are a test." }], role: "user" },
			tools: [
				{
					functionDeclarations: [
						{ name: "read", description: "Read a file", parametersJsonSchema: readTool.parameters },
					],
				},
			],
			generationConfig: { maxOutputTokens: 16384 },
		});
	});

	test("thoughts become thinking; thinking budget for 2.5 models, off → budget 0", async () => {
		server.enqueue({ thinking: "mulling it over", text: "ok!" });
		const model = testModel("google-generative-ai", server.url, { reasoning: true, id: "gemini-2.5-pro" });
		const message = await streamAssistant(model, userContext("q"), { apiKey: "k", reasoning: "low" }).result();
		expect(message.content).toEqual([
			{ type: "thinking", thinking: "mulling it over" },
			{ type: "text", text: "ok!" },
		]);
		expect(server.lastRequest().body).toMatchObject({
			generationConfig: { thinkingConfig: { includeThoughts: true, thinkingBudget: 2048 } },
		});
		await streamAssistant(model, userContext("q"), { apiKey: "k" }).result();
		expect(server.lastRequest().body).toMatchObject({ generationConfig: { thinkingConfig: { thinkingBudget: 0 } } });
		// Gemini 3 and later take a level (pi 1.6.0: the model's own map decides, e.g. that Pro has no "minimal").
		const gemini3 = testModel("google-generative-ai", server.url, {
			reasoning: true,
			id: "gemini-3.1-pro-preview",
			thinkingLevelMap: { off: null, minimal: null, low: "low", medium: "medium", high: "high" },
		});
		await streamAssistant(gemini3, userContext("q"), { apiKey: "k", reasoning: "medium" }).result();
		expect(server.lastRequest().body).toMatchObject({
			generationConfig: { thinkingConfig: { includeThoughts: true, thinkingLevel: "MEDIUM" } },
		});
		// Thinking off where it cannot be: the lowest level the map allows.
		await streamAssistant(gemini3, userContext("q"), { apiKey: "k" }).result();
		expect(server.lastRequest().body).toMatchObject({ generationConfig: { thinkingConfig: { thinkingLevel: "LOW" } } });
	});

	test("tool call arrives whole: start, one delta, end; toolUse", async () => {
		server.enqueue({ toolCalls: [{ name: "read", arguments: { path: "notes.txt" } }] });
		const model = testModel("google-generative-ai", server.url);
		const events = await collect(streamAssistant(model, userContext("go", { tools: [readTool] }), { apiKey: "k" }));
		// The server's last chunk carries an empty text part; like pi we report a text block (and its delta) for it.
		expect(eventTypes(events)).toEqual([
			"start",
			"toolcall_start",
			"toolcall_delta",
			"toolcall_end",
			"text_start",
			"text_delta",
			"text_end",
			"done",
		]);
		const done = events[events.length - 1];
		if (done?.type !== "done") throw new Error("expected done");
		expect(done.reason).toBe("toolUse");
		expect(done.message.content[0]).toMatchObject({ type: "toolCall", name: "read", arguments: { path: "notes.txt" } });
	});

	test("history replay: images, function calls and responses (errors, multimodal)", async () => {
		const previous: AssistantMessage = {
			role: "assistant",
			content: [
				{ type: "text", text: "reading" },
				{ type: "toolCall", id: "read_1", name: "read", arguments: { path: "a.png" } },
				{ type: "toolCall", id: "read_2", name: "read", arguments: { path: "missing" } },
			],
			api: "google-generative-ai",
			provider: "google",
			model: "gemini-3-flash",
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
				toolCallId: "read_1",
				toolName: "read",
				content: [{ type: "image", data: PNG_BASE64, mimeType: "image/png" }],
				isError: false,
				timestamp: 3,
			},
			{
				role: "toolResult",
				toolCallId: "read_2",
				toolName: "read",
				content: [{ type: "text", text: "not found" }],
				isError: true,
				timestamp: 4,
			},
		];
		const model = testModel("google-generative-ai", server.url, { id: "gemini-3-flash" });
		await streamAssistant(model, { messages, tools: [readTool] }, { apiKey: "k" }).result();
		expect(server.lastRequest().body).toMatchObject({
			contents: [
				{ role: "user", parts: [{ text: "look" }, { inlineData: { mimeType: "image/png", data: PNG_BASE64 } }] },
				{
					role: "model",
					parts: [
						{ text: "reading" },
						{ functionCall: { name: "read", args: { path: "a.png" } } },
						{ functionCall: { name: "read", args: { path: "missing" } } },
					],
				},
				{
					role: "user",
					parts: [
						{
							functionResponse: {
								name: "read",
								response: { output: "(see attached image)" },
								parts: [{ inlineData: { mimeType: "image/png", data: PNG_BASE64 } }],
							},
						},
						{ functionResponse: { name: "read", response: { error: "not found" } } },
					],
				},
			],
		});
	});
});
