/** google-generative-ai: a scripted reply as streamGenerateContent's SSE chunks (`data:` lines ending in CRLF). */
import { chunkText, type Frame, type TurnContext } from "./sse.ts";
import { effectiveStop, type ReplyTurn, usageOf } from "./turns.ts";

export function googleFrames(turn: ReplyTurn, ctx: TurnContext): Frame[] {
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

/** Text deltas only, without the final chunk that carries the finish reason and usage. */
export function googleTextDeltaFrames(text: string): Frame[] {
	return chunkText(text).map(
		(part) =>
			`data: ${JSON.stringify({ candidates: [{ content: { parts: [{ text: part }], role: "model" }, index: 0 }] })}\r\n\r\n`,
	);
}
