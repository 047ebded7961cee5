import { describe, expect, test } from "bun:test";
import { estimateContextTokens } from "../../../src/ai/providers/output-limit.ts";
import type { AssistantMessage, Message, StopReason } from "../../../src/ai/types.ts";

const user = (text: string, timestamp: number): Message => ({ role: "user", content: text, timestamp });

function answer(total: number, timestamp: number, stopReason: StopReason = "stop", parts?: number): AssistantMessage {
	const usage =
		parts === undefined
			? { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: total }
			: {
					input: parts,
					output: parts,
					cacheRead: 0,
					cacheWrite: 0,
					totalTokens: 0,
				};
	return {
		role: "assistant",
		content: [{ type: "text", text: "an answer of a few words" }],
		api: "openai-completions",
		provider: "test",
		model: "m",
		usage: { ...usage, cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 } },
		stopReason,
		timestamp,
	};
}

describe("estimateContextTokens", () => {
	const question = user("what do the notes say about the settings merge?", 1);
	const followUp = user("and the project's keys, in a little more detail?", 3);

	test("the newest complete answer's usage stands for everything up to it; what follows is estimated", () => {
		const after = estimateContextTokens([followUp]);
		expect(after).toBeGreaterThan(0);
		expect(estimateContextTokens([question, answer(1000, 2)])).toBe(1000);
		expect(estimateContextTokens([question, answer(1000, 2), followUp])).toBe(1000 + after);
		expect(estimateContextTokens([question, answer(500, 2), followUp, answer(2000, 4)])).toBe(2000);
		// No total: the parts are added up.
		expect(estimateContextTokens([question, answer(0, 2, "stop", 300)])).toBe(600);
	});

	test("aborted, failed and empty answers are no anchor, nor one placed after something newer", () => {
		const failed = answer(9000, 4, "error");
		const tail = estimateContextTokens([followUp, failed]);
		expect(estimateContextTokens([question, answer(1000, 2), followUp, failed])).toBe(1000 + tail);
		expect(estimateContextTokens([question, answer(1000, 2), followUp, { ...failed, stopReason: "aborted" }])).toBe(
			1000 + tail,
		);
		expect(estimateContextTokens([question, answer(1000, 2), followUp, answer(0, 4)])).toBe(
			1000 + estimateContextTokens([followUp, answer(0, 4)]),
		);
		// An answer older than a message before it (moved there) does not describe that message.
		const moved = answer(7000, 2);
		expect(estimateContextTokens([question, followUp, moved])).toBeLessThan(100);
	});
});
