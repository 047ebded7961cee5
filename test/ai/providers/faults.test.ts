/**
 * Fault injection against every API: each failure must end the stream with one `error` event whose message the
 * agent's retry policy classifies correctly (transient → retry, overflow → compaction, abort → no retry).
 */
import { describe, expect, test } from "bun:test";
import { isRetryableError } from "../../../src/agent/retry.ts";
import { isContextOverflow } from "../../../src/ai/overflow.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessage } from "../../../src/ai/types.ts";
import type { ScriptedTurn } from "../../support/llm-server.ts";
import { collect, testModel, useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();

const APIS = [
	"anthropic-messages",
	"openai-completions",
	"openai-responses",
	"azure-openai-responses",
	"google-generative-ai",
	// Vertex AI speaks the Gemini wire format on its own paths (API-key mode here); Bedrock's binary event
	// stream has its own fault tests in bedrock.test.ts.
	"google-vertex",
] as const;
type FaultApi = (typeof APIS)[number];

const OVERFLOW_BODY: Record<FaultApi, string> = {
	"anthropic-messages": JSON.stringify({
		type: "error",
		error: { type: "invalid_request_error", message: "prompt is too long: 213462 tokens > 200000 maximum" },
	}),
	"openai-completions": JSON.stringify({
		error: {
			message: "Your input exceeds the context window of this model.",
			type: "invalid_request_error",
			param: null,
			code: "context_length_exceeded",
		},
	}),
	"openai-responses": JSON.stringify({
		error: {
			message: "Your input exceeds the context window of this model.",
			type: "invalid_request_error",
			param: "input",
			code: "context_length_exceeded",
		},
	}),
	"azure-openai-responses": JSON.stringify({
		error: {
			message: "Your input exceeds the context window of this model.",
			type: "invalid_request_error",
			param: "input",
			code: "context_length_exceeded",
		},
	}),
	"google-generative-ai": JSON.stringify({
		error: {
			code: 400,
			message: "The input token count (1196265) exceeds the maximum number of tokens allowed (1048575).",
			status: "INVALID_ARGUMENT",
		},
	}),
	"google-vertex": JSON.stringify({
		error: {
			code: 400,
			message: "The input token count (1196265) exceeds the maximum number of tokens allowed (1048575).",
			status: "INVALID_ARGUMENT",
		},
	}),
};

async function failWith(
	api: FaultApi,
	turn: ScriptedTurn,
	options: { maxRetryDelayMs?: number; idleTimeoutMs?: number; firstByteTimeoutMs?: number; maxRetries?: number } = {},
) {
	server.enqueue(turn);
	const model = testModel(api, server.url);
	// No SDK-level retries unless asked: each test scripts exactly one failing answer.
	const stream = streamAssistant(model, userContext("hi"), { apiKey: "k", maxRetries: 0, ...options });
	const events = await collect(stream);
	const last = events[events.length - 1];
	if (last?.type !== "error") throw new Error(`expected an error event, got ${last?.type}`);
	expect(events.filter((event) => event.type === "error")).toHaveLength(1);
	return { events, message: last.error, reason: last.reason };
}

function expectTransient(message: AssistantMessage) {
	expect(message.stopReason).toBe("error");
	expect(isContextOverflow(message, 200000)).toBe(false);
	expect(isRetryableError(message, 200000)).toBe(true);
}

describe.each(APIS)("%s faults", (api) => {
	test("mid-stream disconnect keeps the partial text and is retryable", async () => {
		const { message, events } = await failWith(api, { kind: "disconnect-after", text: "partial answer that" });
		expect(events.some((event) => event.type === "text_delta")).toBe(true);
		expect(message.content[0]).toMatchObject({ type: "text" });
		expectTransient(message);
	});

	test("a stream that ends without the API's stop event is a retryable error, not a complete answer", async () => {
		const { message, events } = await failWith(api, { kind: "cut-short", text: "the answer stops mid" });
		expect(events.some((event) => event.type === "text_delta")).toBe(true);
		expect(message.errorMessage).toContain("ended without");
		expectTransient(message);
	});

	test("malformed chunk is retryable", async () => {
		const { message } = await failWith(api, { kind: "malformed" });
		expectTransient(message);
	});

	test("in-stream error event is retryable and carries the provider text", async () => {
		const { message } = await failWith(api, { kind: "stream-error", text: "some", message: "Overloaded right now" });
		expect(message.errorMessage).toContain("Overloaded right now");
		expectTransient(message);
	});

	test("429 within the retry-delay cap: status and provider message", async () => {
		const { message } = await failWith(api, { kind: "http-error", status: 429, headers: { "retry-after": "2" } });
		expect(message.errorMessage).toContain("429");
		expect(message.errorMessage).toContain("Rate limit exceeded");
		expect(message.errorMessage).not.toContain("retry delay");
		expectTransient(message);
	});

	test("429 asking to wait longer than maxRetryDelayMs names the delay", async () => {
		const { message } = await failWith(
			api,
			{ kind: "http-error", status: 429, headers: { "retry-after": "120" } },
			{ maxRetryDelayMs: 5000 },
		);
		expect(message.errorMessage).toContain("server asked to retry after 120 s, longer than the 5 s allowed");
		expectTransient(message);
	});

	test("a huge retry-after is refused at once, not slept through by the SDK and reported as a timeout", async () => {
		const started = Date.now();
		// The SDKs' own retries are on (their default), and they would honour retry-after: 40 by sleeping.
		const before = server.requests.length;
		const { message } = await failWith(
			api,
			{ kind: "http-error", status: 429, headers: { "retry-after": "40" } },
			{ maxRetryDelayMs: 5000, idleTimeoutMs: 20_000, maxRetries: 2 },
		);
		expect(Date.now() - started).toBeLessThan(15_000);
		expect(message.errorMessage).toContain("429");
		expect(message.errorMessage).toContain("server asked to retry after 40 s");
		expect(message.errorMessage).not.toContain("timed out");
		expectTransient(message);
		// Refused on the first answer: the SDK did not ask again.
		expect(server.requests.length - before).toBe(1);
	});

	test("529 overloaded is retryable", async () => {
		const { message } = await failWith(api, { kind: "http-error", status: 529 });
		expect(message.errorMessage).toContain("529");
		expect(message.errorMessage?.toLowerCase()).toContain("overloaded");
		expectTransient(message);
	});

	test("400 context overflow is recognised as overflow, not retried", async () => {
		const { message } = await failWith(api, { kind: "http-error", status: 400, body: OVERFLOW_BODY[api] });
		expect(message.errorMessage).toContain("400");
		expect(isContextOverflow(message, 200000)).toBe(true);
		expect(isRetryableError(message, 200000)).toBe(false);
	});

	test("idle timeout aborts a stalled stream with a transient 'timed out' error naming the between-chunks limit", async () => {
		const started = Date.now();
		const { message } = await failWith(api, { kind: "stall", text: "thinking about" }, { idleTimeoutMs: 150 });
		expect(Date.now() - started).toBeLessThan(3000);
		expect(message.errorMessage).toContain("timed out");
		expect(message.errorMessage).toContain("between chunks (httpIdleTimeoutMs)");
		expectTransient(message);
	});

	test("a stream that keeps sending runs past the between-chunks limit: each chunk restarts it", async () => {
		// 20 text chunks 80 ms apart: the whole answer takes far longer than the 1 s limit, no gap comes near it (a busy
		// machine stalling the loop for a few hundred ms still stays under it).
		const text = "one steady answer, streamed in small pieces ".repeat(4).slice(0, 160);
		server.enqueue({ text, chunkDelayMs: 80 });
		const model = testModel(api, server.url);
		const started = performance.now();
		const stream = streamAssistant(model, userContext("hi"), { apiKey: "k", maxRetries: 0, idleTimeoutMs: 1000 });
		const events = await collect(stream);
		expect(performance.now() - started).toBeGreaterThan(1000);
		expect(events.at(-1)?.type).toBe("done");
		expect((await stream.result()).content).toMatchObject([{ type: "text", text }]);
	});

	test("a slow first byte is waited for past the between-chunks limit, up to the first-byte limit", async () => {
		server.enqueue({ text: "worth the wait", firstByteDelayMs: 600 });
		const model = testModel(api, server.url);
		const stream = streamAssistant(model, userContext("hi"), {
			apiKey: "k",
			maxRetries: 0,
			idleTimeoutMs: 200,
			firstByteTimeoutMs: 20_000,
		});
		const events = await collect(stream);
		expect(events.at(-1)?.type).toBe("done");

		const { message } = await failWith(
			api,
			{ text: "too late", firstByteDelayMs: 5000 },
			{ idleTimeoutMs: 20_000, firstByteTimeoutMs: 300 },
		);
		expect(message.errorMessage).toContain("timed out");
		expect(message.errorMessage).toContain("first-byte limit");
		expectTransient(message);
	});

	test("abort mid-stream ends with reason aborted and keeps the partial content", async () => {
		server.enqueue({ text: "a fairly long answer that streams slowly", chunkDelayMs: 30 });
		const controller = new AbortController();
		const model = testModel(api, server.url);
		const stream = streamAssistant(model, userContext("hi"), { apiKey: "k", signal: controller.signal });
		const types: string[] = [];
		for await (const event of stream) {
			types.push(event.type);
			if (event.type === "text_delta") controller.abort();
		}
		const message = await stream.result();
		expect(types[types.length - 1]).toBe("error");
		expect(message.stopReason).toBe("aborted");
		// pi's wording is its SDK's: the fetch's AbortError for Anthropic and Gemini, the OpenAI SDK's own otherwise.
		const fetchWording = api === "anthropic-messages" || api === "google-generative-ai" || api === "google-vertex";
		expect(message.errorMessage).toBe(fetchWording ? "This operation was aborted" : "Request was aborted");
		expect(message.content[0]).toMatchObject({ type: "text" });
		expect(isRetryableError(message, 200000)).toBe(false);
	});
});

describe("stream setup", () => {
	test.each(APIS)("%s: the provider's response id is kept on the message", async (api) => {
		const message = await streamAssistant(testModel(api, server.url), userContext("x"), { apiKey: "k" }).result();
		expect(Reflect.get(message, "responseId")).toMatch(/^(msg_test|chatcmpl-test|resp_test|gresp_test)/);
	});

	test("an already-aborted signal never reaches the network", async () => {
		const before = server.requests.length;
		const controller = new AbortController();
		controller.abort();
		const message = await streamAssistant(testModel("anthropic-messages", server.url), userContext("x"), {
			apiKey: "k",
			signal: controller.signal,
		}).result();
		expect(message.stopReason).toBe("aborted");
		expect(server.requests.length).toBe(before);
	});

	test("unknown API becomes an error event, not a throw", async () => {
		const model = { ...testModel("anthropic-messages", server.url), api: "no-such-api" };
		const message = await streamAssistant(model, userContext("x")).result();
		expect(message.stopReason).toBe("error");
		expect(message.errorMessage).toBe(
			'anthropic/mock-model uses the "no-such-api" API, which this pi does not support. Choose another model (pi --list-models shows them).',
		);
	});

	test("connection refused is a retryable connection error", async () => {
		const model = testModel("openai-completions", "http://127.0.0.1:1");
		const message = await streamAssistant(model, userContext("x"), { apiKey: "k" }).result();
		expectTransient(message);
	});
});
