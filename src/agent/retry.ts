/** pi's auto-retry policy for transient provider errors (pi-spec §5.8, widened as in pi 0.73.1). */
import { isContextOverflow } from "../ai/overflow.ts";
import type { AssistantMessage } from "../ai/types.ts";

const TRANSIENT_ERROR =
	/overloaded|provider.?returned.?error|rate.?limit|too many requests|429|500|502|503|504|service.?unavailable|server.?error|internal.?error|network.?error|connection.?error|connection.?refused|connection.?lost|websocket.?closed|websocket.?error|other side closed|fetch failed|upstream.?connect|reset before headers|socket hang up|ended without|http2 request did not get a response|timed? out|timeout|terminated|retry delay/i;

/** A failed answer worth retrying: an error that is not a context overflow (compaction handles those). */
export function isRetryableError(message: AssistantMessage, contextWindow: number): boolean {
	if (message.stopReason !== "error" || !message.errorMessage) return false;
	if (isContextOverflow(message, contextWindow)) return false;
	return TRANSIENT_ERROR.test(message.errorMessage);
}

/** Exponential backoff: base, 2×base, 4×base, … */
export function retryDelayMs(baseDelayMs: number, attempt: number): number {
	return baseDelayMs * 2 ** (attempt - 1);
}
