/** How each wire format fails: a garbage chunk, the in-stream error event, and the HTTP error body. */
import { dataEvent, type Frame, namedEvent } from "./sse.ts";
import type { WireApi } from "./wire-api.ts";

export function malformedFrames(api: WireApi): Frame[] {
	if (api === "anthropic-messages") return ['event: message_start\ndata: {"type":"message_start","message":{\n\n'];
	if (api === "openai-responses") return ['event: response.created\ndata: {"type":"response.created",\n\n'];
	return ["data: {this is not json\n\n"];
}

/** The error event each API sends in the middle of a stream when the service fails. */
export function streamErrorFrame(api: WireApi, message: string): Frame {
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
export function defaultErrorBody(api: WireApi, status: number): string {
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
