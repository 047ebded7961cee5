/** The scripted turns the fake LLM server answers with (llm-server.ts), their JSON schema and derived figures. */
import * as v from "valibot";

export type ScriptedTurn =
	| {
			kind?: "reply";
			text?: string;
			thinking?: string;
			/** `rawArguments`: the argument text sent instead of `arguments` (cut-off or malformed JSON) */
			toolCalls?: { id?: string; name: string; arguments: Record<string, unknown>; rawArguments?: string }[];
			stopReason?: "stop" | "length" | "toolUse";
			usage?: { input: number; output: number; cacheRead?: number; cacheWrite?: number };
			/** delay between SSE chunks (for abort/steering tests) */
			chunkDelayMs?: number;
			/** headers at once, then this long before the first chunk (a model thinking over a long prompt) */
			firstByteDelayMs?: number;
			/**
			 * Half the frames, then nothing until this settles: the test acts while the client is known to be
			 * mid-answer, however slow the machine. In-process servers only (a promise is not JSON).
			 */
			holdHalfwayUntil?: Promise<unknown>;
	  }
	| { kind: "http-error"; status: number; body?: string; headers?: Record<string, string> }
	/** sends some text deltas then destroys the connection */
	| { kind: "disconnect-after"; text: string }
	/** some text deltas, then a normal end of the response without the API's finish/stop event */
	| { kind: "cut-short"; text: string }
	/** sends headers (and optional text) then goes silent forever */
	| { kind: "stall"; text?: string }
	/** a garbage SSE chunk */
	| { kind: "malformed" }
	/** some text deltas, then the API's own in-stream error event (e.g. Anthropic `overloaded_error`) */
	| { kind: "stream-error"; text?: string; message?: string };

const UsageSchema = v.object({
	input: v.number(),
	output: v.number(),
	cacheRead: v.optional(v.number()),
	cacheWrite: v.optional(v.number()),
});

export const ScriptedTurnSchema = v.union([
	v.object({
		kind: v.optional(v.literal("reply")),
		text: v.optional(v.string()),
		thinking: v.optional(v.string()),
		toolCalls: v.optional(
			v.array(
				v.object({
					id: v.optional(v.string()),
					name: v.string(),
					arguments: v.record(v.string(), v.unknown()),
					rawArguments: v.optional(v.string()),
				}),
			),
		),
		stopReason: v.optional(v.picklist(["stop", "length", "toolUse"])),
		usage: v.optional(UsageSchema),
		chunkDelayMs: v.optional(v.number()),
		firstByteDelayMs: v.optional(v.number()),
	}),
	v.object({
		kind: v.literal("http-error"),
		status: v.number(),
		body: v.optional(v.string()),
		headers: v.optional(v.record(v.string(), v.string())),
	}),
	v.object({ kind: v.literal("disconnect-after"), text: v.string() }),
	v.object({ kind: v.literal("cut-short"), text: v.string() }),
	v.object({ kind: v.literal("stall"), text: v.optional(v.string()) }),
	v.object({ kind: v.literal("malformed") }),
	v.object({ kind: v.literal("stream-error"), text: v.optional(v.string()), message: v.optional(v.string()) }),
]);

export type ReplyTurn = Extract<ScriptedTurn, { kind?: "reply" }>;

export function usageOf(turn: ReplyTurn) {
	return {
		input: turn.usage?.input ?? 10,
		output: turn.usage?.output ?? 5,
		cacheRead: turn.usage?.cacheRead ?? 0,
		cacheWrite: turn.usage?.cacheWrite ?? 0,
	};
}

export function effectiveStop(turn: ReplyTurn): "stop" | "length" | "toolUse" {
	if (turn.stopReason) return turn.stopReason;
	return turn.toolCalls && turn.toolCalls.length > 0 ? "toolUse" : "stop";
}
