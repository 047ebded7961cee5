/** `/tree` through AgentSession (src/agent/session/tree-navigator.ts): where the leaf goes, summaries, cancel. */
import { describe, expect, test } from "bun:test";
import { createSession } from "../interactive/harness.ts";

async function twoExchanges(extraTurns: Parameters<typeof createSession>[0]["turns"] = []) {
	const created = createSession({ turns: [{ chunks: ["one"] }, { chunks: ["two"] }, ...extraTurns] });
	await created.session.prompt("first");
	await created.session.prompt("second");
	// The first prompt also records the system message declaring the prompt and tools (pi 1.6.0).
	const messages = created.session.sessionManager
		.getEntries()
		.filter((e) => e.type === "message" && e.message.role !== "system");
	return { ...created, messages };
}

describe("AgentSession navigateTree", () => {
	test("a user message puts the leaf on its parent and hands its text back", async () => {
		const { session, messages } = await twoExchanges();
		const secondUser = messages[2];
		if (!secondUser) throw new Error("missing entry");
		const result = await session.navigateTree(secondUser.id);
		expect(result).toEqual({ editorText: "second", cancelled: false });
		expect(session.sessionManager.getLeafId()).toBe(secondUser.parentId);
		expect(session.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
	});

	test("an assistant message becomes the leaf; unknown ids throw", async () => {
		const { session, messages } = await twoExchanges();
		const firstAnswer = messages[1];
		if (!firstAnswer) throw new Error("missing entry");
		expect(await session.navigateTree(firstAnswer.id)).toEqual({ editorText: undefined, cancelled: false });
		expect(session.sessionManager.getLeafId()).toBe(firstAnswer.id);
		await expect(session.navigateTree("nope")).rejects.toThrow("Entry nope not found");
	});

	test("with summarize the branch left behind becomes a branch_summary entry", async () => {
		const { session, messages } = await twoExchanges([{ chunks: ["what happened there"] }]);
		const firstAnswer = messages[1];
		if (!firstAnswer) throw new Error("missing entry");
		await session.navigateTree(firstAnswer.id, { summarize: true });
		const leaf = session.sessionManager.getLeafEntry();
		expect(leaf?.type).toBe("branch_summary");
		expect(JSON.stringify(leaf)).toContain("what happened there");
	});

	test("aborting the summary cancels and leaves the leaf where it was", async () => {
		const { session, messages } = await twoExchanges([{ gate: new Promise(() => {}) }]);
		const firstAnswer = messages[1];
		if (!firstAnswer) throw new Error("missing entry");
		const leafBefore = session.sessionManager.getLeafId();
		const navigating = session.navigateTree(firstAnswer.id, { summarize: true });
		while (!session.isSummarizingBranch) await Bun.sleep(1);
		session.abortBranchSummary();
		expect(await navigating).toEqual({ editorText: undefined, cancelled: true });
		expect(session.sessionManager.getLeafId()).toBe(leafBefore);
		expect(session.isSummarizingBranch).toBeFalse();
	});
});
