/** Writing, re-opening, branching and listing sessions with real files. */
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { agentPaths } from "../../src/config/paths.ts";
import { defaultSessionDir, SessionManager } from "../../src/session/session-manager.ts";
import { FileError } from "../../src/util/errors.ts";
import { assistant, tempDir, textOf, user } from "./helpers.ts";

function fileLines(path: string | undefined): Record<string, unknown>[] {
	if (!path) throw new Error("no session file");
	return readFileSync(path, "utf8")
		.trim()
		.split("\n")
		.map((line) => JSON.parse(line));
}

describe("creating and writing", () => {
	test("the file appears only with the first user or assistant message, then holds header and every entry", () => {
		const dir = tempDir();
		const manager = SessionManager.create("/home/u/proj", dir);
		const path = manager.getSessionFile() ?? "";
		expect(basename(path)).toMatch(
			/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z_[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.jsonl$/,
		);
		expect(basename(path)).toContain(manager.getSessionId());
		manager.appendModelChange("test", "m1");
		manager.appendThinkingLevelChange("medium");
		// pi 1.6.0: setup entries, the system message included, stay in memory until the conversation starts.
		manager.appendMessage({ role: "system", content: "", sections: { preamble: "P" }, timestamp: 1 });
		expect(existsSync(path)).toBe(false);
		manager.appendMessage(user("hi"));
		expect(existsSync(path)).toBe(true);
		manager.appendMessage(assistant("hello"));
		const lines = fileLines(path);
		expect(lines.map((line) => line.type)).toEqual([
			"session",
			"model_change",
			"thinking_level_change",
			"message",
			"message",
			"message",
		]);
		expect(Object.keys(lines[0] ?? {})).toEqual(["type", "version", "id", "timestamp", "cwd"]);
		expect(lines[0]).toMatchObject({ version: 3, id: manager.getSessionId(), cwd: "/home/u/proj" });
		manager.appendSessionInfo("  named  ");
		expect(fileLines(path).at(-1)).toMatchObject({ type: "session_info", name: "named" });
		expect(manager.getName()).toBe("named");
		expect(readdirSync(dir)).toEqual([basename(path)]);
	});

	test("entries are written with pi's key order and without undefined fields", () => {
		const manager = SessionManager.create("/p", tempDir());
		manager.appendMessage(assistant("a"));
		const id = manager.appendCompaction("sum", "x", 10);
		manager.appendCustomEntry("state", { n: 1 });
		manager.appendCustomMessage("note", "text", false);
		manager.appendLabel(id, "here");
		manager.appendLabel(id, undefined);
		const lines = fileLines(manager.getSessionFile());
		expect(lines.slice(2).map((line) => Object.keys(line))).toEqual([
			["type", "id", "parentId", "timestamp", "summary", "firstKeptEntryId", "tokensBefore", "fromHook"],
			["type", "customType", "data", "id", "parentId", "timestamp"],
			["type", "customType", "content", "display", "id", "parentId", "timestamp"],
			["type", "id", "parentId", "timestamp", "targetId", "label"],
			["type", "id", "parentId", "timestamp", "targetId"],
		]);
		expect(manager.getLabel(id)).toBeUndefined();
	});

	test("written then re-opened gives the same entries, leaf and context", () => {
		const dir = tempDir();
		const manager = SessionManager.create("/p", dir);
		manager.appendModelChange("prov", "model-a");
		const u1 = manager.appendMessage(user("one"));
		manager.appendMessage(assistant("two"));
		manager.branch(u1);
		manager.appendMessage(assistant("two-b"));
		manager.appendLabel(u1, "first");
		const reopened = SessionManager.open(manager.getSessionFile() ?? "");
		expect(reopened.getEntries()).toEqual(manager.getEntries());
		expect(reopened.getLeafId()).toBe(manager.getLeafId());
		expect(reopened.buildSessionContext()).toEqual(manager.buildSessionContext());
		expect(reopened.buildSessionContext().messages.map(textOf)).toEqual(["one", "two-b"]);
		expect(reopened.getLabel(u1)).toBe("first");
		expect(reopened.getSessionDir()).toBe(dir);
		expect(reopened.warnings).toEqual([]);
	});

	test("in-memory sessions never write", () => {
		const cwd = tempDir();
		const manager = SessionManager.inMemory(cwd);
		manager.appendMessage(user("q"));
		manager.appendMessage(assistant("a"));
		expect(manager.getSessionFile()).toBeUndefined();
		expect(existsSync(agentPaths.sessions()) ? readdirSync(agentPaths.sessions()) : []).not.toContain(
			basename(defaultSessionDir(cwd)),
		);
	});

	test("branch, resetLeaf and branch summaries move the leaf like pi", () => {
		const manager = SessionManager.inMemory("/p");
		const u1 = manager.appendMessage(user("one"));
		const a1 = manager.appendMessage(assistant("two"));
		manager.resetLeaf();
		expect(manager.buildSessionContext().messages).toEqual([]);
		const root2 = manager.appendMessage(user("new root"));
		expect(manager.getEntry(root2)?.parentId).toBeNull();
		const summary = manager.appendBranchSummary(u1, "left a branch");
		// pi 1.6.0: fromId is the leaf the summary left (0.73.1 wrote the entry it went to).
		expect(manager.getEntry(summary)).toMatchObject({ parentId: u1, fromId: root2 });
		expect(manager.buildSessionContext().messages.map(textOf)).toEqual(["one", "<branchSummary>left a branch"]);
		const rootSummary = manager.appendBranchSummary(null, "from the top");
		expect(manager.getEntry(rootSummary)).toMatchObject({ parentId: null, fromId: summary });
		expect(manager.getTree().map((node) => node.entry.id)).toEqual([u1, root2, rootSummary]);
		expect(manager.getChildren(u1).map((entry) => entry.id)).toEqual([a1, summary]);
		expect(() => manager.branch("nope")).toThrow("Entry nope not found");
		expect(() => manager.appendLabel("nope", "x")).toThrow("Entry nope not found");
		manager.resetLeaf();
		expect(manager.getEntry(manager.appendBranchSummary(null, "nothing left"))).toMatchObject({ fromId: "root" });
	});
});

describe("damaged files", () => {
	test("corrupt lines are skipped with a warning and the file is left alone", () => {
		const source = SessionManager.create("/p", tempDir());
		source.appendMessage(user("q"));
		source.appendMessage(assistant("a"));
		const path = source.getSessionFile() ?? "";
		const text = readFileSync(path, "utf8").split("\n");
		const damaged = [text[0], "{oops", text[1], '{"type":"message","id":"x"}', text[2], ""].join("\n");
		writeFileSync(path, damaged);
		const manager = SessionManager.open(path);
		expect(manager.warnings).toHaveLength(2);
		expect(manager.warnings[0]).toContain(":2: skipped a line that is not valid JSON");
		expect(manager.warnings[1]).toContain(':4: skipped an invalid "message" entry');
		expect(manager.buildSessionContext().messages.map(textOf)).toEqual(["q", "a"]);
		expect(readFileSync(path, "utf8")).toBe(damaged);
	});

	test("a torn last line: the next entry starts on a fresh line", () => {
		const source = SessionManager.create("/p", tempDir());
		source.appendMessage(user("q"));
		source.appendMessage(assistant("a"));
		const path = source.getSessionFile() ?? "";
		writeFileSync(path, `${readFileSync(path, "utf8")}{"type":"message","id":"half`);
		const manager = SessionManager.open(path);
		expect(manager.warnings).toHaveLength(1);
		manager.appendMessage(user("after"));
		const again = SessionManager.open(path);
		expect(again.buildSessionContext().messages.map(textOf)).toEqual(["q", "a", "after"]);
		expect(again.warnings).toHaveLength(1);
	});

	test("a missing file becomes a new session at that path, written lazily", () => {
		const path = join(tempDir(), "chosen.jsonl");
		const manager = SessionManager.open(path);
		expect(manager.getSessionFile()).toBe(path);
		manager.appendThinkingLevelChange("off");
		expect(existsSync(path)).toBe(false);
		manager.appendMessage(user("q"));
		expect(fileLines(path).map((line) => line.type)).toEqual(["session", "thinking_level_change", "message"]);
	});

	test("an empty file gets a fresh header; later entries follow it once", () => {
		const path = join(tempDir(), "empty.jsonl");
		writeFileSync(path, "");
		const manager = SessionManager.open(path);
		expect(fileLines(path).map((line) => line.type)).toEqual(["session"]);
		manager.appendMessage(user("q"));
		manager.appendMessage(assistant("a"));
		expect(fileLines(path).map((line) => line.type)).toEqual(["session", "message", "message"]);
	});

	test("an unreadable path is a FileError naming it", () => {
		const dir = tempDir();
		mkdirSync(join(dir, "folder.jsonl"));
		expect(() => SessionManager.open(join(dir, "folder.jsonl"))).toThrow(FileError);
		expect(() => SessionManager.open(join(dir, "folder.jsonl"))).toThrow("Cannot read session file");
	});

	test("a file that is not a session is copied aside before pi's fresh start", () => {
		const dir = tempDir();
		const path = join(dir, "notes.jsonl");
		writeFileSync(path, '{"hello":"world"}\n');
		const manager = SessionManager.open(path);
		expect(manager.warnings[0]).toContain("not a session file");
		const backup = readdirSync(dir).find((name) => name.endsWith(".bak"));
		expect(backup && readFileSync(join(dir, backup), "utf8")).toBe('{"hello":"world"}\n');
		expect(fileLines(path)[0]).toMatchObject({ type: "session", version: 3 });
	});
});

describe("forks, branches and lookup", () => {
	test("createBranchedSession copies the root→leaf path and re-creates its labels", () => {
		const dir = tempDir();
		const manager = SessionManager.create("/p", dir);
		const u1 = manager.appendMessage(user("one"));
		const a1 = manager.appendMessage(assistant("two"));
		manager.appendLabel(u1, "keep me");
		manager.appendMessage(user("three"));
		const branched = manager.createBranchedSession(a1);
		expect(branched.getHeader()?.parentSession).toBe(manager.getSessionFile() ?? "");
		expect(branched.getSessionId()).not.toBe(manager.getSessionId());
		const lines = fileLines(branched.getSessionFile());
		expect(lines.map((line) => line.type)).toEqual(["session", "message", "message", "label"]);
		expect(lines[3]).toMatchObject({ parentId: a1, targetId: u1, label: "keep me" });
		expect(branched.getLabel(u1)).toBe("keep me");
		expect(() => manager.createBranchedSession("missing")).toThrow("not found");
	});

	test("a branched session without a user or assistant message is written lazily", () => {
		const manager = SessionManager.create("/p", tempDir());
		const setup = manager.appendThinkingLevelChange("off");
		manager.appendMessage(user("one"));
		const branched = manager.createBranchedSession(setup);
		expect(existsSync(branched.getSessionFile() ?? "")).toBe(false);
		branched.appendMessage(user("other"));
		expect(fileLines(branched.getSessionFile()).map((line) => line.type)).toEqual([
			"session",
			"thinking_level_change",
			"message",
		]);
	});

	test("forkFrom copies every entry into the target project with a new header", () => {
		const source = SessionManager.create("/a", tempDir());
		source.appendMessage(user("q"));
		source.appendMessage(assistant("a"));
		const target = tempDir();
		const fork = SessionManager.forkFrom(source.getSessionFile() ?? "", "/b", target);
		const lines = fileLines(fork.getSessionFile());
		expect(lines[0]).toMatchObject({ cwd: "/b", parentSession: source.getSessionFile() });
		expect(lines.slice(1)).toEqual(fileLines(source.getSessionFile()).slice(1));
		expect(fork.getCwd()).toBe("/b");
		expect(() => SessionManager.forkFrom(join(target, "none.jsonl"), "/b", target)).toThrow("Cannot fork");
	});

	test("list, listAll, continueRecent and findByIdPrefix", async () => {
		const cwd = tempDir("pi-project-");
		const first = SessionManager.create(cwd);
		first.appendMessage(user("first question", 1000));
		first.appendMessage(assistant("first answer", { timestamp: 2000 }));
		first.appendSessionInfo("First");
		const second = SessionManager.create(cwd);
		second.appendMessage(user("second question", 5000));
		second.appendMessage(assistant("second answer", { timestamp: 6000 }));
		const other = SessionManager.create(`${cwd}-other`);
		other.appendMessage(assistant("elsewhere"));

		const listed = await SessionManager.list(cwd);
		expect(listed.map((info) => info.id)).toEqual([second.getSessionId(), first.getSessionId()]);
		expect(listed[1]).toMatchObject({
			cwd,
			name: "First",
			messageCount: 2,
			firstMessage: "first question",
			allMessagesText: "first question first answer",
			modified: new Date(2000),
		});
		const all = await SessionManager.listAll();
		expect(all.map((info) => info.id)).toContain(other.getSessionId());
		const customDir = tempDir();
		const custom = SessionManager.create(cwd, customDir);
		custom.appendMessage(assistant("in a --session-dir"));
		expect((await SessionManager.listAll()).map((info) => info.id)).not.toContain(custom.getSessionId());
		const withCustom = (await SessionManager.listAll(customDir)).map((info) => info.id);
		expect(withCustom).toContain(custom.getSessionId());
		expect(withCustom).toContain(other.getSessionId());

		// --continue picks the newest file mtime, not the newest message
		utimesSync(first.getSessionFile() ?? "", new Date(), new Date(Date.now() + 60_000));
		expect(SessionManager.continueRecent(cwd).getSessionId()).toBe(first.getSessionId());

		const found = SessionManager.findByIdPrefix(other.getSessionId().slice(0, 20), cwd);
		expect(found).toEqual({ path: other.getSessionFile() ?? "", cwd: `${cwd}-other` });
		expect(SessionManager.findByIdPrefix("zzzz", cwd)).toBeUndefined();
	});

	test("an ambiguous id prefix picks the most recently active session, like pi", () => {
		const cwd = "/ambiguous/project";
		const dir = defaultSessionDir(cwd);
		mkdirSync(dir, { recursive: true });
		const write = (id: string, messageTime: number, mtime: number) => {
			const path = join(dir, `x_${id}.jsonl`);
			const header = { type: "session", version: 3, id, timestamp: "2025-01-01T00:00:00.000Z", cwd };
			const entry = {
				type: "message",
				id: "e1",
				parentId: null,
				timestamp: "2025-01-01T00:00:00.000Z",
				message: user("q", messageTime),
			};
			writeFileSync(path, `${JSON.stringify(header)}\n${JSON.stringify(entry)}\n`);
			utimesSync(path, new Date(mtime), new Date(mtime));
			return path;
		};
		const recentlyActive = write("abc00001-0000-7000-8000-000000000000", 9_000_000, 1_000_000);
		write("abc00002-0000-7000-8000-000000000000", 1_000, 2_000_000);
		expect(SessionManager.findByIdPrefix("abc0000", cwd)).toEqual({ path: recentlyActive, cwd });
		expect(SessionManager.findByIdPrefix("abc00002", cwd)?.path).toEndWith(
			"abc00002-0000-7000-8000-000000000000.jsonl",
		);
	});

	test("continueRecent without sessions starts a new one", () => {
		const dir = tempDir();
		const manager = SessionManager.continueRecent("/p", dir);
		expect(manager.getEntries()).toEqual([]);
		expect(manager.getSessionDir()).toBe(dir);
	});
});
