/**
 * openai-codex-responses: the Responses API behind a ChatGPT Plus/Pro subscription (POST <baseUrl>/codex/responses),
 * as pi 1.6.0 sends it: the OAuth access token as bearer, the ChatGPT account id from the token's claims,
 * `originator: pi` and pi's User-Agent, `session-id` / `x-client-request-id` and the prompt-cache key from the
 * session; the system prompt as a leading developer item, tools (strict ones converted, `strict: null` for the
 * others; `additional_tools` items on models that take them), `store: false`, encrypted reasoning carried between
 * turns, `max_output_tokens`, and on models with mid-conversation effort the thinking level as configuration_update
 * items. The body goes zstd-compressed (`content-encoding: zstd`), as the official Codex client sends it. Like pi
 * 1.6.0 it prefers the WebSocket transport (codex-websocket.ts; the `transport` setting, same body uncompressed) and
 * falls back to SSE. Retries are the agent's unless `retry.provider.maxRetries` asks for some here.
 *
 * PI_OPENAI_CODEX_BASE_URL replaces the model's base URL (tests point it at a local server).
 */
import { constants as zlibConstants, zstdCompressSync } from "node:zlib";
import type { Tool as OpenAITool, ResponseInputItem, ResponseStreamEvent } from "openai/resources/responses/responses";
import * as v from "valibot";
import { clientUserAgent } from "../../util/client-identity.ts";
import { sleep } from "../../util/sleep.ts";
import { clampThinkingLevel } from "../model-resolver.ts";
import type { Context, Model, StreamOptions } from "../types.ts";
import {
	answerStarted,
	CODEX_WEBSOCKET_BETA,
	codexSocketPool,
	codexWebSocketUrl,
	isServerAnswer,
	sendOverWebSocket,
} from "./codex-websocket.ts";
import { CONFIGURATION_UPDATE_REQUEST_EFFORT, MIN_OUTPUT_TOKENS, promptCacheKey } from "./openai-responses.ts";
import { consumeResponsesStream } from "./openai-responses-shared.ts";
import { resolveMaxTokens } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { convertResponsesInput, responsesRequestParts } from "./responses-input.ts";
import { type ProviderBody, ProviderProtocolError, type ProviderRun } from "./run-stream.ts";
import { parseSseJson } from "./sse.ts";
import { observeProviderEvents } from "./stream-observer.ts";

const DEFAULT_BASE_URL = "https://chatgpt.com/backend-api";
const JWT_AUTH_CLAIM = "https://api.openai.com/auth";
const CODEX_TOOL_CALL_PROVIDERS: ReadonlySet<string> = new Set(["openai", "openai-codex", "opencode"]);
/** pi 1.6.0 leaves retries to the agent unless retry.provider.maxRetries is set. */
const DEFAULT_MAX_RETRIES = 0;
const DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS = 15_000;
const BASE_RETRY_DELAY_MS = 1000;
const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;
/** The compression level of the official Codex client's request bodies. */
const ZSTD_LEVEL = 3;

/** The request body, in pi's key order (the server sees the same bytes). */
export interface CodexRequestBody {
	model: string;
	store: false;
	stream: true;
	input: ResponseInputItem[];
	text: { verbosity: "low" | "medium" | "high" };
	include: ["reasoning.encrypted_content"];
	prompt_cache_key: string | undefined;
	tool_choice: "auto";
	parallel_tool_calls: true;
	max_output_tokens?: number;
	temperature?: number;
	tools?: OpenAITool[];
	reasoning?: { effort: string; summary: "auto" };
}

/** A remote failure the server reported inside the stream or as an error status; not a transport problem. */
export class CodexApiError extends Error {}

// ---- request ----------------------------------------------------------------------------------------------

/**
 * The effort the request asks for: the clamped thinking level through the model's map, or — thinking off on a
 * reasoning model — the map's "off" value ("none" by default; null: no reasoning field at all).
 */
function requestedEffort(model: Model, options: StreamOptions | undefined): string | undefined {
	const level = options?.reasoning ? clampThinkingLevel(model, options.reasoning) : "off";
	if (level !== "off") return model.thinkingLevelMap?.[level] ?? level;
	if (!model.reasoning) return undefined;
	const off = model.thinkingLevelMap?.off;
	return off === null ? undefined : (off ?? "none");
}

/** The effort sent in configuration_update items, on models that take them (pi 1.6.0: the level, "off" included). */
export function codexConfigurationUpdateEffort(model: Model, options: StreamOptions | undefined): string | undefined {
	return model.compat?.supportsMidConvoEffort === true ? requestedEffort(model, options) : undefined;
}

/** The session id used for the prompt cache, the session headers and the socket pool; none without caching. */
export function codexSessionId(options: StreamOptions | undefined): string | undefined {
	return options?.cacheRetention === "none" ? undefined : options?.sessionId;
}

export function buildCodexRequestBody(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): { body: CodexRequestBody; grammarInputs: ReadonlyMap<string, string> } {
	const updateEffort = codexConfigurationUpdateEffort(model, options);
	// Every tool that does not ask for strict sampling goes with `strict: null`, as the Codex client sends it.
	const parts = responsesRequestParts(model, context, {
		toolCallProviders: CODEX_TOOL_CALL_PROVIDERS,
		strictModeDefault: true,
		strict: null,
		...(updateEffort !== undefined ? { configurationUpdateEffort: updateEffort } : {}),
	});
	const body: CodexRequestBody = {
		model: model.id,
		store: false,
		stream: true,
		input: parts.input,
		text: { verbosity: "low" },
		include: ["reasoning.encrypted_content"],
		prompt_cache_key: promptCacheKey(codexSessionId(options)),
		tool_choice: "auto",
		parallel_tool_calls: true,
	};
	const maxTokens = resolveMaxTokens(model, context, options);
	if (maxTokens && model.compat?.supportsMaxOutputTokens !== false) {
		body.max_output_tokens = Math.max(maxTokens, MIN_OUTPUT_TOKENS);
	}
	if (options?.temperature !== undefined) body.temperature = options.temperature;
	if (parts.tools) body.tools = parts.tools;
	const effort = requestedEffort(model, options);
	if (effort !== undefined) {
		body.reasoning = {
			effort: updateEffort === undefined ? effort : CONFIGURATION_UPDATE_REQUEST_EFFORT,
			summary: "auto",
		};
	}
	return { body, grammarInputs: parts.grammarInputs };
}

/** The body zstd-compressed, or undefined where the runtime cannot (then it goes as JSON). */
export function compressCodexBody(json: string): Uint8Array<ArrayBuffer> | undefined {
	try {
		const compressed = zstdCompressSync(json, { params: { [zlibConstants.ZSTD_c_compressionLevel]: ZSTD_LEVEL } });
		// A copy that owns a plain ArrayBuffer, which fetch takes as a body.
		const bytes = new Uint8Array(compressed.byteLength);
		bytes.set(compressed);
		return bytes;
	} catch {
		return undefined;
	}
}

export function resolveCodexUrl(baseUrl: string): string {
	const base = (process.env.PI_OPENAI_CODEX_BASE_URL?.trim() || baseUrl.trim() || DEFAULT_BASE_URL).replace(/\/+$/, "");
	if (base.endsWith("/codex/responses")) return base;
	if (base.endsWith("/codex")) return `${base}/responses`;
	return `${base}/codex/responses`;
}

const TokenClaimsSchema = v.looseObject({
	[JWT_AUTH_CLAIM]: v.looseObject({ chatgpt_account_id: v.pipe(v.string(), v.minLength(1)) }),
});

/** The ChatGPT account the access token (a JWT) was issued for. */
export function codexAccountId(token: string): string {
	const parts = token.split(".");
	const payload = parts.length === 3 ? parts[1] : undefined;
	try {
		if (payload === undefined) throw new Error("not a JWT");
		const claims = v.parse(TokenClaimsSchema, JSON.parse(Buffer.from(payload, "base64url").toString("utf-8")));
		return claims[JWT_AUTH_CLAIM].chatgpt_account_id;
	} catch {
		throw new Error("Failed to extract accountId from token");
	}
}

export function codexHeaders(
	model: Model,
	options: StreamOptions | undefined,
	token: string,
	accountId: string,
): Headers {
	// A Headers object, as pi builds it: pi's identity first, then the model's and the call's headers (later sets
	// replace earlier values whatever their case), then what Codex needs.
	const headers = new Headers({ originator: "pi", "User-Agent": clientUserAgent() });
	for (const [name, value] of Object.entries(model.headers ?? {})) headers.set(name, value);
	for (const [name, value] of Object.entries(options?.headers ?? {})) {
		if (value === null) headers.delete(name);
		else headers.set(name, value);
	}
	headers.set("Authorization", `Bearer ${token}`);
	headers.set("chatgpt-account-id", accountId);
	headers.set("OpenAI-Beta", "responses=experimental");
	headers.set("accept", "text/event-stream");
	headers.set("content-type", "application/json");
	const sessionId = promptCacheKey(codexSessionId(options));
	if (sessionId) {
		headers.set("session-id", sessionId);
		headers.set("x-client-request-id", sessionId);
	}
	return headers;
}

// ---- errors and retries -----------------------------------------------------------------------------------

const ErrorBodySchema = v.looseObject({
	error: v.looseObject({
		code: v.optional(v.nullable(v.string())),
		type: v.optional(v.nullable(v.string())),
		message: v.optional(v.nullable(v.string())),
		plan_type: v.optional(v.nullable(v.string())),
		resets_at: v.optional(v.nullable(v.number())),
	}),
});

/** pi's wording: the server's message, or a friendly one when the subscription's usage limit was hit. */
export function codexErrorMessage(status: number, statusText: string, raw: string): string {
	const message = raw || statusText || "Request failed";
	let json: unknown;
	try {
		json = JSON.parse(raw);
	} catch {
		return message;
	}
	const parsed = v.safeParse(ErrorBodySchema, json);
	if (!parsed.success) return message;
	const error = parsed.output.error;
	const code = error.code || error.type || "";
	if (/usage_limit_reached|usage_not_included|rate_limit_exceeded/i.test(code) || status === 429) {
		const plan = error.plan_type ? ` (${error.plan_type.toLowerCase()} plan)` : "";
		const minutes =
			typeof error.resets_at === "number"
				? Math.max(0, Math.round((error.resets_at * 1000 - Date.now()) / 60000))
				: undefined;
		const when = minutes !== undefined ? ` Try again in ~${minutes} min.` : "";
		return `You have hit your ChatGPT usage limit${plan}.${when}`;
	}
	return error.message || message;
}

/** Limits waiting cannot lift: a plan's quota, an exhausted balance. */
function isTerminalRateLimit(text: string): boolean {
	return /GoUsageLimitError|FreeUsageLimitError|Monthly usage limit reached|available balance|insufficient_quota|out of budget|quota exceeded|billing/i.test(
		text,
	);
}

function isRetryable(status: number, text: string): boolean {
	if (status === 429 && isTerminalRateLimit(text)) return false;
	if ([429, 500, 502, 503, 504].includes(status)) return true;
	return /rate.?limit|overloaded|service.?unavailable|upstream.?connect|connection.?refused/i.test(text);
}

/** The wait a `retry-after-ms` or `retry-after` (seconds or an HTTP date) header asks for. */
function retryAfterMs(headers: Headers): number | undefined {
	const ms = Number(headers.get("retry-after-ms") ?? Number.NaN);
	if (Number.isFinite(ms)) return Math.max(0, ms);
	const value = headers.get("retry-after");
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** A server asked for a longer wait than retry.provider.maxRetryDelayMs allows. */
class RetryDelayRefused extends Error {}

/**
 * POST with pi 1.6.0's retry policy, when retries are asked for: rate limits, 5xx and network failures (and, as pi
 * does, any other failure) are retried after 1 s, 2 s, 4 s… or the wait the server names (refused when over
 * `maxRetryDelayMs`); never a usage limit or an exhausted quota, which waiting cannot fix.
 */
async function postWithRetries(
	url: string,
	init: RequestInit,
	fetchFn: typeof fetch,
	signal: AbortSignal,
	options: StreamOptions | undefined,
): Promise<Response> {
	const maxRetries = options?.maxRetries ?? DEFAULT_MAX_RETRIES;
	const maxDelay = options?.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
	for (let attempt = 0; ; attempt++) {
		if (signal.aborted) throw new Error("Request was aborted");
		let failure: Error;
		try {
			const response = await fetchFn(url, { ...init, signal });
			if (response.ok) return response;
			const text = await response.text();
			failure = new CodexApiError(codexErrorMessage(response.status, response.statusText, text));
			if (attempt < maxRetries && isRetryable(response.status, text)) {
				const asked = retryAfterMs(response.headers);
				if (asked !== undefined && maxDelay > 0 && asked > maxDelay) {
					throw new RetryDelayRefused(
						`Server requested ${Math.ceil(asked / 1000)}s retry delay (max: ${Math.ceil(maxDelay / 1000)}s)`,
					);
				}
				await sleep(asked ?? BASE_RETRY_DELAY_MS * 2 ** attempt, signal, "Request was aborted");
				continue;
			}
		} catch (error) {
			if (signal.aborted) throw new Error("Request was aborted");
			if (error instanceof RetryDelayRefused) throw error;
			failure = error instanceof Error ? error : new Error(String(error));
		}
		if (attempt < maxRetries && !failure.message.includes("usage limit")) {
			await sleep(BASE_RETRY_DELAY_MS * 2 ** attempt, signal, "Request was aborted");
			continue;
		}
		throw failure;
	}
}

// ---- response stream --------------------------------------------------------------------------------------

const Text = v.looseObject({ text: v.string() });
const OutputItemSchema = v.union([
	v.looseObject({ type: v.literal("reasoning"), summary: v.array(Text), content: v.optional(v.array(Text)) }),
	v.looseObject({
		type: v.literal("message"),
		id: v.string(),
		content: v.array(
			v.union([
				v.looseObject({ type: v.literal("output_text"), text: v.string() }),
				v.looseObject({ type: v.literal("refusal"), refusal: v.string() }),
			]),
		),
	}),
	v.looseObject({
		type: v.literal("function_call"),
		call_id: v.string(),
		name: v.string(),
		arguments: v.string(),
		id: v.optional(v.string()),
	}),
	v.looseObject({
		type: v.picklist(["web_search_call", "file_search_call", "computer_call", "image_generation_call"]),
	}),
]);
const UsageSchema = v.looseObject({
	input_tokens: v.number(),
	output_tokens: v.number(),
	total_tokens: v.number(),
	input_tokens_details: v.optional(v.nullable(v.looseObject({ cached_tokens: v.optional(v.number()) }))),
});
const Delta = v.looseObject({ delta: v.string() });
/** The fields consumeResponsesStream reads, per event type; other event types pass untouched (it ignores them). */
const KnownEventSchemas: Record<string, v.GenericSchema> = {
	"response.created": v.looseObject({ response: v.looseObject({ id: v.string() }) }),
	"response.output_item.added": v.looseObject({ item: OutputItemSchema }),
	"response.output_item.done": v.looseObject({ item: OutputItemSchema }),
	"response.reasoning_summary_text.delta": Delta,
	"response.reasoning_text.delta": Delta,
	"response.output_text.delta": Delta,
	"response.refusal.delta": Delta,
	"response.function_call_arguments.delta": Delta,
	"response.function_call_arguments.done": v.looseObject({ arguments: v.string() }),
	"response.completed": v.looseObject({
		response: v.looseObject({
			status: v.optional(v.nullable(v.string())),
			usage: v.optional(v.nullable(UsageSchema)),
		}),
	}),
};
const EventSchema = v.looseObject({ type: v.string() });

function isResponseStreamEvent(value: unknown): value is ResponseStreamEvent {
	if (!v.is(EventSchema, value)) return false;
	const schema = KnownEventSchemas[value.type];
	return schema === undefined || v.is(schema, value);
}

const CodexErrorEventSchema = v.looseObject({
	code: v.optional(v.nullable(v.string())),
	message: v.optional(v.nullable(v.string())),
});
const CodexFailedEventSchema = v.looseObject({
	response: v.optional(
		v.nullable(
			v.looseObject({
				error: v.optional(
					v.nullable(
						v.looseObject({
							code: v.optional(v.nullable(v.string())),
							message: v.optional(v.nullable(v.string())),
						}),
					),
				),
			}),
		),
	),
});
const KNOWN_STATUSES = new Set(["completed", "incomplete", "failed", "cancelled", "queued", "in_progress"]);

/**
 * Codex's dialect → the standard Responses events: `error` and `response.failed` end the run with the server's
 * message, and `response.done` / `response.incomplete` are the final `response.completed` (status kept).
 */
export async function* codexToResponsesEvents(
	events: AsyncIterable<unknown>,
	builder?: ProviderRun["builder"],
): AsyncGenerator<ResponseStreamEvent> {
	for await (const raw of events) {
		if (!v.is(EventSchema, raw)) continue;
		if (raw.type === "error") {
			const event = v.parse(CodexErrorEventSchema, raw);
			throw new CodexApiError(`Codex error: ${event.message || event.code || JSON.stringify(raw)}`);
		}
		if (raw.type === "response.failed") {
			const event = v.safeParse(CodexFailedEventSchema, raw);
			throw new CodexApiError((event.success && event.output.response?.error?.message) || "Codex response failed");
		}
		let event: unknown = raw;
		const final =
			raw.type === "response.done" || raw.type === "response.completed" || raw.type === "response.incomplete";
		if (final) {
			const response = v.is(v.looseObject({ response: v.looseObject({}) }), raw) ? raw.response : undefined;
			const status = response?.status;
			// Whether the model ended its turn, kept on the message as pi 1.6.0 does (informational).
			if (builder && typeof response?.end_turn === "boolean") builder.output.endTurn = response.end_turn;
			const normalized = response
				? { ...response, status: typeof status === "string" && KNOWN_STATUSES.has(status) ? status : undefined }
				: { status: undefined };
			event = { ...raw, type: "response.completed", response: normalized };
		}
		if (!isResponseStreamEvent(event)) {
			throw new ProviderProtocolError(`unexpected Codex event: ${JSON.stringify(raw).slice(0, 300)}`);
		}
		yield event;
		if (final) return;
	}
}

// ---- the provider -----------------------------------------------------------------------------------------

export function openaiCodexResponsesBody(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
): ProviderBody {
	return async (run) => {
		const { builder, signal, touch, fetch: fetchFn } = run;
		const token = options?.apiKey ?? "";
		if (!token) throw new Error(`No API key for provider: ${model.provider}`);
		const accountId = codexAccountId(token);
		const built = buildCodexRequestBody(model, context, options);
		const { grammarInputs } = built;
		const body: object = await applyPayloadHook(built.body, model, options);
		const url = resolveCodexUrl(model.baseUrl);
		const headers = codexHeaders(model, options, token, accountId);
		const transport = options?.transport ?? "auto";
		const sessionId = codexSessionId(options);
		const updateEffort = codexConfigurationUpdateEffort(model, options);
		const consume = async (events: AsyncIterable<unknown>) => {
			if (updateEffort !== undefined) builder.output.providerThinkingLevel = updateEffort;
			const responsesEvents = codexToResponsesEvents(observeProviderEvents(events, model, options), builder);
			const stop = await consumeResponsesStream(responsesEvents, builder, touch, grammarInputs);
			builder.finish(stop);
		};
		const input: unknown = Reflect.get(body, "input");
		if (transport !== "sse" && Array.isArray(input) && !codexSocketPool.usesSse(sessionId)) {
			try {
				await sendOverWebSocket({
					url: codexWebSocketUrl(url),
					headers: webSocketHeaders(headers, promptCacheKey(sessionId)),
					body: { ...body, input },
					sessionId,
					accountId,
					transport,
					connectTimeoutMs: options?.websocketConnectTimeoutMs ?? DEFAULT_WEBSOCKET_CONNECT_TIMEOUT_MS,
					run,
					consume: (events) => consume(startOnFirst(events, builder)),
					outputItems: () =>
						convertResponsesInput(model, [builder.output], {
							toolCallProviders: CODEX_TOOL_CALL_PROVIDERS,
							grammarInputs,
						}).filter((item) => item.type !== "function_call_output" && item.type !== "custom_tool_call_output"),
					responseId: () => builder.output.responseId,
				});
				return;
			} catch (error) {
				// The server answered (an error of its own, a malformed event): that is the answer, over any transport.
				if (signal.aborted || isServerAnswer(error) || error instanceof CodexApiError) throw error;
				if (error instanceof ProviderProtocolError) throw error;
				// The connection failed: this session uses SSE from now on; the request too, unless it had started.
				codexSocketPool.fallBackToSse(sessionId);
				if (answerStarted(error)) throw error;
			}
		}
		// Compressed once, for SSE only: the WebSocket carries the plain JSON frame, as the Codex client does.
		const json = JSON.stringify(body);
		const compressed = compressCodexBody(json);
		if (compressed) headers.set("content-encoding", "zstd");
		const response = await postWithRetries(
			url,
			{ method: "POST", headers, body: compressed ?? json },
			fetchFn,
			signal,
			options,
		);
		if (!response.body) throw new Error("No response body");
		builder.start();
		await consume(parseSseJson(response.body));
	};
}

/** The message starts with the answer's first event, so a request retried before it leaves no trace. */
async function* startOnFirst(events: AsyncIterable<unknown>, builder: ProviderRun["builder"]): AsyncGenerator<unknown> {
	for await (const event of events) {
		builder.start();
		yield event;
	}
}

/** pi 1.6.0's WebSocket headers: the SSE ones without content negotiation, the WebSocket beta and a request id. */
function webSocketHeaders(sse: Headers, sessionId: string | undefined): Record<string, string> {
	const headers = new Headers(sse);
	for (const name of ["accept", "content-type", "openai-beta", "session-id", "content-encoding"]) headers.delete(name);
	const requestId = sessionId ?? Bun.randomUUIDv7();
	headers.set("OpenAI-Beta", CODEX_WEBSOCKET_BETA);
	headers.set("x-client-request-id", requestId);
	headers.set("session-id", requestId);
	return Object.fromEntries(headers.entries());
}
