/**
 * The Codex WebSocket transport (pi 1.6.0's `transport` setting for openai-codex): the request body goes as one
 * `{"type":"response.create", …}` message and every Responses event comes back as one JSON message.
 *
 *  - Connections are kept per session (and ChatGPT account) and reused by the session's next requests; one idle
 *    for 5 minutes is closed. The server ends a connection after 60 minutes even mid-answer, so a request never
 *    starts on one older than 45 minutes; if the server still refuses with `websocket_connection_limit_reached`
 *    before answering, the request is retried once on a fresh connection.
 *  - "websocket-cached" and "auto" send only what is new since the previous answer on the same connection
 *    (`previous_response_id` + the new input items) when the rest of the request is unchanged;
 *    `previous_response_not_found` is retried once with the whole context.
 *  - Any other failure of the transport (connect refused or timed out, socket dropped) makes the session use SSE
 *    from then on; before the answer started the same request is sent again over SSE, after that the error stands
 *    (the agent's retry sends it again, over SSE).
 *
 * Bun's WebSocket does not read HTTP(S)_PROXY, so the proxy is resolved here (util/proxy.ts) and passed along.
 */
import { proxyForUrl } from "../../util/proxy.ts";
import { onShutdown } from "../../util/shutdown.ts";
import type { Transport } from "../types.ts";
import type { ProviderRun } from "./run-stream.ts";

const BETA_HEADER = "responses_websockets=2026-02-06";
const IDLE_CLOSE_MS = 5 * 60 * 1000;
/** The server's limit is 60 minutes; a request must leave room for a long answer. */
const MAX_CONNECTION_AGE_MS = 45 * 60 * 1000;
const CONNECTION_LIMIT_CODE = "websocket_connection_limit_reached";
const PREVIOUS_RESPONSE_NOT_FOUND_CODE = "previous_response_not_found";

/** A Codex request body: the fields the continuation logic compares, the rest passed through. */
export interface CodexBody {
	input: unknown[];
	previous_response_id?: string;
	[key: string]: unknown;
}

/** What the last answer on a connection left to continue from. */
interface Continuation {
	body: CodexBody;
	responseId: string;
	/** The answer's output as input items (what the next request's input repeats after `body.input`). */
	outputItems: unknown[];
}

interface PooledSocket {
	socket: WebSocket;
	busy: boolean;
	createdAt: number;
	idleTimer?: ReturnType<typeof setTimeout>;
	continuation?: Continuation;
}

/** A remote error reported over the socket (not a transport failure): its code decides retries. */
export class CodexSocketError extends Error {
	constructor(
		message: string,
		readonly code: string | undefined,
	) {
		super(message);
	}
}

/** The connection closed or failed (not an answer from the server). */
export class CodexTransportError extends Error {}

class SocketPool {
	/** Replaceable in tests, to age connections without waiting 45 minutes. */
	now: () => number = () => Date.now();
	private readonly sockets = new Map<string, PooledSocket>();
	private readonly sseSessions = new Set<string>();
	private unregisterShutdown: (() => void) | undefined;

	usesSse(sessionId: string | undefined): boolean {
		return sessionId !== undefined && this.sseSessions.has(sessionId);
	}

	fallBackToSse(sessionId: string | undefined): void {
		if (sessionId !== undefined) this.sseSessions.add(sessionId);
	}

	/** A free, open, young-enough pooled socket for the key, marked busy; undefined when a new one is needed. */
	take(key: string): PooledSocket | undefined {
		const entry = this.sockets.get(key);
		if (!entry || entry.busy) return undefined;
		if (entry.idleTimer) clearTimeout(entry.idleTimer);
		if (entry.socket.readyState !== WebSocket.OPEN || this.now() - entry.createdAt >= MAX_CONNECTION_AGE_MS) {
			this.drop(key, entry, "connection_age_limit");
			return undefined;
		}
		entry.busy = true;
		return entry;
	}

	add(key: string, socket: WebSocket): PooledSocket {
		// An open socket keeps the process alive: pi's exit (print mode done, /quit) closes the pooled ones.
		this.unregisterShutdown ??= onShutdown(() => this.closeAll());
		const previous = this.sockets.get(key);
		// A busy connection of a parallel request stays with that request; this one takes the slot.
		if (previous && !previous.busy) this.drop(key, previous, "replaced");
		const entry: PooledSocket = { socket, busy: true, createdAt: this.now() };
		this.sockets.set(key, entry);
		return entry;
	}

	/** After a request: keep the socket for the session's next request, or close it. */
	release(key: string, entry: PooledSocket, keep: boolean): void {
		if (!keep || entry.socket.readyState !== WebSocket.OPEN) {
			this.drop(key, entry, "done");
			return;
		}
		entry.busy = false;
		entry.idleTimer = setTimeout(() => this.drop(key, entry, "idle_timeout"), IDLE_CLOSE_MS);
		// An idle pooled socket must not keep the process alive.
		entry.idleTimer.unref?.();
	}

	private drop(key: string, entry: PooledSocket, reason: string): void {
		if (entry.idleTimer) clearTimeout(entry.idleTimer);
		if (this.sockets.get(key) === entry) this.sockets.delete(key);
		try {
			entry.socket.close(1000, reason);
		} catch {
			// already closed
		}
	}

	/** Closes every pooled connection (at pi's exit, and in tests). */
	closeAll(): void {
		this.unregisterShutdown?.();
		this.unregisterShutdown = undefined;
		for (const [key, entry] of [...this.sockets]) this.drop(key, entry, "closed");
		this.sseSessions.clear();
	}
}

export const codexSocketPool = new SocketPool();

/**
 * Bun's WebSocket constructor takes headers and a proxy in its options; the DOM typings in scope only know
 * protocols, so the runtime's own signature (bun-types' Bun.WebSocketOptions) is restated here.
 */
const BunWebSocket = WebSocket as unknown as new (url: string, options: Bun.WebSocketOptions) => WebSocket;

export function codexWebSocketUrl(httpUrl: string): string {
	const url = new URL(httpUrl);
	url.protocol = url.protocol === "http:" ? "ws:" : "wss:";
	return url.toString();
}

function connect(
	url: string,
	headers: Record<string, string>,
	timeoutMs: number,
	signal: AbortSignal,
): Promise<WebSocket> {
	const proxy = proxyForUrl(url);
	// Bun's WebSocket takes headers and a proxy in its options.
	const socket = new BunWebSocket(url, { headers, ...(proxy ? { proxy } : {}) });
	socket.binaryType = "arraybuffer";
	return new Promise((resolve, reject) => {
		let timer: ReturnType<typeof setTimeout> | undefined;
		const finish = (error?: Error) => {
			if (timer) clearTimeout(timer);
			socket.removeEventListener("open", onOpen);
			socket.removeEventListener("error", onError);
			socket.removeEventListener("close", onClose);
			signal.removeEventListener("abort", onAbort);
			if (!error) return resolve(socket);
			try {
				socket.close();
			} catch {
				// never opened
			}
			reject(error);
		};
		const onOpen = () => finish();
		const onError = (event: Event) => finish(new CodexTransportError(`WebSocket error: ${eventMessage(event)}`));
		const onClose = (event: CloseEvent) => finish(closeError(event));
		const onAbort = () => finish(new Error("Request was aborted"));
		socket.addEventListener("open", onOpen);
		socket.addEventListener("error", onError);
		socket.addEventListener("close", onClose);
		signal.addEventListener("abort", onAbort, { once: true });
		if (timeoutMs > 0) {
			timer = setTimeout(
				() => finish(new CodexTransportError(`WebSocket connect timed out after ${timeoutMs}ms`)),
				timeoutMs,
			);
		}
	});
}

function eventMessage(event: Event): string {
	const message: unknown = Reflect.get(event, "message");
	return typeof message === "string" && message ? message : "connection failed";
}

function closeError(event: CloseEvent): CodexTransportError {
	const reason = event.reason || (event.code === 1009 ? "message too big" : "");
	return new CodexTransportError(`WebSocket closed ${event.code}${reason ? ` ${reason}` : ""}`.trim());
}

/** The error a Codex error event carries: `{type:"error", code?, message?, error?:{code, message}}`. */
function socketError(event: Record<string, unknown>): CodexSocketError {
	const nested =
		typeof event.error === "object" && event.error !== null ? (event.error as Record<string, unknown>) : {};
	const pick = (key: string) => {
		const value = event[key] ?? nested[key];
		return typeof value === "string" ? value : undefined;
	};
	const code = pick("code");
	return new CodexSocketError(`Codex error: ${pick("message") ?? code ?? JSON.stringify(event)}`, code);
}

/**
 * The socket's messages as parsed events, until the final one (completed/done/incomplete). Error events end it
 * with a CodexSocketError; a close before the final event with a CodexTransportError.
 */
async function* socketEvents(socket: WebSocket, signal: AbortSignal): AsyncGenerator<unknown> {
	const queue: unknown[] = [];
	let failure: Error | undefined;
	let done = false;
	let wake: (() => void) | undefined;
	const notify = () => {
		wake?.();
		wake = undefined;
	};
	const onMessage = (event: MessageEvent) => {
		let parsed: unknown;
		try {
			parsed = JSON.parse(typeof event.data === "string" ? event.data : Buffer.from(event.data).toString("utf-8"));
		} catch (error) {
			failure = new CodexSocketError(`Invalid Codex WebSocket JSON: ${String(error)}`, undefined);
			return notify();
		}
		const record = typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
		if (record.type === "error") failure = socketError(record);
		else {
			queue.push(parsed);
			if (
				record.type === "response.completed" ||
				record.type === "response.done" ||
				record.type === "response.incomplete"
			) {
				done = true;
			}
		}
		notify();
	};
	const onClose = (event: CloseEvent) => {
		if (!done) failure ??= closeError(event);
		notify();
	};
	const onError = (event: Event) => {
		failure ??= new CodexTransportError(`WebSocket error: ${eventMessage(event)}`);
		notify();
	};
	const onAbort = () => {
		failure ??= new Error("Request was aborted");
		notify();
	};
	socket.addEventListener("message", onMessage);
	socket.addEventListener("close", onClose);
	socket.addEventListener("error", onError);
	signal.addEventListener("abort", onAbort, { once: true });
	try {
		for (;;) {
			const next = queue.shift();
			if (next !== undefined) {
				yield next;
				continue;
			}
			if (failure) throw failure;
			if (done) return;
			await new Promise<void>((resolve) => {
				wake = resolve;
			});
		}
	} finally {
		socket.removeEventListener("message", onMessage);
		socket.removeEventListener("close", onClose);
		socket.removeEventListener("error", onError);
		signal.removeEventListener("abort", onAbort);
	}
}

/** `body` continues the previous answer when only the input grew, by exactly that answer and what followed it. */
function continuationOf(body: CodexBody, continuation: Continuation | undefined): CodexBody | undefined {
	if (!continuation) return undefined;
	const { input: _input, previous_response_id: _previous, ...rest } = body;
	const { input: _lastInput, previous_response_id: _lastPrevious, ...lastRest } = continuation.body;
	if (JSON.stringify(rest) !== JSON.stringify(lastRest)) return undefined;
	const baseline = [...continuation.body.input, ...continuation.outputItems];
	if (body.input.length < baseline.length) return undefined;
	if (JSON.stringify(body.input.slice(0, baseline.length)) !== JSON.stringify(baseline)) return undefined;
	return { ...body, previous_response_id: continuation.responseId, input: body.input.slice(baseline.length) };
}

export interface WebSocketRequest {
	url: string;
	headers: Record<string, string>;
	body: CodexBody;
	sessionId: string | undefined;
	accountId: string;
	transport: Exclude<Transport, "sse">;
	connectTimeoutMs: number;
	run: ProviderRun;
	/** Streams the answer's events into the message; returns when the final event was handled. */
	consume: (events: AsyncIterable<unknown>) => Promise<void>;
	/** The answer as input items, for the next request's continuation. */
	outputItems: () => unknown[];
	responseId: () => string | undefined;
}

/**
 * One request over a (pooled) WebSocket, with pi's retries: a fresh connection when the server's connection
 * limit refuses the request before answering, the whole context when the previous response is gone. A failure
 * is rethrown marked with whether any of the answer had arrived (see canFallBackToSse).
 */
export async function sendOverWebSocket(request: WebSocketRequest): Promise<void> {
	const { run, sessionId } = request;
	const key = `${sessionId ?? ""}\u0000${request.accountId}`;
	const cached = request.transport !== "websocket";
	let retriedLimit = false;
	let retriedContinuation = false;
	let started = false;
	for (;;) {
		const pooled = sessionId === undefined ? undefined : codexSocketPool.take(key);
		let entry = pooled;
		let socket: WebSocket;
		if (entry) socket = entry.socket;
		else {
			socket = await connect(request.url, request.headers, request.connectTimeoutMs, run.signal);
			if (sessionId !== undefined) entry = codexSocketPool.add(key, socket);
		}
		const body = (cached && !retriedContinuation && continuationOf(request.body, entry?.continuation)) || request.body;
		let keep = true;
		try {
			socket.send(JSON.stringify({ type: "response.create", ...body }));
			const events = socketEvents(socket, run.signal);
			await request.consume(
				(async function* () {
					for await (const event of events) {
						started = true;
						yield event;
					}
				})(),
			);
			const responseId = request.responseId();
			if (entry) {
				entry.continuation =
					cached && responseId ? { body: request.body, responseId, outputItems: request.outputItems() } : undefined;
			}
			return;
		} catch (error) {
			keep = false;
			if (entry) entry.continuation = undefined;
			if (!run.signal.aborted && !started && error instanceof CodexSocketError) {
				if (error.code === CONNECTION_LIMIT_CODE && !retriedLimit) {
					retriedLimit = true;
					continue;
				}
				if (error.code === PREVIOUS_RESPONSE_NOT_FOUND_CODE && !retriedContinuation) {
					retriedContinuation = true;
					continue;
				}
			}
			throw Object.assign(error instanceof Error ? error : new Error(String(error)), { websocketStarted: started });
		} finally {
			if (entry) codexSocketPool.release(key, entry, keep && !run.signal.aborted);
			else if (!keep || run.signal.aborted || sessionId === undefined) socket.close();
		}
	}
}

/** Whether any of the answer had arrived when the WebSocket request failed. */
export function answerStarted(error: unknown): boolean {
	return error instanceof Error && Reflect.get(error, "websocketStarted") === true;
}

/** An error of the server's (not of the connection), other than a connection limit that persisted. */
export function isServerAnswer(error: unknown): boolean {
	return error instanceof CodexSocketError && error.code !== CONNECTION_LIMIT_CODE;
}

export const CODEX_WEBSOCKET_BETA = BETA_HEADER;
