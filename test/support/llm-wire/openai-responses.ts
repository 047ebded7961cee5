/**
 * openai-responses (and azure-openai-responses): a scripted reply as the Responses API's SSE events; the same events
 * as JSON objects for the Codex WebSocket (codex-ws-server.ts).
 */
import { chunkText, type Frame, namedEvent, type TurnContext } from "./sse.ts";
import { effectiveStop, type ReplyTurn, type ScriptedTurn, usageOf } from "./turns.ts";

/** `stopAfterText`: the frames up to the last text delta (a stream cut short or broken off). */
export function responsesFrames(turn: ReplyTurn, ctx: TurnContext, stopAfterText = false): Frame[] {
	const usage = usageOf(turn);
	let sequence = 0;
	const frames: Frame[] = [];
	const emit = (type: string, data: Record<string, unknown>) => {
		frames.push(namedEvent(type, { type, sequence_number: sequence++, ...data }));
	};
	const responseId = `resp_test_${ctx.seq}`;
	const baseResponse = {
		id: responseId,
		object: "response",
		created_at: Math.floor(Date.now() / 1000),
		model: ctx.model,
		parallel_tool_calls: true,
		tool_choice: "auto",
		tools: [],
		error: null,
		incomplete_details: null,
		instructions: null,
		metadata: {},
		temperature: 1,
		top_p: 1,
	};
	emit("response.created", { response: { ...baseResponse, status: "in_progress", output: [], usage: null } });
	emit("response.in_progress", { response: { ...baseResponse, status: "in_progress", output: [], usage: null } });
	const output: Record<string, unknown>[] = [];
	let outputIndex = 0;
	if (turn.thinking !== undefined) {
		const itemId = `rs_test_${ctx.seq}`;
		emit("response.output_item.added", {
			output_index: outputIndex,
			item: { id: itemId, type: "reasoning", summary: [] },
		});
		emit("response.reasoning_summary_part.added", {
			item_id: itemId,
			output_index: outputIndex,
			summary_index: 0,
			part: { type: "summary_text", text: "" },
		});
		for (const part of chunkText(turn.thinking)) {
			emit("response.reasoning_summary_text.delta", {
				item_id: itemId,
				output_index: outputIndex,
				summary_index: 0,
				delta: part,
			});
		}
		emit("response.reasoning_summary_text.done", {
			item_id: itemId,
			output_index: outputIndex,
			summary_index: 0,
			text: turn.thinking,
		});
		emit("response.reasoning_summary_part.done", {
			item_id: itemId,
			output_index: outputIndex,
			summary_index: 0,
			part: { type: "summary_text", text: turn.thinking },
		});
		const item = {
			id: itemId,
			type: "reasoning",
			summary: [{ type: "summary_text", text: turn.thinking }],
			encrypted_content: `enc_test_${ctx.seq}`,
		};
		emit("response.output_item.done", { output_index: outputIndex, item });
		output.push(item);
		outputIndex++;
	}
	if (turn.text !== undefined) {
		const itemId = `msg_test_${ctx.seq}`;
		emit("response.output_item.added", {
			output_index: outputIndex,
			item: { id: itemId, type: "message", status: "in_progress", role: "assistant", content: [] },
		});
		emit("response.content_part.added", {
			item_id: itemId,
			output_index: outputIndex,
			content_index: 0,
			part: { type: "output_text", text: "", annotations: [] },
		});
		for (const part of chunkText(turn.text)) {
			emit("response.output_text.delta", {
				item_id: itemId,
				output_index: outputIndex,
				content_index: 0,
				delta: part,
				logprobs: [],
			});
		}
		if (stopAfterText) return frames;
		emit("response.output_text.done", {
			item_id: itemId,
			output_index: outputIndex,
			content_index: 0,
			text: turn.text,
			logprobs: [],
		});
		const part = { type: "output_text", text: turn.text, annotations: [] };
		emit("response.content_part.done", { item_id: itemId, output_index: outputIndex, content_index: 0, part });
		const item = { id: itemId, type: "message", status: "completed", role: "assistant", content: [part] };
		emit("response.output_item.done", { output_index: outputIndex, item });
		output.push(item);
		outputIndex++;
	}
	for (const [i, call] of (turn.toolCalls ?? []).entries()) {
		const itemId = `fc_test_${ctx.seq}_${i}`;
		const callId = call.id ?? `call_test_${ctx.seq}_${i}`;
		const args = call.rawArguments ?? JSON.stringify(call.arguments);
		emit("response.output_item.added", {
			output_index: outputIndex,
			item: {
				id: itemId,
				type: "function_call",
				status: "in_progress",
				arguments: "",
				call_id: callId,
				name: call.name,
			},
		});
		for (const part of chunkText(args, 6)) {
			emit("response.function_call_arguments.delta", { item_id: itemId, output_index: outputIndex, delta: part });
		}
		emit("response.function_call_arguments.done", { item_id: itemId, output_index: outputIndex, arguments: args });
		const item = {
			id: itemId,
			type: "function_call",
			status: "completed",
			arguments: args,
			call_id: callId,
			name: call.name,
		};
		emit("response.output_item.done", { output_index: outputIndex, item });
		output.push(item);
		outputIndex++;
	}
	const stop = effectiveStop(turn);
	const usageBlock = {
		input_tokens: usage.input + usage.cacheRead,
		input_tokens_details: { cached_tokens: usage.cacheRead },
		output_tokens: usage.output,
		output_tokens_details: { reasoning_tokens: 0 },
		total_tokens: usage.input + usage.cacheRead + usage.output,
	};
	if (stop === "length") {
		emit("response.incomplete", {
			response: {
				...baseResponse,
				status: "incomplete",
				incomplete_details: { reason: "max_output_tokens" },
				output,
				usage: usageBlock,
			},
		});
	} else {
		emit("response.completed", { response: { ...baseResponse, status: "completed", output, usage: usageBlock } });
	}
	return frames;
}

/** The Responses API events of a scripted reply as JSON objects (the Codex WebSocket sends each as one message). */
export function responsesEventObjects(turn: ScriptedTurn, seq: number, model: string): Record<string, unknown>[] {
	if (turn.kind !== undefined && turn.kind !== "reply") throw new Error(`not a reply turn: ${turn.kind}`);
	return responsesFrames(turn, { seq, model }).map((frame) => {
		const data = frame.split("\n").find((line) => line.startsWith("data: "));
		return JSON.parse(data?.slice("data: ".length) ?? "{}");
	});
}
