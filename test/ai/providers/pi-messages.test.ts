/**
 * pi-messages (pi 1.6.0's own protocol, the Radius gateway's) against a fake backend on 127.0.0.1: one POST of
 * `{model, context, options}` to <baseUrl>/messages, the answer as SSE of pi's own assistant-message events.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { getBuiltInModels } from "../../../src/ai/models.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { Model } from "../../../src/ai/types.ts";
import { readTool, userContext } from "./helpers.ts";

interface Recorded {
	path: string;
	headers: Record<string, string>;
	body: unknown;
}
let scripted: (unknown[] | { status: number; body: string })[] = [];
const requests: Recorded[] = [];
let server: ReturnType<typeof Bun.serve>;
beforeAll(() => {
	server = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		async fetch(request) {
			const headers: Record<string, string> = {};
			request.headers.forEach((value, name) => {
				headers[name] = value;
			});
			requests.push({ path: new URL(request.url).pathname, headers, body: await request.json() });
			const next = scripted.shift() ?? [];
			if (!Array.isArray(next)) return new Response(next.body, { status: next.status, statusText: "Payment Required" });
			const sse = next.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("");
			return new Response(sse, { headers: { "content-type": "text/event-stream" } });
		},
	});
});
afterAll(() => server.stop(true));

function radius(): Model {
	const model = getBuiltInModels().find((m) => m.provider === "radius" && m.id === "balanced");
	if (!model) throw new Error("no radius/balanced");
	return { ...model, baseUrl: `http://127.0.0.1:${server.port}/v1` };
}

const USAGE = { input: 20, output: 6, cacheRead: 4, cacheWrite: 0, totalTokens: 30 };

test("the transcript with a leading system message goes out; pi's events come back as the message", async () => {
	scripted = [
		[
			{ type: "start" },
			{ type: "thinking_start", contentIndex: 0 },
			{ type: "thinking_delta", contentIndex: 0, delta: "Hmm" },
			{ type: "thinking_end", contentIndex: 0, content: "Hmm.", contentSignature: "sig" },
			{ type: "text_start", contentIndex: 1 },
			{ type: "text_delta", contentIndex: 1, delta: "Reading " },
			{ type: "text_end", contentIndex: 1, content: "Reading it." },
			{ type: "toolcall_start", contentIndex: 2, id: "call_1", toolName: "read" },
			{ type: "toolcall_delta", contentIndex: 2, delta: '{"path":' },
			{
				type: "toolcall_end",
				contentIndex: 2,
				toolCall: { type: "toolCall", id: "call_1", name: "read", arguments: { path: "a.txt" } },
			},
			{ type: "done", reason: "toolUse", usage: USAGE, responseId: "resp-9" },
		],
	];
	const message = await streamAssistant(radius(), userContext("read a.txt", { tools: [readTool] }), {
		apiKey: "radius-key",
		sessionId: "s-1",
		reasoning: "high",
	}).result();
	expect(message.errorMessage).toBeUndefined();
	expect(message).toMatchObject({
		api: "pi-messages",
		provider: "radius",
		stopReason: "toolUse",
		responseId: "resp-9",
	});
	expect(message.content).toEqual([
		{ type: "thinking", thinking: "Hmm.", thinkingSignature: "sig" },
		{ type: "text", text: "Reading it." },
		{ type: "toolCall", id: "call_1", name: "read", arguments: { path: "a.txt" } },
	]);
	expect(message.usage).toMatchObject({ input: 20, output: 6, cacheRead: 4, totalTokens: 30 });
	const request = requests.at(-1);
	expect(request?.path).toBe("/v1/messages");
	expect(request?.headers.authorization).toBe("Bearer radius-key");
	expect(request?.body).toMatchObject({
		model: "balanced",
		context: {
			messages: [
				{ role: "system", content: "You are a test.", toolsAdded: [readTool], timestamp: 0 },
				{ role: "user", content: "read a.txt" },
			],
		},
		options: { reasoning: "high", sessionId: "s-1", cacheRetention: "short" },
	});
	// pi 1.6.0 sends the caller's output limit only (none here): the gateway applies the model's own.
	expect(JSON.stringify(request?.body)).not.toContain("maxTokens");
});

test("an HTTP error names status, message and code; an error event ends the stream with its message", async () => {
	scripted = [
		{ status: 402, body: JSON.stringify({ error: { message: "Out of credits", code: "insufficient_credits" } }) },
		[{ type: "start" }, { type: "error", reason: "error", errorMessage: "upstream overloaded" }],
		[{ type: "start" }, { type: "text_start", contentIndex: 0 }],
	];
	const paid = await streamAssistant(radius(), userContext("hi"), { apiKey: "k", maxRetries: 0 }).result();
	expect(paid.errorMessage).toBe("402 Payment Required: Out of credits (insufficient_credits)");
	const failed = await streamAssistant(radius(), userContext("hi"), { apiKey: "k" }).result();
	expect(failed.errorMessage).toBe("upstream overloaded");
	const cut = await streamAssistant(radius(), userContext("hi"), { apiKey: "k" }).result();
	expect(cut.stopReason).toBe("error");
	expect(cut.errorMessage).toContain("ended without a terminal event");
});
