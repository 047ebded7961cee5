/**
 * The Codex WebSocket transport (pi 1.6.0) against a fake Codex backend speaking both transports
 * (test/support/codex-ws-server.ts): handshake headers, one connection reused per session, cached continuation
 * (previous_response_id + the new input only), the 60-minute connection limit, a connection dropped mid-answer,
 * refused upgrades falling back to SSE, and proxies.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { isRetryableError } from "../../../src/agent/retry.ts";
import { getBuiltInModels } from "../../../src/ai/models.ts";
import { codexSocketPool } from "../../../src/ai/providers/codex-websocket.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessage, Context, Model, StreamOptions, Transport } from "../../../src/ai/types.ts";
import { type CodexWsServer, startCodexWsServer } from "../../support/codex-ws-server.ts";
import { startTestProxy } from "../../support/http-proxy.ts";
import { readTool } from "../providers/helpers.ts";
import { fakeChatGptToken } from "./jwt.ts";

const TOKEN = fakeChatGptToken("acct-ws");
let server: CodexWsServer;
let session = 0;
beforeAll(() => {
	delete process.env.PI_OPENAI_CODEX_BASE_URL;
	server = startCodexWsServer();
});
afterAll(() => server.close());
afterEach(() => {
	codexSocketPool.closeAll();
	codexSocketPool.now = () => Date.now();
	server.refuseUpgrades = false;
	delete process.env.HTTP_PROXY;
});

function model(): Model {
	const found = getBuiltInModels().find((m) => m.provider === "openai-codex" && m.id === "gpt-6.2-sol");
	if (!found) throw new Error("no openai-codex/gpt-6.2-sol");
	return { ...found, baseUrl: server.baseUrl };
}

function newSession(): string {
	return `session-${++session}`;
}

function send(context: Context, sessionId: string, transport: Transport, extra: StreamOptions = {}) {
	return streamAssistant(model(), context, { apiKey: TOKEN, sessionId, transport, ...extra }).result();
}

const first = (text: string): Context => ({
	systemPrompt: "You are pi.",
	tools: [readTool],
	messages: [{ role: "user", content: text, timestamp: 1 }],
});

/** The conversation after `answer`, with a tool result or a follow-up question. */
function followUp(context: Context, answer: AssistantMessage, text: string): Context {
	return { ...context, messages: [...context.messages, answer, { role: "user", content: text, timestamp: 2 }] };
}

describe("over a WebSocket", () => {
	test("pi 1.6.0's handshake, one response.create message, and the answer's events", async () => {
		const sessionId = newSession();
		server.enqueue({ text: "Hello over a socket", usage: { input: 12, output: 4 } });
		const message = await send(first("hi"), sessionId, "websocket");
		expect(message.errorMessage).toBeUndefined();
		expect(message.content).toMatchObject([{ type: "text", text: "Hello over a socket" }]);
		expect(message.usage).toMatchObject({ input: 12, output: 4 });
		const request = server.requests.at(-1);
		expect(request).toMatchObject({ transport: "websocket", connection: expect.any(Number) });
		expect(request?.body).toMatchObject({
			type: "response.create",
			model: "gpt-6.2-sol",
			store: false,
			stream: true,
			input: [
				{
					type: "additional_tools",
					role: "developer",
					tools: [expect.objectContaining({ name: "read", strict: null })],
				},
				{ role: "developer", content: "You are pi." },
				{ role: "user", content: [{ type: "input_text", text: "hi" }] },
			],
			prompt_cache_key: sessionId,
		});
		expect(server.handshakes.at(-1)).toMatchObject({
			authorization: `Bearer ${TOKEN}`,
			"chatgpt-account-id": "acct-ws",
			originator: "pi",
			"openai-beta": "responses_websockets=2026-02-06",
			"session-id": sessionId,
			"x-client-request-id": sessionId,
		});
		expect(server.handshakes.at(-1)?.accept).toBeUndefined();
	});

	test("auto: the session's next request reuses the connection and sends only what is new", async () => {
		const sessionId = newSession();
		server.enqueue({ text: "First answer" }, { text: "Second answer" });
		const context = first("one");
		const answer = await send(context, sessionId, "auto");
		const second = await send(followUp(context, answer, "two"), sessionId, "auto");
		expect(second.content).toMatchObject([{ type: "text", text: "Second answer" }]);
		const [a, b] = server.requests.slice(-2);
		expect(b?.connection).toBe(a?.connection);
		expect(b?.body.previous_response_id).toBe(answer.responseId);
		expect(b?.body.input).toEqual([{ role: "user", content: [{ type: "input_text", text: "two" }] }]);
	});

	test("websocket (not cached): the connection is reused but every request carries the whole context", async () => {
		const sessionId = newSession();
		server.enqueue({ text: "A" }, { text: "B" });
		const context = first("one");
		const answer = await send(context, sessionId, "websocket");
		await send(followUp(context, answer, "two"), sessionId, "websocket");
		const [a, b] = server.requests.slice(-2);
		expect(b?.connection).toBe(a?.connection);
		expect(b?.body.previous_response_id).toBeUndefined();
		// tools, prompt, question, answer, question
		expect(b?.body.input).toHaveLength(5);
	});

	test("a changed request (other tools) starts over with the whole context", async () => {
		const sessionId = newSession();
		server.enqueue({ text: "A" }, { text: "B" });
		const context = first("one");
		const answer = await send(context, sessionId, "websocket-cached");
		await send({ ...followUp(context, answer, "two"), tools: [] }, sessionId, "websocket-cached");
		expect(server.requests.at(-1)?.body.previous_response_id).toBeUndefined();
	});

	test("the 60-minute limit: a connection older than 45 minutes is not used for a new request", async () => {
		const sessionId = newSession();
		server.enqueue({ text: "A" }, { text: "B" });
		const context = first("one");
		const answer = await send(context, sessionId, "auto");
		const opened = server.requests.at(-1)?.connection;
		codexSocketPool.now = () => Date.now() + 46 * 60 * 1000;
		await send(followUp(context, answer, "two"), sessionId, "auto");
		const request = server.requests.at(-1);
		expect(request?.connection).not.toBe(opened);
		// A new connection has no previous response to continue from.
		expect(request?.body.previous_response_id).toBeUndefined();
	});

	test("websocket_connection_limit_reached before the answer: retried once on a fresh connection", async () => {
		const sessionId = newSession();
		server.enqueue(
			{ kind: "codex-error", code: "websocket_connection_limit_reached", message: "Connection limit reached" },
			{ text: "On a new connection" },
		);
		const message = await send(first("hi"), sessionId, "auto");
		expect(message.errorMessage).toBeUndefined();
		expect(message.content).toMatchObject([{ type: "text", text: "On a new connection" }]);
		const [refused, retried] = server.requests.slice(-2);
		expect(retried?.transport).toBe("websocket");
		expect(retried?.connection).not.toBe(refused?.connection);
	});

	test("previous_response_not_found: the request is sent again with the whole context", async () => {
		const sessionId = newSession();
		server.enqueue(
			{ text: "A" },
			{ kind: "codex-error", code: "previous_response_not_found", message: "Previous response not found" },
			{ text: "B" },
		);
		const context = first("one");
		const answer = await send(context, sessionId, "auto");
		const message = await send(followUp(context, answer, "two"), sessionId, "auto");
		expect(message.content).toMatchObject([{ type: "text", text: "B" }]);
		const [delta, full] = server.requests.slice(-2);
		expect(delta?.body.previous_response_id).toBe(answer.responseId);
		expect(full?.body.previous_response_id).toBeUndefined();
		expect(full?.body.input).toHaveLength(5);
	});

	test("a connection dropped mid-answer: a retryable error keeping the text; the session moves to SSE", async () => {
		const sessionId = newSession();
		server.enqueue({ kind: "drop-after", text: "Half of it" }, { text: "Over SSE now" });
		const message = await send(first("hi"), sessionId, "auto");
		expect(message.stopReason).toBe("error");
		expect(message.content).toMatchObject([{ type: "text", text: "Half of it" }]);
		expect(message.errorMessage).toContain("WebSocket closed");
		expect(isRetryableError(message, 200000)).toBe(true);
		// The agent's retry goes over SSE.
		const retry = await send(first("hi"), sessionId, "auto");
		expect(retry.content).toMatchObject([{ type: "text", text: "Over SSE now" }]);
		expect(server.requests.at(-1)?.transport).toBe("sse");
	});

	test("a refused upgrade falls back to SSE for the same request and the rest of the session", async () => {
		const sessionId = newSession();
		server.refuseUpgrades = true;
		server.enqueue({ text: "Via SSE" }, { text: "Still SSE" });
		const message = await send(first("hi"), sessionId, "websocket");
		expect(message.errorMessage).toBeUndefined();
		expect(message.content).toMatchObject([{ type: "text", text: "Via SSE" }]);
		expect(server.requests.at(-1)?.transport).toBe("sse");
		const handshakes = server.handshakes.length;
		server.refuseUpgrades = false;
		await send(first("again"), sessionId, "websocket");
		expect(server.requests.at(-1)?.transport).toBe("sse");
		expect(server.handshakes.length).toBe(handshakes);
	});

	test("a silent socket hits the between-chunks limit", async () => {
		server.enqueue({ kind: "silence", text: "Thinking" });
		const message = await send(first("hi"), newSession(), "websocket", { idleTimeoutMs: 150 });
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toContain("timed out");
	});

	test("transport sse never opens a socket", async () => {
		const handshakes = server.handshakes.length;
		server.enqueue({ text: "plain SSE" });
		const message = await send(first("hi"), newSession(), "sse");
		expect(message.content).toMatchObject([{ type: "text", text: "plain SSE" }]);
		expect(server.handshakes.length).toBe(handshakes);
		expect(server.requests.at(-1)?.transport).toBe("sse");
	});

	test("HTTP_PROXY is used for the socket too (CONNECT through the proxy)", async () => {
		const proxy = await startTestProxy();
		try {
			process.env.HTTP_PROXY = proxy.url;
			server.enqueue({ text: "proxied" });
			const message = await send(first("hi"), newSession(), "websocket");
			expect(message.content).toMatchObject([{ type: "text", text: "proxied" }]);
			expect(proxy.seen.some((line) => line.startsWith("CONNECT 127.0.0.1:"))).toBe(true);
			expect(server.requests.at(-1)?.transport).toBe("websocket");
		} finally {
			await proxy.close();
		}
	});
});
