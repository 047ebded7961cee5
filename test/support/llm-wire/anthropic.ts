/** anthropic-messages: a scripted reply as the Messages API's SSE stream (`event:` names, content blocks). */
import { chunkText, type Frame, namedEvent, type TurnContext } from "./sse.ts";
import { effectiveStop, type ReplyTurn, usageOf } from "./turns.ts";

export function anthropicFrames(turn: ReplyTurn, ctx: TurnContext): Frame[] {
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
	const blocks: { start: Record<string, unknown>; deltas: Record<string, unknown>[] }[] = [];
	if (turn.thinking !== undefined) {
		blocks.push({
			start: { type: "thinking", thinking: "", signature: "" },
			deltas: [
				...chunkText(turn.thinking).map((part) => ({ type: "thinking_delta", thinking: part })),
				{ type: "signature_delta", signature: `sig_test_${ctx.seq}` },
			],
		});
	}
	if (turn.text !== undefined) {
		blocks.push({
			start: { type: "text", text: "" },
			deltas: chunkText(turn.text).map((part) => ({ type: "text_delta", text: part })),
		});
	}
	for (const [i, call] of (turn.toolCalls ?? []).entries()) {
		blocks.push({
			start: { type: "tool_use", id: call.id ?? `toolu_test_${ctx.seq}_${i}`, name: call.name, input: {} },
			deltas: chunkText(call.rawArguments ?? JSON.stringify(call.arguments), 6).map((part) => ({
				type: "input_json_delta",
				partial_json: part,
			})),
		});
	}
	for (const [index, block] of blocks.entries()) {
		frames.push(namedEvent("content_block_start", { type: "content_block_start", index, content_block: block.start }));
		for (const delta of block.deltas) {
			frames.push(namedEvent("content_block_delta", { type: "content_block_delta", index, delta }));
		}
		frames.push(namedEvent("content_block_stop", { type: "content_block_stop", index }));
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

export function anthropicTextDeltaFrames(text: string, ctx: TurnContext): Frame[] {
	const frames = anthropicFrames({ text }, ctx);
	// keep message_start, ping, block start and the deltas; drop the block end and message end
	return frames.slice(0, frames.length - 3);
}
