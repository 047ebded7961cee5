/** v1 and v2 files are migrated to v3 and rewritten, as pi does. */
import { describe, expect, test } from "bun:test";
import { copyFileSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SessionManager } from "../../src/session/session-manager.ts";
import { FIXTURES, tempDir, textOf } from "./helpers.ts";

function copy(name: string): { dir: string; path: string } {
	const dir = tempDir();
	const path = join(dir, name);
	copyFileSync(join(FIXTURES, name), path);
	return { dir, path };
}

function lines(path: string): Record<string, unknown>[] {
	return readFileSync(path, "utf8")
		.trim()
		.split("\n")
		.map((line) => JSON.parse(line));
}

describe("migration", () => {
	test("v1: linear ids, firstKeptEntryIndex becomes firstKeptEntryId, file rewritten as v3", () => {
		const { path } = copy("v1-session.jsonl");
		const manager = SessionManager.open(path);
		const entries = manager.getEntries();
		expect(entries).toHaveLength(8);
		expect(entries[0]?.parentId).toBeNull();
		for (let i = 1; i < entries.length; i++) expect(entries[i]?.parentId).toBe(entries[i - 1]?.id ?? "");
		for (const entry of entries) expect(entry.id).toMatch(/^[0-9a-f]{8}$/);
		const compaction = entries.find((entry) => entry.type === "compaction");
		expect(compaction?.type === "compaction" && compaction.firstKeptEntryId).toBe(entries[3]?.id ?? "");
		expect(compaction && "firstKeptEntryIndex" in compaction).toBe(false);

		const context = manager.buildSessionContext();
		expect(context.messages.map(textOf)).toEqual([
			"<compactionSummary>v1 summary of question one",
			"old question two",
			"old answer two",
			"new question",
		]);
		expect(context.thinkingLevel).toBe("low");
		expect(context.model).toEqual({ provider: "anthropic", modelId: "claude-old" });

		const written = lines(path);
		expect(written[0]).toEqual({
			type: "session",
			version: 3,
			id: "11111111-1111-4111-8111-111111111111",
			timestamp: "2025-01-01T10:00:00.000Z",
			cwd: "/home/u/proj",
		});
		expect(written.slice(1).map((line) => line.id)).toEqual(entries.map((entry) => entry.id));
		// pi migrates in place: the keys it adds (version, id, parentId, firstKeptEntryId) come after the old ones.
		const rawLines = readFileSync(path, "utf8").split("\n");
		expect(rawLines[0]).toBe(
			'{"type":"session","id":"11111111-1111-4111-8111-111111111111","timestamp":"2025-01-01T10:00:00.000Z","cwd":"/home/u/proj","version":3}',
		);
		expect(rawLines[1]).toMatch(
			/^\{"type":"model_change","timestamp":"[^"]+","provider":"anthropic","modelId":"claude-old","id":"[0-9a-f]{8}","parentId":null\}$/,
		);
		expect(Object.keys(written.find((line) => line.type === "compaction") ?? {})).toEqual([
			"type",
			"timestamp",
			"summary",
			"tokensBefore",
			"id",
			"parentId",
			"firstKeptEntryId",
		]);
		// re-opening keeps the ids (no second migration)
		expect(
			SessionManager.open(path)
				.getEntries()
				.map((entry) => entry.id),
		).toEqual(entries.map((entry) => entry.id));
	});

	test("v2: hookMessage becomes custom, tree kept", () => {
		const { path, dir } = copy("v2-session.jsonl");
		const manager = SessionManager.open(path);
		expect(manager.getHeader()?.version).toBe(3);
		const hook = manager.getEntry("aaaa0002");
		expect(hook?.type === "message" && hook.message.role).toBe("custom");
		expect(manager.getLeafId()).toBe("aaaa0004");
		expect(manager.buildSessionContext().messages.map(textOf)).toEqual(["v2 question", "v2 other branch"]);
		manager.branch("aaaa0003");
		expect(manager.buildSessionContext().messages.map(textOf)).toEqual(["v2 question", "hook says hi", "v2 answer"]);
		expect(lines(path)[2]?.message).toMatchObject({ role: "custom" });
		// a clean migration leaves no backup behind
		expect(readdirSync(dir)).toEqual(["v2-session.jsonl"]);
	});

	test("a migrated file with unreadable lines keeps a copy of the original", () => {
		const dir = tempDir();
		const path = join(dir, "old.jsonl");
		const original = `${readFileSync(join(FIXTURES, "v2-session.jsonl"), "utf8")}{not json\n`;
		writeFileSync(path, original);
		const manager = SessionManager.open(path);
		expect(manager.warnings.some((warning) => warning.includes("not valid JSON"))).toBe(true);
		const backups = readdirSync(dir).filter((name) => name.endsWith(".bak"));
		expect(backups).toHaveLength(1);
		expect(readFileSync(join(dir, backups[0] ?? ""), "utf8")).toBe(original);
	});
});
