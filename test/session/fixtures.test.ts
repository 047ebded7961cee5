/** Files written by the real pi 0.73.1 load and rebuild the context pi would send. */
import { describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { SessionManager } from "../../src/session/session-manager.ts";
import { FIXTURES, tempDir, textOf } from "./helpers.ts";
import { callMethod, hasPi, piSessionManagerClass } from "./pi-ref.ts";

/** Opens a copy so tests never change the committed fixture. */
function openFixture(name: string): SessionManager {
	const dir = tempDir();
	const path = join(dir, name);
	copyFileSync(join(FIXTURES, name), path);
	return SessionManager.open(path);
}

describe("pi 0.73.1 fixtures", () => {
	test("plain chat across two print runs", () => {
		const manager = openFixture("pi-plain-chat.jsonl");
		expect(manager.warnings).toEqual([]);
		const context = manager.buildSessionContext();
		expect(context.messages.map(textOf)).toEqual(["hello", "Hello! How can I help?", "what is 2 + 2?", "2 + 2 = 4."]);
		expect(context.model).toEqual({ provider: "test", modelId: "test-model" });
		expect(context.thinkingLevel).toBe("off");
		expect(manager.getHeader()?.version).toBe(3);
	});

	test("tool calls and results keep their order and fields", () => {
		const manager = openFixture("pi-tool-use.jsonl");
		const messages = manager.buildSessionContext().messages;
		expect(messages.map((m) => m.role)).toEqual([
			"user",
			"assistant",
			"toolResult",
			"assistant",
			"toolResult",
			"assistant",
		]);
		const read = messages[2];
		expect(read?.role === "toolResult" && read.toolCallId).toBe("toolu_read1");
		expect(read && textOf(read)).toBe("hello from notes\n");
	});

	test("thinking level, model change, name, bash and compaction", () => {
		const manager = openFixture("pi-rpc-compaction.jsonl");
		expect(manager.getName()).toBe("Fixture session");
		const context = manager.buildSessionContext();
		expect(context.thinkingLevel).toBe("high");
		expect(context.model).toEqual({ provider: "test", modelId: "test-model-2" });
		const texts = context.messages.map(textOf);
		expect(texts[0]).toBe("<compactionSummary>## Goal\nFixture summary of the conversation.");
		expect(texts.slice(-2)).toEqual(["third question", "Answer after compaction."]);
		expect(texts).toContain("!echo bang");
		const compaction = manager.getEntries().find((entry) => entry.type === "compaction");
		expect(compaction?.type === "compaction" && compaction.details).toEqual({ readFiles: [], modifiedFiles: [] });
	});

	test("a forked file names its parent and holds the path before the chosen message", () => {
		const manager = openFixture("pi-forked.jsonl");
		expect(manager.getHeader()?.parentSession).toMatch(/\.jsonl$/);
		const texts = manager.buildSessionContext().messages.map(textOf);
		expect(texts).toEqual(["first question", "First answer."]);
		expect(manager.buildSessionContext().model).toEqual({ provider: "test", modelId: "test-model-2" });
	});

	test("an in-file tree: the leaf is the last line, labels and branch summaries resolve", () => {
		const manager = openFixture("pi-tree.jsonl");
		const entries = manager.getEntries();
		expect(manager.getLeafId()).toBe(entries[entries.length - 1]?.id ?? "");
		const texts = manager.buildSessionContext().messages.map(textOf);
		expect(texts).toEqual([
			"<branchSummary>The user read notes.txt and ran echo.",
			"a different question",
			"A different answer.",
			"an injected note",
		]);
		const firstUser = entries.find((entry) => entry.type === "message" && entry.message.role === "user");
		expect(firstUser && manager.getLabel(firstUser.id)).toBe("start");
		const roots = manager.getTree();
		expect(roots).toHaveLength(1);
		// thinking_level_change has two children: the first user message and the branch summary
		const thinking = entries.find((entry) => entry.type === "thinking_level_change");
		expect(thinking && manager.getChildren(thinking.id).map((entry) => entry.type)).toEqual([
			"message",
			"branch_summary",
		]);
	});

	test("opening never rewrites a current-version file", () => {
		const dir = tempDir();
		const path = join(dir, "copy.jsonl");
		copyFileSync(join(FIXTURES, "pi-tree.jsonl"), path);
		const before = readFileSync(path, "utf8");
		SessionManager.open(path);
		expect(readFileSync(path, "utf8")).toBe(before);
	});
});

describe.skipIf(!hasPi)("same context as pi's own buildSessionContext", () => {
	for (const name of [
		"pi-plain-chat.jsonl",
		"pi-tool-use.jsonl",
		"pi-rpc-compaction.jsonl",
		"pi-forked.jsonl",
		"pi-tree.jsonl",
		"v1-session.jsonl",
		"v2-session.jsonl",
	]) {
		test(name, async () => {
			const theirs = callMethod(await piSessionManagerClass(), "open", copyFixture(name));
			const theirContext = callMethod(theirs, "buildSessionContext");
			const ours: unknown = SessionManager.open(copyFixture(name)).buildSessionContext();
			expect(ours).toEqual(theirContext);
		});
	}
});

function copyFixture(name: string): string {
	const path = join(tempDir(), name);
	copyFileSync(join(FIXTURES, name), path);
	return path;
}

test("entries we write have the same keys, in the same order, as pi's for every type", () => {
	const piKeys = new Map<string, string[]>();
	for (const name of ["pi-rpc-compaction.jsonl", "pi-tree.jsonl"]) {
		for (const line of readFileSync(join(FIXTURES, name), "utf8").trim().split("\n")) {
			const record: unknown = JSON.parse(line);
			if (typeof record !== "object" || record === null) continue;
			const type = String(Reflect.get(record, "type"));
			if (!piKeys.has(type)) piKeys.set(type, Object.keys(record));
		}
	}
	const manager = SessionManager.create("/p", tempDir());
	const u = manager.appendMessage({ role: "user", content: "q", timestamp: 1 });
	manager.appendModelChange("p", "m");
	manager.appendThinkingLevelChange("high");
	manager.appendSessionInfo("n");
	manager.appendCompaction("s", u, 1, { readFiles: [], modifiedFiles: [] });
	manager.appendLabel(u, "l");
	manager.appendBranchSummary(u, "b", { readFiles: [], modifiedFiles: [] });
	manager.appendCustomMessage("c", "t", true, { x: 1 });
	manager.appendCustomEntry("c", { x: 1 });
	const header = manager.getHeader();
	const ours = new Map<string, string[]>([["session", Object.keys(header ?? {})]]);
	for (const entry of manager.getEntries()) if (!ours.has(entry.type)) ours.set(entry.type, Object.keys(entry));
	// pi's branch_summary from its session manager has no fromHook; its session layer adds fromHook: false
	const piBranchSummary = piKeys.get("branch_summary");
	if (piBranchSummary) piKeys.set("branch_summary", [...piBranchSummary, "fromHook"]);
	expect(Object.fromEntries(ours)).toEqual(Object.fromEntries(piKeys));
});
