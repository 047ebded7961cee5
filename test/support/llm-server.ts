/**
 * A scripted fake LLM server for tests. It speaks the real streaming wire formats of every API pi talks to,
 * on their real paths, so the official SDKs parse its answers exactly as they parse the real services:
 *
 *   POST …/v1/messages                                   anthropic-messages (SSE with `event:` names)
 *   POST …/chat/completions                              openai-completions (`data:` chunks, `[DONE]`)
 *   POST …/responses                                     openai-responses / azure-openai-responses
 *   POST …/models/{model}:streamGenerateContent?alt=sse  google-generative-ai
 *
 * Each request takes the next scripted turn (FIFO); an empty queue answers a plain "ok" text reply.
 * Every request is recorded (api, path, lower-cased headers, parsed JSON body).
 *
 * In-process use:
 *   const server = await startLlmServer();
 *   server.enqueue({ text: "hi" }, { toolCalls: [{ name: "read", arguments: { path: "a" } }] });
 *   … point model.baseUrl at server.url (anthropic: server.url, openai: `${server.url}/v1`,
 *     google: `${server.url}/v1beta`) …
 *   await server.close();
 *
 * Standalone use (for subprocess tests of the compiled binary):
 *   bun test/support/llm-server.ts --script turns.json [--requests-out requests.jsonl]
 * prints the URL as the first line on stdout, then serves the turns of the JSON array (ScriptedTurn[]).
 * With --requests-out each recorded request is appended as one JSON line. It runs until killed.
 * `spawnLlmServer(turns)` below does all of that for you. The wire formats themselves are in llm-wire/.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zstdDecompressSync } from "node:zlib";
import * as v from "valibot";
import type { Frame, TurnContext } from "./llm-wire/sse.ts";
import { type ScriptedTurn, ScriptedTurnSchema } from "./llm-wire/turns.ts";
import { detectApi, partialTextFrames, replyFrames } from "./llm-wire/wire-api.ts";
import { defaultErrorBody, malformedFrames, streamErrorFrame } from "./llm-wire/wire-errors.ts";

export type { ScriptedTurn };

export interface RecordedRequest {
	api: string;
	path: string;
	headers: Record<string, string>;
	body: unknown;
}

export interface LlmTestServer {
	url: string;
	requests: RecordedRequest[];
	enqueue(...turns: ScriptedTurn[]): void;
	close(): Promise<void>;
}

const SSE_HEADERS: Record<string, string> = {
	"content-type": "text/event-stream; charset=utf-8",
	"cache-control": "no-cache",
};

function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Streams frames with optional pacing. `end` decides what happens after the last frame:
 * close normally, destroy the connection, or stay silent until the client goes away.
 */
function sseResponse(
	frames: Frame[],
	delayMs: number,
	end: "close" | "destroy" | "stall",
	firstByteDelayMs = 0,
	holdHalfwayUntil?: Promise<unknown>,
): Response {
	const encoder = new TextEncoder();
	let cancelled = false;
	const halfway = Math.floor(frames.length / 2);
	const stream = new ReadableStream<Uint8Array>({
		async start(controller) {
			if (firstByteDelayMs > 0) await sleep(firstByteDelayMs);
			for (const [index, frame] of frames.entries()) {
				if (index === halfway && holdHalfwayUntil) await holdHalfwayUntil;
				if (cancelled) return;
				controller.enqueue(encoder.encode(frame));
				if (delayMs > 0) await sleep(delayMs);
			}
			if (cancelled) return;
			if (end === "close") controller.close();
			else if (end === "destroy") {
				// Give the client a moment to read what was sent, then tear the connection down mid-body.
				await sleep(20);
				controller.error(new Error("scripted disconnect"));
			}
			// "stall": never close; the client's abort/idle timeout must end it.
		},
		cancel() {
			cancelled = true;
		},
	});
	return new Response(stream, { status: 200, headers: SSE_HEADERS });
}

export interface LlmServerOptions {
	/** Turns queued before the first request. */
	turns?: ScriptedTurn[];
	/** Called as each request is recorded (the standalone mode writes them to a file). */
	onRequest?: (request: RecordedRequest) => void;
}

export async function startLlmServer(options: LlmServerOptions = {}): Promise<LlmTestServer> {
	const queue: ScriptedTurn[] = [...(options.turns ?? [])];
	const requests: RecordedRequest[] = [];
	let seq = 0;

	const server = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		idleTimeout: 0, // stalls must stay open until the client gives up
		async fetch(req) {
			const url = new URL(req.url);
			const path = url.pathname;
			const api = detectApi(path);
			const headers: Record<string, string> = {};
			req.headers.forEach((value, key) => {
				headers[key.toLowerCase()] = value;
			});
			// The Codex backend takes zstd-compressed bodies (pi 1.6.0 sends them), as `content-encoding` says.
			const bytes = new Uint8Array(await req.arrayBuffer());
			const raw = new TextDecoder().decode(headers["content-encoding"] === "zstd" ? zstdDecompressSync(bytes) : bytes);
			let body: unknown = raw;
			try {
				body = JSON.parse(raw);
			} catch {
				// keep the raw text; tests may assert on it
			}
			if (!api) return new Response(JSON.stringify({ error: { message: `no route ${path}` } }), { status: 404 });
			const recordedApi = api === "openai-responses" && path.includes("/openai/") ? "azure-openai-responses" : api;
			const recorded: RecordedRequest = { api: recordedApi, path: path + url.search, headers, body };
			requests.push(recorded);
			options.onRequest?.(recorded);

			const modelFromBody = v.safeParse(v.object({ model: v.string() }), body);
			const googleModel = /models\/([^:/]+):/.exec(path)?.[1];
			const ctx: TurnContext = {
				seq: seq++,
				model: modelFromBody.success ? modelFromBody.output.model : (googleModel ?? "test-model"),
			};
			const turn: ScriptedTurn = queue.shift() ?? { text: "ok" };
			switch (turn.kind) {
				case "http-error":
					return new Response(turn.body ?? defaultErrorBody(api, turn.status), {
						status: turn.status,
						headers: { "content-type": "application/json", ...turn.headers },
					});
				case "disconnect-after":
					return sseResponse(partialTextFrames(api, turn.text, ctx), 5, "destroy");
				case "cut-short":
					return sseResponse(partialTextFrames(api, turn.text, ctx), 0, "close");
				case "stall":
					return sseResponse(turn.text ? partialTextFrames(api, turn.text, ctx) : [], 0, "stall");
				case "malformed":
					return sseResponse(malformedFrames(api), 0, "close");
				case "stream-error": {
					const frames = turn.text ? partialTextFrames(api, turn.text, ctx) : [];
					frames.push(streamErrorFrame(api, turn.message ?? "Overloaded"));
					return sseResponse(frames, 0, "close");
				}
				default:
					return sseResponse(
						replyFrames(api, turn, ctx),
						turn.chunkDelayMs ?? 0,
						"close",
						turn.firstByteDelayMs,
						turn.holdHalfwayUntil,
					);
			}
		},
	});

	return {
		url: `http://127.0.0.1:${server.port}`,
		requests,
		enqueue(...turns) {
			queue.push(...turns);
		},
		async close() {
			await server.stop(true);
		},
	};
}

/** A standalone server running in a child process (for tests that spawn the compiled binary). */
export interface SpawnedLlmServer {
	url: string;
	/** Reads the requests the child has recorded so far. */
	requests(): RecordedRequest[];
	close(): Promise<void>;
}

export async function spawnLlmServer(turns: ScriptedTurn[]): Promise<SpawnedLlmServer> {
	const dir = mkdtempSync(join(tmpdir(), "pi-llm-server-"));
	const scriptPath = join(dir, "turns.json");
	const requestsPath = join(dir, "requests.jsonl");
	writeFileSync(scriptPath, JSON.stringify(turns));
	writeFileSync(requestsPath, "");
	const child = Bun.spawn(
		[process.execPath, import.meta.path, "--script", scriptPath, "--requests-out", requestsPath],
		{
			stdout: "pipe",
			stderr: "inherit",
		},
	);
	const reader = child.stdout.getReader();
	let buffered = "";
	const decoder = new TextDecoder();
	while (!buffered.includes("\n")) {
		const { value, done } = await reader.read();
		if (done) throw new Error("llm-server child exited before printing its URL");
		buffered += decoder.decode(value, { stream: true });
	}
	reader.releaseLock();
	const url = buffered.slice(0, buffered.indexOf("\n")).trim();
	return {
		url,
		requests() {
			return readFileSync(requestsPath, "utf8")
				.split("\n")
				.filter((line) => line.length > 0)
				.map((line) => v.parse(RecordedRequestSchema, JSON.parse(line)));
		},
		async close() {
			child.kill();
			await child.exited;
		},
	};
}

const RecordedRequestSchema = v.object({
	api: v.string(),
	path: v.string(),
	headers: v.record(v.string(), v.string()),
	body: v.unknown(),
});

async function runStandalone(argv: string[]): Promise<void> {
	const scriptIndex = argv.indexOf("--script");
	const outIndex = argv.indexOf("--requests-out");
	const scriptPath = scriptIndex >= 0 ? argv[scriptIndex + 1] : undefined;
	const requestsOut = outIndex >= 0 ? argv[outIndex + 1] : undefined;
	const turns = scriptPath ? v.parse(v.array(ScriptedTurnSchema), JSON.parse(readFileSync(scriptPath, "utf8"))) : [];
	const server = await startLlmServer({
		turns,
		onRequest: requestsOut ? (request) => appendFileSync(requestsOut, `${JSON.stringify(request)}\n`) : undefined,
	});
	process.stdout.write(`${server.url}\n`);
}

if (import.meta.main) {
	await runStandalone(process.argv.slice(2));
}
