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
 * `spawnLlmServer(turns)` below does all of that for you.
 */
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { zstdDecompressSync } from "node:zlib";
import * as v from "valibot";

export type ScriptedTurn =
	| {
			kind?: "reply";
			text?: string;
			thinking?: string;
			/** `rawArguments`: the argument text sent instead of `arguments` (cut-off or malformed JSON) */
			toolCalls?: { id?: string; name: string; arguments: Record<string, unknown>; rawArguments?: string }[];
			stopReason?: "stop" | "length" | "toolUse";
			usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
			/** delay between SSE chunks (for abort/steering tests) */
			chunkDelayMs?: number;
			/** headers at once, then this long before the first chunk (a model thinking over a long prompt) */
			firstByteDelayMs?: number;
			/**
			 * Half the frames, then nothing until this settles: the test acts while the client is known to be
			 * mid-answer, however slow the machine. In-process servers only (a promise is not JSON).
			 */
			holdHalfwayUntil?: Promise<unknown>;
	  }
	| { kind: "http-error"; status: number; body?: string; headers?: Record<string, string> }
	/** sends some text deltas then destroys the connection */
	| { kind: "disconnect-after"; text: string }
	/** some text deltas, then a normal end of the response without the API's finish/stop event */
	| { kind: "cut-short"; text: string }
	/** sends headers (and optional text) then goes silent forever */
	| { kind: "stall"; text?: string }
	/** a garbage SSE chunk */
	| { kind: "malformed" }
	/** some text deltas, then the API's own in-stream error event (e.g. Anthropic `overloaded_error`) */
	| { kind: "stream-error"; text?: string; message?: string };

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

const UsageSchema = v.object({
	input: v.number(),
	output: v.number(),
	cacheRead: v.optional(v.number()),
	cacheWrite: v.optional(v.number()),
});

export const ScriptedTurnSchema = v.union([
	v.object({
		kind: v.optional(v.literal("reply")),
		text: v.optional(v.string()),
		thinking: v.optional(v.string()),
		toolCalls: v.optional(
			v.array(
				v.object({
					id: v.optional(v.string()),
					name: v.string(),
					arguments: v.record(v.string(), v.unknown()),
					rawArguments: v.optional(v.string()),
				}),
			),
		),
		stopReason: v.optional(v.picklist(["stop", "length", "toolUse"])),
		usage: v.optional(UsageSchema),
		chunkDelayMs: v.optional(v.number()),
		firstByteDelayMs: v.optional(v.number()),
	}),
	v.object({
		kind: v.literal("http-error"),
		status: v.number(),
		body: v.optional(v.string()),
		headers: v.optional(v.record(v.string(), v.string())),
	}),
	v.object({ kind: v.literal("disconnect-after"), text: v.string() }),
	v.object({ kind: v.literal("cut-short"), text: v.string() }),
	v.object({ kind: v.literal("stall"), text: v.optional(v.string()) }),
	v.object({ kind: v.literal("malformed") }),
	v.object({ kind: v.literal("stream-error"), text: v.optional(v.string()), message: v.optional(v.string()) }),
]);

type ReplyTurn = Extract<ScriptedTurn, { kind?: "reply" }>;
type WireApi = "anthropic-messages" | "openai-completions" | "openai-responses" | "google-generative-ai";

/** One SSE frame, already serialized. */
type Frame = string;

function detectApi(path: string): WireApi | undefined {
	if (path.endsWith("/messages")) return "anthropic-messages";
	if (path.endsWith("/chat/completions")) return "openai-completions";
	if (path.endsWith("/responses")) return "openai-responses";
	if (path.includes(":streamGenerateContent") || path.includes(":generateContent")) return "google-generative-ai";
	return undefined;
}

/** Splits text into a few deltas so clients see real streaming. */
function chunkText(text: string, size = 8): string[] {
	if (text.length === 0) return [];
	const parts: string[] = [];
	for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
	return parts;
}

function namedEvent(name: string, data: unknown): Frame {
	return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

function dataEvent(data: unknown): Frame {
	return `data: ${JSON.stringify(data)}\n\n`;
}

interface TurnContext {
	seq: number;
	model: string;
}

function usageOf(turn: ReplyTurn) {
	return {
		input: turn.usage?.input ?? 10,
		output: turn.usage?.output ?? 5,
		cacheRead: turn.usage?.cacheRead ?? 0,
		cacheWrite: turn.usage?.cacheWrite ?? 0,
	};
}

function effectiveStop(turn: ReplyTurn): "stop" | "length" | "toolUse" {
	if (turn.stopReason) return turn.stopReason;
	return turn.toolCalls && turn.toolCalls.length > 0 ? "toolUse" : "stop";
}

// ---------------------------------------------------------------- anthropic-messages

function anthropicFrames(turn: ReplyTurn, ctx: TurnContext): Frame[] {
	const usage = usageOf(turn);
	const frames: Frame[] = [];
	frames.push(
		namedEvent("message_start", {
			type: "message_start",
			message: {
				id: `msg_test_${ctx.seq}`,
				type: "message",
				role: "assistant",
				model: ctx.model,
				content: [],
				stop_reason: null,
				stop_sequence: null,
				usage: {
					input_tokens: usage.input,
					cache_creation_input_tokens: usage.cacheWrite,
					cache_read_input_tokens: usage.cacheRead,
					output_tokens: 1,
				},
			},
		}),
	);
	frames.push(namedEvent("ping", { type: "ping" }));
	let index = 0;
	if (turn.thinking !== undefined) {
		frames.push(
			namedEvent("content_block_start", {
				type: "content_block_start",
				index,
				content_block: { type: "thinking", thinking: "", signature: "" },
			}),
		);
		for (const part of chunkText(turn.thinking)) {
			frames.push(
				namedEvent("content_block_delta", {
					type: "content_block_delta",
					index,
					delta: { type: "thinking_delta", thinking: part },
				}),
			);
		}
		frames.push(
			namedEvent("content_block_delta", {
				type: "content_block_delta",
				index,
				delta: { type: "signature_delta", signature: `sig_test_${ctx.seq}` },
			}),
		);
		frames.push(namedEvent("content_block_stop", { type: "content_block_stop", index }));
		index++;
	}
	if (turn.text !== undefined) {
		frames.push(
			namedEvent("content_block_start", {
				type: "content_block_start",
				index,
				content_block: { type: "text", text: "" },
			}),
		);
		for (const part of chunkText(turn.text)) {
			frames.push(
				namedEvent("content_block_delta", {
					type: "content_block_delta",
					index,
					delta: { type: "text_delta", text: part },
				}),
			);
		}
		frames.push(namedEvent("content_block_stop", { type: "content_block_stop", index }));
		index++;
	}
	for (const [i, call] of (turn.toolCalls ?? []).entries()) {
		frames.push(
			namedEvent("content_block_start", {
				type: "content_block_start",
				index,
				content_block: { type: "tool_use", id: call.id ?? `toolu_test_${ctx.seq}_${i}`, name: call.name, input: {} },
			}),
		);
		for (const part of chunkText(call.rawArguments ?? JSON.stringify(call.arguments), 6)) {
			frames.push(
				namedEvent("content_block_delta", {
					type: "content_block_delta",
					index,
					delta: { type: "input_json_delta", partial_json: part },
				}),
			);
		}
		frames.push(namedEvent("content_block_stop", { type: "content_block_stop", index }));
		index++;
	}
	const stop = effectiveStop(turn);
	frames.push(
		namedEvent("message_delta", {
			type: "message_delta",
			delta: {
				stop_reason: stop === "stop" ? "end_turn" : stop === "length" ? "max_tokens" : "tool_use",
				stop_sequence: null,
			},
			usage: {
				input_tokens: usage.input,
				cache_creation_input_tokens: usage.cacheWrite,
				cache_read_input_tokens: usage.cacheRead,
				output_tokens: usage.output,
			},
		}),
	);
	frames.push(namedEvent("message_stop", { type: "message_stop" }));
	return frames;
}

function anthropicTextDeltaFrames(text: string, ctx: TurnContext): Frame[] {
	const frames = anthropicFrames({ text }, ctx);
	// keep message_start, ping, block start and the deltas; drop the block end and message end
	return frames.slice(0, frames.length - 3);
}

// ---------------------------------------------------------------- openai-completions

function completionsFrames(turn: ReplyTurn, ctx: TurnContext): Frame[] {
	const usage = usageOf(turn);
	const id = `chatcmpl-test${ctx.seq}`;
	const created = Math.floor(Date.now() / 1000);
	const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
		dataEvent({
			id,
			object: "chat.completion.chunk",
			created,
			model: ctx.model,
			system_fingerprint: null,
			choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
		});
	const frames: Frame[] = [chunk({ role: "assistant", content: "", refusal: null })];
	for (const part of chunkText(turn.thinking ?? "")) frames.push(chunk({ reasoning_content: part }));
	for (const part of chunkText(turn.text ?? "")) frames.push(chunk({ content: part }));
	for (const [i, call] of (turn.toolCalls ?? []).entries()) {
		frames.push(
			chunk({
				tool_calls: [
					{
						index: i,
						id: call.id ?? `call_test_${ctx.seq}_${i}`,
						type: "function",
						function: { name: call.name, arguments: "" },
					},
				],
			}),
		);
		for (const part of chunkText(call.rawArguments ?? JSON.stringify(call.arguments), 6)) {
			frames.push(chunk({ tool_calls: [{ index: i, function: { arguments: part } }] }));
		}
	}
	const stop = effectiveStop(turn);
	frames.push(chunk({}, stop === "stop" ? "stop" : stop === "length" ? "length" : "tool_calls"));
	frames.push(
		dataEvent({
			id,
			object: "chat.completion.chunk",
			created,
			model: ctx.model,
			choices: [],
			usage: {
				prompt_tokens: usage.input + usage.cacheRead,
				completion_tokens: usage.output,
				total_tokens: usage.input + usage.cacheRead + usage.output,
				prompt_tokens_details: { cached_tokens: usage.cacheRead, audio_tokens: 0 },
				completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
			},
		}),
	);
	frames.push("data: [DONE]\n\n");
	return frames;
}

function completionsTextDeltaFrames(text: string, ctx: TurnContext): Frame[] {
	const frames = completionsFrames({ text }, ctx);
	return frames.slice(0, frames.length - 3);
}

// ---------------------------------------------------------------- openai-responses

function responsesFrames(turn: ReplyTurn, ctx: TurnContext, stopAfterText = false): Frame[] {
	const usage = usageOf(turn);
	let sequence = 0;
	const frames: Frame[] = [];
	const emit = (type: string, data: Record<string, unknown>) => {
		frames.push(namedEvent(type, { type, sequence_number: sequence++, ...data }));
	};
	const responseId = `resp_test_${ctx.seq}`;
	const baseResponse = {
		id: responseId,
		object: "response",
		created_at: Math.floor(Date.now() / 1000),
		model: ctx.model,
		parallel_tool_calls: true,
		tool_choice: "auto",
		tools: [],
		error: null,
		incomplete_details: null,
		instructions: null,
		metadata: {},
		temperature: 1,
		top_p: 1,
	};
	emit("response.created", { response: { ...baseResponse, status: "in_progress", output: [], usage: null } });
	emit("response.in_progress", { response: { ...baseResponse, status: "in_progress", output: [], usage: null } });
	const output: Record<string, unknown>[] = [];
	let outputIndex = 0;
	if (turn.thinking !== undefined) {
		const itemId = `rs_test_${ctx.seq}`;
		emit("response.output_item.added", {
			output_index: outputIndex,
			item: { id: itemId, type: "reasoning", summary: [] },
		});
		emit("response.reasoning_summary_part.added", {
			item_id: itemId,
			output_index: outputIndex,
			summary_index: 0,
			part: { type: "summary_text", text: "" },
		});
		for (const part of chunkText(turn.thinking)) {
			emit("response.reasoning_summary_text.delta", {
				item_id: itemId,
				output_index: outputIndex,
				summary_index: 0,
				delta: part,
			});
		}
		emit("response.reasoning_summary_text.done", {
			item_id: itemId,
			output_index: outputIndex,
			summary_index: 0,
			text: turn.thinking,
		});
		emit("response.reasoning_summary_part.done", {
			item_id: itemId,
			output_index: outputIndex,
			summary_index: 0,
			part: { type: "summary_text", text: turn.thinking },
		});
		const item = {
			id: itemId,
			type: "reasoning",
			summary: [{ type: "summary_text", text: turn.thinking }],
			encrypted_content: `enc_test_${ctx.seq}`,
		};
		emit("response.output_item.done", { output_index: outputIndex, item });
		output.push(item);
		outputIndex++;
	}
	if (turn.text !== undefined) {
		const itemId = `msg_test_${ctx.seq}`;
		emit("response.output_item.added", {
			output_index: outputIndex,
			item: { id: itemId, type: "message", status: "in_progress", role: "assistant", content: [] },
		});
		emit("response.content_part.added", {
			item_id: itemId,
			output_index: outputIndex,
			content_index: 0,
			part: { type: "output_text", text: "", annotations: [] },
		});
		for (const part of chunkText(turn.text)) {
			emit("response.output_text.delta", {
				item_id: itemId,
				output_index: outputIndex,
				content_index: 0,
				delta: part,
				logprobs: [],
			});
		}
		if (stopAfterText) return frames;
		emit("response.output_text.done", {
			item_id: itemId,
			output_index: outputIndex,
			content_index: 0,
			text: turn.text,
			logprobs: [],
		});
		const part = { type: "output_text", text: turn.text, annotations: [] };
		emit("response.content_part.done", { item_id: itemId, output_index: outputIndex, content_index: 0, part });
		const item = { id: itemId, type: "message", status: "completed", role: "assistant", content: [part] };
		emit("response.output_item.done", { output_index: outputIndex, item });
		output.push(item);
		outputIndex++;
	}
	for (const [i, call] of (turn.toolCalls ?? []).entries()) {
		const itemId = `fc_test_${ctx.seq}_${i}`;
		const callId = call.id ?? `call_test_${ctx.seq}_${i}`;
		const args = call.rawArguments ?? JSON.stringify(call.arguments);
		emit("response.output_item.added", {
			output_index: outputIndex,
			item: {
				id: itemId,
				type: "function_call",
				status: "in_progress",
				arguments: "",
				call_id: callId,
				name: call.name,
			},
		});
		for (const part of chunkText(args, 6)) {
			emit("response.function_call_arguments.delta", { item_id: itemId, output_index: outputIndex, delta: part });
		}
		emit("response.function_call_arguments.done", { item_id: itemId, output_index: outputIndex, arguments: args });
		const item = {
			id: itemId,
			type: "function_call",
			status: "completed",
			arguments: args,
			call_id: callId,
			name: call.name,
		};
		emit("response.output_item.done", { output_index: outputIndex, item });
		output.push(item);
		outputIndex++;
	}
	const stop = effectiveStop(turn);
	const usageBlock = {
		input_tokens: usage.input + usage.cacheRead,
		input_tokens_details: { cached_tokens: usage.cacheRead },
		output_tokens: usage.output,
		output_tokens_details: { reasoning_tokens: 0 },
		total_tokens: usage.input + usage.cacheRead + usage.output,
	};
	if (stop === "length") {
		emit("response.incomplete", {
			response: {
				...baseResponse,
				status: "incomplete",
				incomplete_details: { reason: "max_output_tokens" },
				output,
				usage: usageBlock,
			},
		});
	} else {
		emit("response.completed", { response: { ...baseResponse, status: "completed", output, usage: usageBlock } });
	}
	return frames;
}

// ---------------------------------------------------------------- google-generative-ai

/** The Responses API events of a scripted reply as JSON objects (the Codex WebSocket sends each as one message). */
export function responsesEventObjects(turn: ScriptedTurn, seq: number, model: string): Record<string, unknown>[] {
	if (turn.kind !== undefined && turn.kind !== "reply") throw new Error(`not a reply turn: ${turn.kind}`);
	return responsesFrames(turn, { seq, model }).map((frame) => {
		const data = frame.split("\n").find((line) => line.startsWith("data: "));
		return JSON.parse(data?.slice("data: ".length) ?? "{}");
	});
}

function googleFrames(turn: ReplyTurn, ctx: TurnContext): Frame[] {
	const usage = usageOf(turn);
	const frames: Frame[] = [];
	const responseId = `gresp_test_${ctx.seq}`;
	const chunk = (
		parts: Record<string, unknown>[],
		extra: { candidate?: Record<string, unknown>; usageMetadata?: Record<string, unknown> } = {},
	) =>
		`data: ${JSON.stringify({
			candidates: [{ content: { parts, role: "model" }, index: 0, ...extra.candidate }],
			usageMetadata: extra.usageMetadata ?? {
				promptTokenCount: usage.input + usage.cacheRead,
				totalTokenCount: usage.input + usage.cacheRead,
			},
			modelVersion: ctx.model,
			responseId,
		})}\r\n\r\n`;
	for (const part of chunkText(turn.thinking ?? "")) frames.push(chunk([{ text: part, thought: true }]));
	for (const part of chunkText(turn.text ?? "")) frames.push(chunk([{ text: part }]));
	const calls = (turn.toolCalls ?? []).map((call) => ({
		functionCall: { ...(call.id ? { id: call.id } : {}), name: call.name, args: call.arguments },
	}));
	if (calls.length > 0) frames.push(chunk(calls));
	const stop = effectiveStop(turn);
	frames.push(
		chunk([{ text: "" }], {
			candidate: { finishReason: stop === "length" ? "MAX_TOKENS" : "STOP" },
			usageMetadata: {
				promptTokenCount: usage.input + usage.cacheRead,
				candidatesTokenCount: usage.output,
				totalTokenCount: usage.input + usage.cacheRead + usage.output,
				...(usage.cacheRead > 0 ? { cachedContentTokenCount: usage.cacheRead } : {}),
				promptTokensDetails: [{ modality: "TEXT", tokenCount: usage.input + usage.cacheRead }],
			},
		}),
	);
	return frames;
}

// ---------------------------------------------------------------- dispatch

function replyFrames(api: WireApi, turn: ReplyTurn, ctx: TurnContext): Frame[] {
	switch (api) {
		case "anthropic-messages":
			return anthropicFrames(turn, ctx);
		case "openai-completions":
			return completionsFrames(turn, ctx);
		case "openai-responses":
			return responsesFrames(turn, ctx);
		case "google-generative-ai":
			return googleFrames(turn, ctx);
	}
}

function partialTextFrames(api: WireApi, text: string, ctx: TurnContext): Frame[] {
	switch (api) {
		case "anthropic-messages":
			return anthropicTextDeltaFrames(text, ctx);
		case "openai-completions":
			return completionsTextDeltaFrames(text, ctx);
		case "openai-responses":
			return responsesFrames({ text }, ctx, true);
		case "google-generative-ai":
			return chunkText(text).map(
				(part) =>
					`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: part }], role: "model" }, index: 0 }] })}\r\n\r\n`,
			);
	}
}

function malformedFrames(api: WireApi): Frame[] {
	if (api === "anthropic-messages") return ['event: message_start\ndata: {"type":"message_start","message":{\n\n'];
	if (api === "openai-responses") return ['event: response.created\ndata: {"type":"response.created",\n\n'];
	return ["data: {this is not json\n\n"];
}

/** The error event each API sends in the middle of a stream when the service fails. */
function streamErrorFrame(api: WireApi, message: string): Frame {
	switch (api) {
		case "anthropic-messages":
			return namedEvent("error", { type: "error", error: { type: "overloaded_error", message } });
		case "openai-completions":
			return dataEvent({ error: { message, type: "server_error", param: null, code: null } });
		case "openai-responses":
			return namedEvent("error", { type: "error", code: "server_error", message, param: null, sequence_number: 99 });
		case "google-generative-ai":
			return `data: ${JSON.stringify({ error: { code: 503, message, status: "UNAVAILABLE" } })}\r\n\r\n`;
	}
}

/** The error body each API returns for an HTTP status, shaped like the real service's. */
function defaultErrorBody(api: WireApi, status: number): string {
	const message =
		status === 429
			? "Rate limit exceeded, please retry later"
			: status === 529
				? "Overloaded"
				: status >= 500
					? "Internal server error"
					: "Bad request";
	if (api === "anthropic-messages") {
		const type =
			status === 429
				? "rate_limit_error"
				: status === 529
					? "overloaded_error"
					: status >= 500
						? "api_error"
						: "invalid_request_error";
		return JSON.stringify({ type: "error", error: { type, message } });
	}
	if (api === "google-generative-ai") {
		const gstatus = status === 429 ? "RESOURCE_EXHAUSTED" : status >= 500 ? "UNAVAILABLE" : "INVALID_ARGUMENT";
		return JSON.stringify({ error: { code: status, message, status: gstatus } });
	}
	return JSON.stringify({
		error: { message, type: status === 429 ? "rate_limit_exceeded" : "error", param: null, code: null },
	});
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
