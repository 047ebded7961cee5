/** openai-completions: a scripted reply as Chat Completions chunks (`data:` lines, usage chunk, `[DONE]`). */
import { chunkText, dataEvent, type Frame, type TurnContext } from "./sse.ts";
import { effectiveStop, type ReplyTurn, usageOf } from "./turns.ts";

export function completionsFrames(turn: ReplyTurn, ctx: TurnContext): Frame[] {
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

export function completionsTextDeltaFrames(text: string, ctx: TurnContext): Frame[] {
	const frames = completionsFrames({ text }, ctx);
	return frames.slice(0, frames.length - 3);
}
