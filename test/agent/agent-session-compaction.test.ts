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
				errorMessage: "No model selected.",
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
			{ chunks: ["summary"] },
			{ error: "prompt is too long: 250000 tokens > 200000 maximum" },
		]);
		await session.prompt("first");
		const events = compactionEvents(session);
		await session.prompt("second");
		await session.waitForIdle();
		expect(contexts).toHaveLength(4);
		expect(events.map((e) => [e.type, "reason" in e ? e.reason : ""])).toEqual([
			["compaction_start", "overflow"],
			["compaction_end", "overflow"],
			["compaction_end", "overflow"],
		]);
		expect(events[1]).toMatchObject({ willRetry: true, aborted: false });
		expect(events[2]).toMatchObject({ willRetry: false, errorMessage: expect.stringContaining("recovery failed") });
	});
});
