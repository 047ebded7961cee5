/**
 * Writing JSON lines to stdout without losing any when the process exits right after: Bun's stdout writer
 * is flushed before we return an exit code.
 *
 * The reader may go away at any time (`pi -p … | head -c 10`) or stdout may be a full disk. Neither is a bug
 * of ours, so a failed write never throws: stdout is marked closed, later writes are dropped, and listeners
 * (print mode stops the agent) are told once.
 */
import { errorMessage } from "../util/errors.ts";

const encoder = new TextEncoder();
const stdout = Bun.stdout.writer();

let closedError: unknown;
/** The last write that did not complete synchronously; flushStdout waits for it. */
let pendingWrite: Promise<unknown> | undefined;
let closed = false;
const closedListeners = new Set<(error: unknown) => void>();

/** EPIPE/ECONNRESET mean the reader closed its end: a normal way for a pipe consumer to say "enough". */
function isBrokenPipe(error: unknown): boolean {
	if (typeof error !== "object" || error === null || !("code" in error)) return false;
	return error.code === "EPIPE" || error.code === "ECONNRESET" || error.code === "ERR_STREAM_DESTROYED";
}

function markStdoutClosed(error: unknown): void {
	if (closed) return;
	closed = true;
	closedError = error;
	if (!isBrokenPipe(error)) {
		const message = errorMessage(error);
		process.stderr.write(`Error: cannot write to stdout: ${message}\n`);
	}
	for (const listener of closedListeners) listener(error);
}

/** True once a write to stdout failed; nothing more is written. */
export function isStdoutClosed(): boolean {
	return closed;
}

/** The error that closed stdout, unless it was the reader going away (which is not a failure). */
export function stdoutFailure(): unknown {
	return closed && !isBrokenPipe(closedError) ? closedError : undefined;
}

/** Calls `listener` once when stdout stops accepting output. Returns the unsubscribe function. */
export function onStdoutClosed(listener: (error: unknown) => void): () => void {
	closedListeners.add(listener);
	return () => closedListeners.delete(listener);
}

function flushQuietly(): void {
	try {
		const pending = stdout.flush();
		if (pending instanceof Promise) pending.catch(markStdoutClosed);
	} catch (error) {
		markStdoutClosed(error);
	}
}

/** Written and flushed at once: JSON and RPC consumers read line by line as events happen. */
export function writeStdout(text: string): void {
	if (closed) return;
	try {
		// A large chunk the pipe cannot take at once is written asynchronously: the failure is a rejected promise.
		const pending: unknown = stdout.write(encoder.encode(text));
		if (pending instanceof Promise) pendingWrite = pending.catch(markStdoutClosed);
	} catch (error) {
		markStdoutClosed(error);
		return;
	}
	flushQuietly();
}

export function writeJsonLine(value: unknown): void {
	writeStdout(`${JSON.stringify(value)}\n`);
}

export async function flushStdout(): Promise<void> {
	if (pendingWrite) await pendingWrite;
	if (closed) return;
	try {
		await stdout.flush();
	} catch (error) {
		markStdoutClosed(error);
	}
}

/**
 * One agent/session event as a JSON line (pi 1.6.0's json-event.ts): a `message_update` is delta-only — the
 * message's cumulative usage and the streaming event without its `partial` snapshot (a `toolcall_start` also names
 * the call's id and tool) — so a long answer's output grows linearly. Everything else is JSON.stringify(event).
 */
export function serializeEvent(event: { type: string }): string {
	if (event.type === "message_update" && "message" in event && "assistantMessageEvent" in event) {
		const message = event.message;
		const inner = event.assistantMessageEvent;
		if (typeof message === "object" && message !== null && typeof inner === "object" && inner !== null) {
			const { partial, ...delta } = inner as { partial?: unknown; type?: unknown; contentIndex?: unknown };
			let wire: Record<string, unknown> = delta;
			if (delta.type === "toolcall_start" && typeof delta.contentIndex === "number") {
				const content: unknown = Reflect.get(partial ?? message, "content");
				const block: unknown = Array.isArray(content) ? content[delta.contentIndex] : undefined;
				if (typeof block === "object" && block !== null) {
					wire = { ...delta, id: Reflect.get(block, "id"), toolName: Reflect.get(block, "name") };
				}
			}
			const usage: unknown = Reflect.get(message, "usage");
			return `${JSON.stringify({ type: "message_update", usage, assistantMessageEvent: wire })}\n`;
		}
	}
	return `${JSON.stringify(event)}\n`;
}

export function writeEvent(event: { type: string }): void {
	writeStdout(serializeEvent(event));
}
