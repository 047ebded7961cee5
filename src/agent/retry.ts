/** pi's auto-retry policy for transient provider errors (pi-spec §5.8; the error lists of pi 1.6.0). */
import { isContextOverflow } from "../ai/overflow.ts";
import type { AssistantMessage } from "../ai/types.ts";

/** Account limits that reset after hours (quota, billing, subscription caps): retrying cannot help (pi 1.6.0). */
const ACCOUNT_LIMIT_ERROR = new RegExp(
	[
		"GoUsageLimitError",
		"FreeUsageLimitError",
		"Monthly usage limit reached",
		"available balance",
		"insufficient_quota",
		"out of budget",
		"quota exceeded",
		"billing",
		"subscription_sharing_usage_limit_exceeded",
		"subscription_sharing_workplace_individual_usage_limit_exceeded",
		'"code"\\s*:\\s*"?1308(?![0-9])',
	].join("|"),
	"i",
);

/** Provider load, HTTP status and transport failures that a later attempt may not meet (pi 1.6.0's list). */
const TRANSIENT_ERROR = new RegExp(
	[
		"overloaded",
		"server_busy",
		"servers are currently busy",
		"currently experiencing high demand",
		"model is at capacity",
		"rate.?limit",
		"too many requests",
		// a status code, not part of a request id or a byte count
		"(?<![a-z0-9])(?:429|500|502|503|504|520|524)(?![a-z0-9])",
		"service.?(?:is.?)?(?:temporarily.?)?unavailable",
		"server.?error",
		"internal.?error",
		"provider.?returned.?(?:an.?)?error",
		"exceeded request buffer limit while retrying upstream",
		"unable to forward upstream",
		"upstream.?request.?failed",
		"upstream_stream_read_error",
		"stream was interrupted",
		"http/?2 stream failed",
		"network.?error",
		"connection.?error",
		"connection.?refused",
		"connection.?lost",
		"connection.?closed",
		"other side closed",
		"fetch failed",
		"request to \\S+ failed, reason:",
		"getaddrinfo",
		"(?<![a-z0-9_])(?:ECONNRESET|ECONNABORTED|ECONNREFUSED|ETIMEDOUT|EPIPE)(?![a-z0-9_])",
		"connection reset by peer",
		"ENOTFOUND",
		"EAI_AGAIN",
		"upstream.?connect",
		"reset before headers",
		"socket hang up",
		"socket connection was closed",
		"timed? out",
		"timeout",
		"terminated",
		"websocket.?closed",
		"websocket.?error",
		"websocket.?connection.?limit.?reached",
		"ended without",
		"stream ended before message_stop",
		"stream ended before a terminal response event",
		"http2 request did not get a response",
		"stream disconnected before completion",
		"cut short after the reply had begun",
		"pending stream has been canceled",
		"retry delay",
		"you can retry your request",
		"try your request again",
		"please retry your request",
		"ResourceExhausted",
		"subscription_sharing_usage_unavailable",
		"subscription_sharing_user_unavailable",
	].join("|"),
	"i",
);

/** A failed answer worth retrying: an error that is not a context overflow (compaction handles those). */
export function isRetryableError(message: AssistantMessage, contextWindow: number): boolean {
	if (message.stopReason !== "error" || !message.errorMessage) return false;
	if (isContextOverflow(message, contextWindow)) return false;
	if (ACCOUNT_LIMIT_ERROR.test(message.errorMessage)) return false;
	return TRANSIENT_ERROR.test(message.errorMessage);
}

/** Exponential backoff: base, 2×base, 4×base, …, never more than `maxDelayMs` (pi 1.6.0's retry.maxAgentDelayMs). */
export function retryDelayMs(baseDelayMs: number, attempt: number, maxDelayMs = 60_000): number {
	const delay = baseDelayMs * 2 ** Math.max(0, attempt - 1);
	return Math.min(Number.isSafeInteger(delay) ? delay : Number.MAX_SAFE_INTEGER, maxDelayMs);
}
