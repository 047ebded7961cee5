/**
 * The robust shell around every provider: returns the stream at once, runs the provider body in the background,
 * enforces the idle timeout and abort, and turns every failure into one `error` event whose message the agent's
 * retry policy can classify (status code, provider text, "timed out", "connection error", "retry delay" …).
 */
import { PushAssistantStream } from "../event-stream.ts";
import type { AssistantMessageStream, Model, StreamOptions } from "../types.ts";
import { MessageBuilder } from "./message-builder.ts";

const DEFAULT_IDLE_TIMEOUT_MS = 300_000;
const DEFAULT_FIRST_BYTE_TIMEOUT_MS = 600_000;
const DEFAULT_MAX_RETRY_DELAY_MS = 60_000;

export interface ProviderRun {
	readonly builder: MessageBuilder;
	/** Fires on user abort, a time limit or a retry delay over the cap; pass it to the SDK. */
	readonly signal: AbortSignal;
	/** Note that answer data arrived: the answer is streaming, the between-chunks limit applies from now on. */
	touch(): void;
	/** A fetch that watches the response (retry-after, every received chunk), for SDKs that accept a custom fetch. */
	readonly fetch: typeof globalThis.fetch;
}

export type ProviderBody = (run: ProviderRun) => Promise<void>;

/** Thrown by providers for protocol problems that are the server's fault (and so worth retrying). */
export class ProviderProtocolError extends Error {}

/** Statuses the SDKs retry by themselves, honouring retry-after. */
function isSdkRetriedStatus(status: number): boolean {
	return status === 408 || status === 409 || status === 429 || status >= 500;
}

const seconds = (ms: number) => `${Math.ceil(ms / 1000)} s`;

/**
 * Two time limits, and which one fired is said in the error: from sending the request to the answer's first byte
 * (a local or reasoning model may think for minutes over a long prompt; settings retry.provider.timeoutMs, default
 * 10 minutes), then between chunks once it streams (settings httpIdleTimeoutMs, default 5 minutes as in pi 1.6.0).
 */
export function runProviderStream(
	model: Model,
	options: StreamOptions | undefined,
	body: ProviderBody,
): AssistantMessageStream {
	const stream = new PushAssistantStream();
	const builder = new MessageBuilder(model, stream);
	const controller = new AbortController();
	const userSignal = options?.signal;
	const idleTimeoutMs = options?.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
	const firstByteTimeoutMs = options?.firstByteTimeoutMs ?? DEFAULT_FIRST_BYTE_TIMEOUT_MS;
	const maxRetryDelayMs = options?.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS;
	let timedOut: string | undefined;
	/** Set when the server asked to wait longer than maxRetryDelayMs: the SDK would sleep through it silently. */
	let retryRefused: string | undefined;
	/** Some SDKs (Gemini) drop response headers from their errors; retry-after is read from here instead. */
	let lastResponseHeaders: Headers | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	/** While the between-chunks limit runs: when data last arrived (touch() only notes it; the timer looks). */
	let idleSince: number | undefined;

	const arm = (ms: number, message: string) => {
		if (timer) clearTimeout(timer);
		timer = undefined;
		idleSince = undefined;
		if (ms <= 0 || controller.signal.aborted) return;
		timer = setTimeout(() => {
			timedOut = message;
			controller.abort(new Error(message));
		}, ms);
	};
	const waitForFirstByte = (ms: number) =>
		arm(
			ms,
			`Request timed out: no answer from ${model.provider} within ${seconds(ms)} of sending the request (first-byte limit, retry.provider.timeoutMs)`,
		);
	// Called for every chunk: the timer is not re-armed each time; when it fires early it waits out the rest.
	const idleExpired = () => {
		timer = undefined;
		const quiet = performance.now() - (idleSince ?? 0);
		if (quiet < idleTimeoutMs) {
			timer = setTimeout(idleExpired, idleTimeoutMs - quiet);
			return;
		}
		timedOut = `Request timed out: the answer from ${model.provider} stalled for ${seconds(idleTimeoutMs)} between chunks (httpIdleTimeoutMs)`;
		controller.abort(new Error(timedOut));
	};
	const touch = () => {
		if (idleSince !== undefined && !controller.signal.aborted) {
			idleSince = performance.now();
			return;
		}
		if (timer) clearTimeout(timer);
		timer = undefined;
		if (idleTimeoutMs <= 0 || controller.signal.aborted) return;
		idleSince = performance.now();
		timer = setTimeout(idleExpired, idleTimeoutMs);
	};
	const onUserAbort = () => controller.abort(userSignal?.reason);
	if (userSignal?.aborted) controller.abort(userSignal.reason);
	else userSignal?.addEventListener("abort", onUserAbort, { once: true });

	let requestSent = false;
	const onResponse = options?.onResponse;
	const watchedFetch: typeof globalThis.fetch = Object.assign(
		async (input: string | URL | Request, init?: RequestInit) => {
			requestSent = true;
			const response = await fetch(input, init);
			lastResponseHeaders = response.headers;
			// Every HTTP response, retried ones included, before its body is read (extensions' after_provider_response).
			if (onResponse) await onResponse({ status: response.status, headers: headersToRecord(response.headers) }, model);
			const delay = isSdkRetriedStatus(response.status) ? retryAfterMs(response.headers) : undefined;
			if (delay !== undefined && maxRetryDelayMs > 0 && delay > maxRetryDelayMs) {
				const text = summarizeHtmlPage((await response.text().catch(() => "")).trim());
				retryRefused = `${response.status}${text ? ` ${text}` : ""} — server asked to retry after ${seconds(delay)}, longer than the ${seconds(maxRetryDelayMs)} allowed (retry.provider.maxRetryDelayMs); retry delay refused`;
				controller.abort(new Error(retryRefused));
				throw new Error(retryRefused);
			}
			// The SDK waits out an accepted retry-after before asking again: that wait is not the server's silence.
			if (delay !== undefined) waitForFirstByte(delay + firstByteTimeoutMs);
			if (!response.body || !response.ok) return response;
			const counted = response.body.pipeThrough(
				new TransformStream<Uint8Array, Uint8Array>({
					transform(chunk, sink) {
						touch();
						sink.enqueue(chunk);
					},
				}),
			);
			return new Response(counted, {
				status: response.status,
				statusText: response.statusText,
				headers: response.headers,
			});
		},
		{ preconnect: fetch.preconnect },
	);

	const run: ProviderRun = { builder, signal: controller.signal, touch, fetch: watchedFetch };

	void (async () => {
		waitForFirstByte(firstByteTimeoutMs);
		try {
			if (controller.signal.aborted) throw new Error("Request was aborted");
			await body(run);
			if (!stream.isFinished) {
				if (controller.signal.aborted) throw new Error("Request was aborted");
				throw new ProviderProtocolError("Provider stream ended without a final message");
			}
		} catch (error) {
			if (userSignal?.aborted) builder.fail("aborted", abortedMessage(model.api, requestSent));
			else if (retryRefused) builder.fail("error", retryRefused);
			else if (timedOut) builder.fail("error", timedOut);
			else builder.fail("error", describeProviderError(error, maxRetryDelayMs, lastResponseHeaders));
		} finally {
			if (timer) clearTimeout(timer);
			userSignal?.removeEventListener("abort", onUserAbort);
		}
	})();
	return stream;
}

function hasStatus(error: unknown): error is { status: number; message?: unknown; headers?: unknown } {
	return typeof error === "object" && error !== null && "status" in error && typeof error.status === "number";
}

/**
 * pi's errorMessage for a run the user aborted is whatever its SDK threw. The Anthropic and Gemini SDKs let
 * the fetch's own AbortError through (Node words it "This operation was aborted"); the OpenAI SDK and an abort
 * before the request started give "Request was aborted".
 */
const FETCH_ABORT_WORDING_APIS = new Set(["anthropic-messages", "google-generative-ai", "google-vertex"]);

function abortedMessage(api: string, requestSent: boolean): string {
	return FETCH_ABORT_WORDING_APIS.has(api) && requestSent ? "This operation was aborted" : "Request was aborted";
}

/** Seconds or an HTTP date in `retry-after`, or milliseconds in `retry-after-ms`. */
export function retryAfterMs(headers: Headers): number | undefined {
	const ms = headers.get("retry-after-ms");
	if (ms && Number.isFinite(Number(ms))) return Number(ms);
	const value = headers.get("retry-after");
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return seconds * 1000;
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

const NETWORK_HINT = /ECONN|socket|connection|fetch failed|network|terminated|premature|EPIPE|ETIMEDOUT|closed/i;

/**
 * A proxy or gateway that answers with an HTML error page would otherwise put the whole page into the error
 * message: keep its <title> (or first heading), marked as an HTML page, on one line.
 */
function summarizeHtmlPage(text: string): string {
	if (!/<(!doctype\s+html|html|head|body)\b/i.test(text)) return text;
	const start = text.search(/<(!doctype|html|head|body)\b/i);
	const prefix = text.slice(0, start).trim();
	const heading = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(text)?.[1];
	const title = heading
		?.replace(/<[^>]+>/g, "")
		.replace(/\s+/g, " ")
		.trim();
	const summary = `${title || "error page"} (HTML error page)`;
	return prefix ? `${prefix} ${summary}` : summary;
}

/** One line for errorMessage: status code and provider text first, so both humans and the retry regex see them. */
export function describeProviderError(
	error: unknown,
	maxRetryDelayMs = DEFAULT_MAX_RETRY_DELAY_MS,
	responseHeaders?: Headers,
): string {
	const raw = error instanceof Error ? error.message : typeof error === "string" ? error : JSON.stringify(error);
	const text = summarizeHtmlPage(raw);
	if (hasStatus(error)) {
		let message =
			text.startsWith(String(error.status)) || text.includes(`status: ${error.status}`)
				? text
				: `${error.status} ${text}`;
		if (error.status === 529 && !/overloaded/i.test(message)) message += " (overloaded)";
		const headers = error.headers instanceof Headers ? error.headers : responseHeaders;
		if (headers) {
			const delay = retryAfterMs(headers);
			if (delay !== undefined && maxRetryDelayMs > 0 && delay > maxRetryDelayMs) {
				message += ` — server asked to retry after ${seconds(delay)}, longer than the ${seconds(maxRetryDelayMs)} allowed (retry.provider.maxRetryDelayMs); retry delay refused`;
			}
		}
		return message;
	}
	// SDK API errors without a status are error events inside the stream (Anthropic `event: error`, OpenAI
	// `{"error":…}`): their text is the provider's own and stays as it is, as in pi (its retry rule reads it).
	const inStreamApiError = typeof error === "object" && error !== null && "status" in error && "error" in error;
	if (inStreamApiError) return text;
	if (error instanceof ProviderProtocolError) return `Provider returned error: ${text}`;
	if (error instanceof SyntaxError || /JSON/.test(text)) {
		return `Provider returned error: malformed stream data (${text})`;
	}
	if (NETWORK_HINT.test(text) || NETWORK_HINT.test(error instanceof Error ? String(error.cause ?? "") : "")) {
		return /connection.?error/i.test(text) ? text : `Connection error: ${text}`;
	}
	return text;
}

/** Response headers as a plain object (names lower-cased by the Headers class). */
function headersToRecord(headers: Headers): Record<string, string> {
	const record: Record<string, string> = {};
	headers.forEach((value, name) => {
		record[name] = value;
	});
	return record;
}
