/** Session figures (src/agent/session/session-stats.ts): totals, context fill and the newest answer's text. */
import { describe, expect, test } from "bun:test";
import { computeContextUsage, computeSessionStats, lastAssistantText } from "../../src/agent/session/session-stats.ts";
import type { AgentMessage } from "../../src/agent/types.ts";
import { type AssistantMessage, emptyUsage, type StopReason } from "../../src/ai/types.ts";
import type { SessionEntry } from "../../src/session/types.ts";

function answer(
	text: string,
	options: { input?: number; cost?: number; stopReason?: StopReason } = {},
): AssistantMessage {
	const usage = emptyUsage();
	usage.input = options.input ?? 0;
	usage.output = 5;
	usage.totalTokens = usage.input + usage.output;
	usage.cost.total = options.cost ?? 0;
	return {
		role: "assistant",
		content: text ? [{ type: "text", text }] : [],
		api: "anthropic-messages",
		provider: "fake",
		model: "fake-model",
		usage,
		stopReason: options.stopReason ?? "stop",
		timestamp: 1,
	};
}

const user = (text: string): AgentMessage => ({ role: "user", content: [{ type: "text", text }], timestamp: 1 });

function entry(id: string, message: AgentMessage): SessionEntry {
	return { type: "message", id, parentId: null, timestamp: "2026-01-01T00:00:00.000Z", message };
}

const compaction: SessionEntry = {
	type: "compaction",
	id: "c1",
	parentId: null,
	timestamp: "2026-01-01T00:00:00.000Z",
	summary: "s",
	firstKeptEntryId: "x",
	tokensBefore: 1000,
};

describe("session stats", () => {
	test("adds up every entry of the file: answers, usage entries, summaries and nested tool usage (pi 1.6.0)", () => {
		const withTool = answer("", { input: 10, cost: 0.5 });
		withTool.content = [{ type: "toolCall", id: "t1", name: "read", arguments: {} }];
		const nested = answer("", { input: 7, cost: 0.01 }).usage;
		const summaryUsage = answer("", { input: 100, cost: 1 }).usage;
		const entries: SessionEntry[] = [
			entry("s", { role: "system", content: "", sections: { preamble: "p" }, timestamp: 1 }),
			entry("u", user("a")),
			entry("a1", withTool),
			entry("t", {
				role: "toolResult",
				toolCallId: "t1",
				toolName: "read",
				content: [],
				isError: false,
				timestamp: 1,
				...{ usage: nested },
			}),
			entry("a2", answer("done", { input: 20, cost: 0.25 })),
			{ ...compaction, usage: summaryUsage },
			{
				type: "usage",
				id: "w",
				parentId: null,
				timestamp: "2026-01-01T00:00:00.000Z",
				kind: "cache_warm",
				provider: "p",
				model: "m",
				usage: answer("", { input: 3, cost: 0.002 }).usage,
			},
		];
		const stats = computeSessionStats({ entries, sessionFile: "/f", sessionId: "id", contextUsage: undefined });
		expect(stats.userMessages).toBe(1);
		expect(stats.assistantMessages).toBe(2);
		expect(stats.toolCalls).toBe(1);
		expect(stats.toolResults).toBe(1);
		expect(stats.totalMessages).toBe(5);
		expect(stats.tokens).toEqual({ input: 140, output: 25, cacheRead: 0, cacheWrite: 0, total: 165 });
		expect(stats.cost).toBeCloseTo(1.762, 9);
	});

	test("the last answer's text skips an empty aborted answer and is undefined when blank", () => {
		expect(lastAssistantText([answer("first"), answer("", { stopReason: "aborted" })])).toBe("first");
		expect(lastAssistantText([answer("first"), answer("  ")])).toBeUndefined();
		expect(lastAssistantText([user("only")])).toBeUndefined();
	});
});

describe("context usage", () => {
	test("unknown window gives no usage", () => {
		expect(computeContextUsage([], [answer("x", { input: 100 })], 0)).toBeUndefined();
	});

	test("uses the last answer's reported size", () => {
		const messages = [user("q"), answer("x", { input: 1000 })];
		const usage = computeContextUsage([], messages, 10000);
		expect(usage?.tokens).toBe(1005);
		expect(usage?.percent).toBeCloseTo(10.05);
	});

	test("after a compaction the size is unknown until a later answer reports one", () => {
		const before = answer("old", { input: 5000 });
		const failed = answer("", { input: 0, stopReason: "error" });
		const messages = [user("q"), before];
		expect(computeContextUsage([entry("m1", before), compaction, entry("m2", failed)], messages, 10000)).toEqual({
			tokens: null,
			contextWindow: 10000,
			percent: null,
		});
		const later = answer("new", { input: 300 });
		const usage = computeContextUsage([compaction, entry("m3", later)], [user("q"), later], 10000);
		expect(usage?.tokens).toBe(305);
	});
});
