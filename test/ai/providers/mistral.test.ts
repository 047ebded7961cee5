/** Mistral models (api "mistral-conversations" in pi's catalog) go over Mistral's OpenAI-compatible endpoint. */
import { expect, test } from "bun:test";
import { streamAssistant } from "../../../src/ai/stream.ts";
import { emptyUsage, type Message } from "../../../src/ai/types.ts";
import { collect, testModel, useLlmServer } from "./helpers.ts";

const server = useLlmServer();

test("chat completions under <baseUrl>/v1 with 9-character tool-call ids", async () => {
	server.enqueue({ text: "Bonjour" });
	const model = testModel("openai-completions", server.url, {
		api: "mistral-conversations",
		provider: "mistral",
		baseUrl: server.url,
	});
	const history: Message[] = [
		{ role: "user", content: "read it", timestamp: 1 },
		{
			role: "assistant",
			content: [{ type: "toolCall", id: "toolu_01ABCDEFGHIJ", name: "read", arguments: { path: "a" } }],
			api: "anthropic-messages",
			provider: "anthropic",
			model: "claude",
			usage: emptyUsage(),
			stopReason: "toolUse",
			timestamp: 2,
		},
		{
			role: "toolResult",
			toolCallId: "toolu_01ABCDEFGHIJ",
			toolName: "read",
			content: [{ type: "text", text: "A" }],
			isError: false,
			timestamp: 3,
		},
	];
	const stream = streamAssistant(model, { systemPrompt: "sys", messages: history }, { apiKey: "m-key" });
	await collect(stream);
	const message = await stream.result();
	expect(message.stopReason).toBe("stop");
	expect(message.content).toEqual([{ type: "text", text: "Bonjour" }]);
	const request = server.requests.at(-1);
	expect(request?.path).toBe("/v1/chat/completions");
	const body = request?.body as { messages: { role: string; tool_call_id?: string; tool_calls?: { id: string }[] }[] };
	const callId = body.messages.find((m) => m.role === "assistant")?.tool_calls?.[0]?.id ?? "";
	expect(callId).toMatch(/^[a-zA-Z0-9]{9}$/);
	expect(body.messages.find((m) => m.role === "tool")?.tool_call_id).toBe(callId);
	expect(body).not.toHaveProperty("store");
	expect(body).toHaveProperty("max_tokens");
});
