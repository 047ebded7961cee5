/** Replacing the session (src/agent/session/session-switching.ts): startup entries, /fork, /resume state. */
import { describe, expect, test } from "bun:test";
import {
	recordStartupEntries,
	recordThinkingSelection,
	userMessagesForForking,
} from "../../src/agent/session/session-switching.ts";
import { emptyUsage } from "../../src/ai/types.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import { createSession, TEST_MODEL } from "../interactive/harness.ts";

function entryTypes(manager: SessionManager): string[] {
	return manager.getEntries().map((e) => e.type);
}

describe("startup entries", () => {
	test("a new session records the model and the thinking level", () => {
		const manager = SessionManager.inMemory();
		recordStartupEntries(manager, TEST_MODEL, "high");
		expect(entryTypes(manager)).toEqual(["model_change", "thinking_level_change"]);
	});

	test("a session with messages records a level at startup only when its branch has none (pi 1.6.0)", () => {
		const manager = SessionManager.inMemory();
		manager.appendMessage({ role: "user", content: "hi", timestamp: Date.now() });
		recordStartupEntries(manager, TEST_MODEL, "low");
		expect(entryTypes(manager)).toEqual(["message", "thinking_level_change"]);
		recordStartupEntries(manager, TEST_MODEL, "high");
		expect(entryTypes(manager)).toEqual(["message", "thinking_level_change"]);
	});

	test("a session without messages yet (only a name, say) counts as new", () => {
		const manager = SessionManager.inMemory();
		manager.appendSessionInfo("named");
		recordStartupEntries(manager, TEST_MODEL, "low");
		expect(entryTypes(manager)).toEqual(["session_info", "model_change", "thinking_level_change"]);
	});

	test("before a run the live level is recorded unless it is the recorded one clamped to the model", () => {
		const manager = SessionManager.inMemory();
		manager.appendThinkingLevelChange("high");
		const noReasoning = { ...TEST_MODEL, reasoning: false };
		// "high" runs as "off" on a model without reasoning: not recorded over the user's choice.
		recordThinkingSelection(manager, noReasoning, "off");
		expect(entryTypes(manager)).toEqual(["thinking_level_change"]);
		recordThinkingSelection(manager, { ...TEST_MODEL, reasoning: true }, "low");
		expect(entryTypes(manager)).toEqual(["thinking_level_change", "thinking_level_change"]);
		expect(manager.buildSessionContext().thinkingLevel).toBe("low");
	});
});

describe("AgentSession fork and switch", () => {
	async function twoPrompts() {
		const created = createSession({ turns: [{ chunks: ["one"] }, { chunks: ["two"] }] });
		await created.session.prompt("first");
		await created.session.prompt("second");
		return created;
	}

	test("forking at a later user message keeps the path before it in a new file", async () => {
		const { session } = await twoPrompts();
		const previousFile = session.sessionFile;
		const forkable = userMessagesForForking(session.sessionManager);
		expect(forkable.map((m) => m.text)).toEqual(["first", "second"]);
		const second = forkable[1];
		if (!second) throw new Error("missing");
		const result = await session.fork(second.entryId);
		expect(result).toEqual({ selectedText: "second", cancelled: false });
		expect(session.sessionFile).not.toBe(previousFile);
		expect(session.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
	});

	test("forking at the first user message keeps only what came before it (the system message)", async () => {
		const { session } = await twoPrompts();
		const previousFile = session.sessionFile;
		const first = session.getUserMessagesForForking()[0];
		if (!first) throw new Error("missing");
		expect((await session.fork(first.entryId)).selectedText).toBe("first");
		// pi 1.6.0: the first prompt's parent is the system message that declared the prompt and tools.
		expect(session.messages.map((m) => m.role)).toEqual(["system"]);
		expect(session.sessionManager.getHeader()?.parentSession).toBe(previousFile);
	});

	test("the agent's requests carry the id of the session it now works on", async () => {
		const { session } = await twoPrompts();
		const first = session.sessionId;
		expect(session.agent.sessionId).toBe(first);
		await session.newSession();
		expect(session.sessionId).not.toBe(first);
		expect(session.agent.sessionId).toBe(session.sessionId);
	});

	test("forking at anything but a user message throws", async () => {
		const { session } = await twoPrompts();
		const answer = session.sessionManager
			.getEntries()
			.find((e) => e.type === "message" && e.message.role === "assistant");
		if (!answer) throw new Error("missing");
		await expect(session.fork(answer.id)).rejects.toThrow("is not a user message");
	});

	test("switching to a session without a thinking level applies and records the default", async () => {
		const { session, sessionDir, cwd } = createSession({ turns: [], settings: { defaultThinkingLevel: "low" } });
		const other = SessionManager.create(cwd, sessionDir);
		other.appendMessage({ role: "user", content: [{ type: "text", text: "old" }], timestamp: 1 });
		// A session file is written once it holds a user or assistant message.
		other.appendMessage({
			role: "assistant",
			content: [{ type: "text", text: "reply" }],
			api: TEST_MODEL.api,
			provider: TEST_MODEL.provider,
			model: TEST_MODEL.id,
			usage: emptyUsage(),
			stopReason: "stop",
			timestamp: 2,
		});
		const path = other.getSessionFile();
		if (!path) throw new Error("no file");
		await session.switchSession(path);
		expect(session.thinkingLevel).toBe("low");
		expect(session.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
		expect(entryTypes(session.sessionManager).at(-1)).toBe("thinking_level_change");
	});
});
