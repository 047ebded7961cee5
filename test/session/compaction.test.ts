/** Compaction preparation and summary generation with a fake model call. */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { PushAssistantStream } from "../../src/ai/event-stream.ts";
import { type AssistantMessage, type Context, emptyUsage, type Model, type StreamOptions } from "../../src/ai/types.ts";
import {
	BRANCH_SUMMARY_PREAMBLE,
	type CompleteFn,
	calculateContextTokens,
	collectEntriesForBranchSummary,
	compact,
	estimateTokens,
	generateBranchSummary,
	prepareCompaction,
	SUMMARIZATION_PROMPT,
	SUMMARIZATION_SYSTEM_PROMPT,
	shouldCompact,
	TURN_PREFIX_SUMMARIZATION_PROMPT,
	UPDATE_SUMMARIZATION_PROMPT,
} from "../../src/session/compaction/index.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import { assistant, textOf, user } from "./helpers.ts";
import { callMethod, hasPi160, PI160_ROOT } from "./pi-ref.ts";

const model: Model = {
	id: "m",
	name: "M",
	api: "anthropic-messages",
	provider: "test",
	baseUrl: "http://127.0.0.1:1",
	reasoning: false,
	input: ["text"],
	cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
	contextWindow: 100_000,
	maxTokens: 4096,
};

interface Call {
	context: Context;
	options: StreamOptions | undefined;
}

/** A CompleteFn answering each call with the next canned text (or an error / abort stop reason). */
function fakeComplete(answers: (string | { stopReason: "error" | "aborted"; errorMessage?: string })[]): {
	complete: CompleteFn;
	calls: Call[];
} {
	const calls: Call[] = [];
	const complete: CompleteFn = (m, context, options) => {
		calls.push({ context, options });
		const answer = answers.shift() ?? "default summary";
		const stream = new PushAssistantStream();
		const message: AssistantMessage = {
			role: "assistant",
			content: typeof answer === "string" ? [{ type: "text", text: answer }] : [],
			api: m.api,
			provider: m.provider,
			model: m.id,
			usage: emptyUsage(),
			stopReason: typeof answer === "string" ? "stop" : answer.stopReason,
			timestamp: Date.now(),
		};
		if (typeof answer !== "string") {
			if (answer.errorMessage) message.errorMessage = answer.errorMessage;
			queueMicrotask(() => stream.push({ type: "error", reason: answer.stopReason, error: message }));
		} else {
			queueMicrotask(() => stream.push({ type: "done", reason: "stop", message }));
		}
		return stream;
	};
	return { complete, calls };
}

function promptOf(call: Call | undefined): string {
	const message = call?.context.messages[0];
	return message ? textOf(message) : "";
}

const big = (tag: string) => `${tag} ${"x".repeat(4000)}`; // ~1000 tokens

/** Three user/assistant turns of ~1000 tokens each, the middle one with a read and an edit. */
function sampleSession(options: { settingsChangeBeforeLastTurn?: boolean } = {}): SessionManager {
	const manager = SessionManager.inMemory("/p");
	manager.appendModelChange("test", "m");
	manager.appendMessage(user(big("u1")));
	manager.appendMessage(assistant(big("a1")));
	manager.appendMessage(user(big("u2")));
	manager.appendMessage({
		...assistant(""),
		content: [
			{ type: "toolCall", id: "t1", name: "read", arguments: { path: "src/a.ts" } },
			{ type: "toolCall", id: "t2", name: "edit", arguments: { path: "src/b.ts", oldText: "x", newText: "y" } },
		],
		stopReason: "toolUse",
	});
	manager.appendMessage({
		role: "toolResult",
		toolCallId: "t1",
		toolName: "read",
		content: [{ type: "text", text: big("r1") }],
		isError: false,
		timestamp: 1,
	});
	manager.appendMessage(assistant(big("a2")));
	if (options.settingsChangeBeforeLastTurn) manager.appendThinkingLevelChange("low");
	manager.appendMessage(user(big("u3")));
	manager.appendMessage(assistant(big("a3"), { usage: { ...emptyUsage(), totalTokens: 6000 } }));
	return manager;
}

const settings = { enabled: true, reserveTokens: 10_000, keepRecentTokens: 1500 };

describe("token accounting", () => {
	test("estimates chars/4 per role and prefers reported totals", () => {
		expect(estimateTokens(user("abcdefgh"))).toBe(2);
		expect(estimateTokens(user("abcdefghi"))).toBe(3);
		expect(
			estimateTokens({
				role: "toolResult",
				toolCallId: "t",
				toolName: "read",
				content: [{ type: "image", data: "", mimeType: "image/png" }],
				isError: false,
				timestamp: 0,
			}),
		).toBe(1200);
		expect(
			estimateTokens({
				role: "bashExecution",
				command: "ls",
				output: "ab",
				exitCode: 0,
				cancelled: false,
				truncated: false,
				timestamp: 0,
			}),
		).toBe(1);
		expect(calculateContextTokens({ ...emptyUsage(), totalTokens: 50, input: 1 })).toBe(50);
		expect(calculateContextTokens({ ...emptyUsage(), input: 10, output: 5, cacheRead: 2, cacheWrite: 1 })).toBe(18);
		expect(shouldCompact(90_001, 100_000, settings)).toBe(true);
		expect(shouldCompact(90_000, 100_000, settings)).toBe(false);
		expect(shouldCompact(99_999, 100_000, { ...settings, enabled: false })).toBe(false);
	});
});

describe("prepareCompaction", () => {
	test("keeps the recent turn, summarizes the rest, tracks files", () => {
		const manager = sampleSession();
		const branch = manager.getBranch();
		const prep = prepareCompaction(branch, settings);
		if (!prep) throw new Error("expected a preparation");
		// a3 (1000) + u3 (1000) ≥ 1500: cut at u3
		const kept = branch.find((entry) => entry.type === "message" && textOf(entry.message).startsWith("u3"));
		expect(prep.firstKeptEntryId).toBe(kept?.id ?? "");
		expect(prep.isSplitTurn).toBe(false);
		expect(prep.messagesToSummarize.map((m) => textOf(m).slice(0, 2))).toEqual(["u1", "a1", "u2", "[t", "r1", "a2"]);
		expect(prep.tokensBefore).toBe(6000);
		expect([...prep.fileOps.read]).toEqual(["src/a.ts"]);
		expect([...prep.fileOps.edited]).toEqual(["src/b.ts"]);
	});

	test("cutting inside a turn summarizes its prefix separately", () => {
		const manager = sampleSession();
		const prep = prepareCompaction(manager.getBranch(), { ...settings, keepRecentTokens: 2500 });
		if (!prep) throw new Error("expected a preparation");
		expect(prep.isSplitTurn).toBe(true);
		expect(prep.messagesToSummarize.map((m) => textOf(m).slice(0, 2))).toEqual(["u1", "a1"]);
		expect(prep.turnPrefixMessages.map((m) => textOf(m).slice(0, 2))).toEqual(["u2", "[t", "r1"]);
	});

	test("a settings change just before the cut is kept, and (as in pi) makes the cut a split turn", () => {
		const branch = sampleSession({ settingsChangeBeforeLastTurn: true }).getBranch();
		const prep = prepareCompaction(branch, settings);
		const change = branch.find((entry) => entry.type === "thinking_level_change");
		expect(prep?.firstKeptEntryId).toBe(change?.id ?? "");
		expect(prep?.isSplitTurn).toBe(true);
		expect(prep?.turnPrefixMessages.map((m) => textOf(m).slice(0, 2))).toEqual(["u2", "[t", "r1", "a2"]);
	});

	test("nothing to do right after a compaction", () => {
		const manager = sampleSession();
		manager.appendCompaction("s", manager.getLeafId() ?? "", 1);
		expect(prepareCompaction(manager.getBranch(), settings)).toBeUndefined();
	});

	test.skipIf(!hasPi160)("matches pi 1.6.0's prepareCompaction", async () => {
		const pi: unknown = await import(join(PI160_ROOT, "dist/core/compaction/compaction.js"));
		for (const [keepRecentTokens, settingsChangeBeforeLastTurn] of [
			[1500, false],
			[1500, true],
			[2500, false],
			[100_000, false],
			[10, true],
		] as const) {
			const manager = sampleSession({ settingsChangeBeforeLastTurn });
			const branch = manager.getBranch();
			const ours = prepareCompaction(branch, { ...settings, keepRecentTokens });
			const theirs = callMethod(pi, "prepareCompaction", branch, { ...settings, keepRecentTokens });
			expect(JSON.parse(JSON.stringify({ ...ours, fileOps: undefined }))).toEqual(
				JSON.parse(JSON.stringify({ ...Object(theirs), fileOps: undefined })),
			);
		}
	});
});

describe("compact", () => {
	test("one call with pi's prompt, then file lists appended and returned in details", async () => {
		const manager = sampleSession();
		const prep = prepareCompaction(manager.getBranch(), settings);
		if (!prep) throw new Error("expected a preparation");
		const { complete, calls } = fakeComplete(["## Goal\nsummary text"]);
		const signal = new AbortController().signal;
		const result = await compact(prep, model, "key-1", "focus on tests", complete, signal);
		expect(calls).toHaveLength(1);
		expect(calls[0]?.context.systemPrompt).toBe(SUMMARIZATION_SYSTEM_PROMPT);
		// pi 1.6.0: up to the model's output limit, no prompt caching, a fresh routing id.
		expect(calls[0]?.options).toMatchObject({ apiKey: "key-1", signal, cacheRetention: "none" });
		expect(calls[0]?.options?.maxTokens).toBeUndefined();
		const prompt = promptOf(calls[0]);
		expect(prompt.startsWith("<conversation>\n[User]: u1 ")).toBe(true);
		expect(prompt).toContain('[Assistant tool calls]: read(path="src/a.ts"); edit(path="src/b.ts"');
		expect(prompt).toContain("[... 2003 more characters truncated]");
		expect(prompt.endsWith(`${SUMMARIZATION_PROMPT}\n\nAdditional focus: focus on tests`)).toBe(true);
		expect(result.summary).toBe(
			"## Goal\nsummary text\n\n<read-files>\nsrc/a.ts\n</read-files>\n\n<modified-files>\nsrc/b.ts\n</modified-files>",
		);
		expect(result.details).toEqual({ readFiles: ["src/a.ts"], modifiedFiles: ["src/b.ts"] });
		expect(result.firstKeptEntryId).toBe(prep.firstKeptEntryId);

		// stored and rebuilt: summary first, then the kept part
		manager.appendCompaction(result.summary, result.firstKeptEntryId, result.tokensBefore, result.details);
		const texts = manager.buildSessionContext().messages.map((m) => textOf(m).slice(0, 20));
		expect(texts).toEqual(["<compactionSummary>#", "u3 xxxxxxxxxxxxxxxxx", "a3 xxxxxxxxxxxxxxxxx"]);
	});

	test("a second compaction updates the previous summary and carries its files", async () => {
		const manager = sampleSession();
		const first = prepareCompaction(manager.getBranch(), settings);
		if (!first) throw new Error("expected a preparation");
		const r1 = await compact(first, model, "k", undefined, fakeComplete(["first summary"]).complete);
		manager.appendCompaction(r1.summary, r1.firstKeptEntryId, r1.tokensBefore, r1.details);
		manager.appendMessage(user(big("u4")));
		manager.appendMessage(assistant(big("a4")));
		const second = prepareCompaction(manager.getBranch(), settings);
		if (!second) throw new Error("expected a preparation");
		expect(second.previousSummary).toBe(r1.summary);
		expect(second.messagesToSummarize.map((m) => textOf(m).slice(0, 2))).toEqual(["u3", "a3"]);
		const { complete, calls } = fakeComplete(["second summary"]);
		const r2 = await compact(second, model, "k", undefined, complete);
		const prompt = promptOf(calls[0]);
		expect(prompt).toContain(
			`<previous-summary>\n${r1.summary}\n</previous-summary>\n\n${UPDATE_SUMMARIZATION_PROMPT}`,
		);
		expect(r2.details).toEqual({ readFiles: ["src/a.ts"], modifiedFiles: ["src/b.ts"] });
	});

	test("split turn: history and turn prefix summarized in two calls and merged", async () => {
		const prep = prepareCompaction(sampleSession().getBranch(), { ...settings, keepRecentTokens: 2500 });
		if (!prep) throw new Error("expected a preparation");
		const { complete, calls } = fakeComplete(["history part", "prefix part"]);
		const result = await compact(prep, model, "k", undefined, complete);
		expect(calls).toHaveLength(2);
		expect(promptOf(calls[1]).startsWith("# Conversation\n")).toBe(true);
		expect(promptOf(calls[1]).endsWith(TURN_PREFIX_SUMMARIZATION_PROMPT)).toBe(true);
		expect(result.summary.startsWith("history part\n\n---\n\n**Turn Context (split turn):**\n\nprefix part")).toBe(
			true,
		);
	});

	test("the thinking level and headers reach the call only where pi sends them", async () => {
		const prep = prepareCompaction(sampleSession().getBranch(), settings);
		if (!prep) throw new Error("expected a preparation");
		const reasoning = fakeComplete(["s"]);
		await compact(prep, { ...model, reasoning: true }, "k", undefined, reasoning.complete, undefined, {
			thinkingLevel: "high",
			headers: { "x-extra": "1" },
		});
		expect(reasoning.calls[0]?.options).toMatchObject({ reasoning: "high", headers: { "x-extra": "1" } });
		const plain = fakeComplete(["s"]);
		await compact(prep, model, "k", undefined, plain.complete, undefined, { thinkingLevel: "high" });
		expect(plain.calls[0]?.options?.reasoning).toBeUndefined();
	});

	test("a failed model call is an error with the provider's message", async () => {
		const prep = prepareCompaction(sampleSession().getBranch(), settings);
		if (!prep) throw new Error("expected a preparation");
		const { complete } = fakeComplete([{ stopReason: "error", errorMessage: "rate limited" }]);
		await expect(compact(prep, model, "k", undefined, complete)).rejects.toThrow("Summarization failed: rate limited");
		const aborted = fakeComplete([{ stopReason: "aborted" }]);
		await expect(compact(prep, model, "k", undefined, aborted.complete)).rejects.toThrow("aborted");
	});
});

describe("branch summaries", () => {
	test("collects the abandoned part of the branch and summarizes it with pi's preamble", async () => {
		const manager = SessionManager.inMemory("/p");
		const u1 = manager.appendMessage(user("shared question"));
		manager.appendMessage(assistant("shared answer"));
		manager.appendMessage(user("explore"));
		manager.appendMessage({
			...assistant(""),
			content: [{ type: "toolCall", id: "w", name: "write", arguments: { path: "new.txt", content: "x" } }],
		});
		manager.appendMessage({
			role: "toolResult",
			toolCallId: "w",
			toolName: "write",
			content: [{ type: "text", text: "written" }],
			isError: false,
			timestamp: 0,
		});
		const oldLeaf = manager.getLeafId();
		const entries = collectEntriesForBranchSummary(manager, oldLeaf, u1);
		expect(entries.map((entry) => (entry.type === "message" ? textOf(entry.message) : entry.type))).toEqual([
			"shared answer",
			"explore",
			"[toolCall]",
			"written",
		]);
		expect(collectEntriesForBranchSummary(manager, null, u1)).toEqual([]);

		const { complete, calls } = fakeComplete(["## Goal\nexplored"]);
		const result = await generateBranchSummary(entries, model, "k", complete);
		expect(calls[0]?.options?.maxTokens).toBeUndefined();
		expect(promptOf(calls[0])).not.toContain("[Tool result]");
		expect(result.summary).toBe(
			`${BRANCH_SUMMARY_PREAMBLE}## Goal\nexplored\n\n<modified-files>\nnew.txt\n</modified-files>`,
		);
		expect(result.details).toEqual({ readFiles: [], modifiedFiles: ["new.txt"] });
		expect(await generateBranchSummary([], model, "k", complete)).toEqual({ summary: "No content to summarize" });
	});
});
