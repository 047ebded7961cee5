/** Compaction through AgentSession (src/agent/session/compaction-runner.ts): manual, overflow recovery, give-up. */
import { describe, expect, test } from "bun:test";
import type { AgentSession } from "../../src/agent/agent-session.ts";
import { createSession, type ScriptedTurn } from "../interactive/harness.ts";
import { recordEvents } from "./helpers.ts";

const compactionEvents = (session: AgentSession) => recordEvents(session, "compaction_start", "compaction_end");

function sessionWith(turns: ScriptedTurn[]) {
	// keepRecentTokens 1: everything but the newest message can be summarized.
	return createSession({ turns, settings: { compaction: { enabled: true, keepRecentTokens: 1 } } });
}

describe("AgentSession compaction", () => {
	test("a manual compaction that cannot run throws and reports it in compaction_end", async () => {
		const { session } = createSession({ turns: [], model: null });
		const events = compactionEvents(session);
		await expect(session.compact()).rejects.toThrow("No model selected.");
		expect(events).toEqual([
			{ type: "compaction_start", reason: "manual" },
			{
				type: "compaction_end",
				reason: "manual",
				result: undefined,
				aborted: false,
				willRetry: false,
				errorMessage: "Compaction failed: No model selected.",
			},
		]);
		expect(session.isCompacting).toBeFalse();
	});

	test("manual compaction records a compaction entry and reloads the context", async () => {
		const { session } = sessionWith([{ chunks: ["one"] }, { chunks: ["two"] }, { chunks: ["the summary"] }]);
		await session.prompt("first");
		await session.prompt("second");
		const events = compactionEvents(session);
		const result = await session.compact("focus");
		expect(result.summary).toContain("the summary");
		expect(events.map((e) => e.type)).toEqual(["compaction_start", "compaction_end"]);
		expect(session.sessionManager.getBranch().some((e) => e.type === "compaction")).toBeTrue();
		// pi 1.6.0: the compaction's checkpoint of the prompt and tools leads, then its summary.
		expect(session.messages.slice(0, 2).map((m) => m.role)).toEqual(["system", "compactionSummary"]);
	});

	test("a context overflow compacts and retries once; a second overflow gives up", async () => {
		const { session, contexts } = sessionWith([
			{ chunks: ["fine"] },
			{ error: "prompt is too long: 300000 tokens > 200000 maximum" },
			// pi 1.6.0 cuts past the omitted attempt: the history and the turn prefix ("second") are summarized apart.
			{ chunks: ["summary"] },
			{ chunks: ["prefix summary"] },
			{ error: "prompt is too long: 250000 tokens > 200000 maximum" },
		]);
		await session.prompt("first");
		const events = compactionEvents(session);
		await session.prompt("second");
		await session.waitForIdle();
		expect(contexts).toHaveLength(5);
		expect(events.map((e) => [e.type, "reason" in e ? e.reason : ""])).toEqual([
			["compaction_start", "overflow"],
			["compaction_end", "overflow"],
			["compaction_end", "overflow"],
		]);
		expect(events[1]).toMatchObject({ willRetry: true, aborted: false });
		expect(events[2]).toMatchObject({ willRetry: false, errorMessage: expect.stringContaining("recovery failed") });
	});

	test("a summary request that fails transiently is retried with settings.retry and reported", async () => {
		const { session, contexts } = createSession({
			turns: [
				{ chunks: ["one"] },
				{ chunks: ["two"] },
				{ error: "503 Service Unavailable" },
				{ chunks: ["summary"] },
				// the turn prefix ("second" is cut in the middle of its turn)
				{ chunks: ["prefix"] },
			],
			settings: { compaction: { enabled: true, keepRecentTokens: 1 }, retry: { baseDelayMs: 1 } },
		});
		await session.prompt("first");
		await session.prompt("second");
		const events = recordEvents(
			session,
			"summarization_retry_scheduled",
			"summarization_retry_attempt_start",
			"summarization_retry_finished",
		);
		const result = await session.compact();
		expect(result.summary).toStartWith("summary");
		expect(contexts).toHaveLength(5);
		expect(events).toEqual([
			{
				type: "summarization_retry_scheduled",
				attempt: 1,
				maxAttempts: 3,
				delayMs: 1,
				errorMessage: "503 Service Unavailable",
			},
			{ type: "summarization_retry_attempt_start", source: "compaction", reason: "manual" },
			{ type: "summarization_retry_finished" },
		]);
	});

	test("a summary cut off at the token limit is not recorded (pi 1.6.0)", async () => {
		const { session } = sessionWith([
			{ chunks: ["one"] },
			{ chunks: ["two"] },
			{ chunks: ["half a sum"], truncated: true },
		]);
		await session.prompt("first");
		await session.prompt("second");
		await expect(session.compact()).rejects.toThrow(
			"Summarization failed: generation hit the token cap and the summary is incomplete",
		);
		expect(session.sessionManager.getBranch().some((e) => e.type === "compaction")).toBeFalse();
	});
});
