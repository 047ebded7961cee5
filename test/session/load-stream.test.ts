/**
 * Session files are read a megabyte at a time, line by line (src/session/load.ts): the result must be exactly what
 * parsing the whole text gives, however the lines fall across the read chunks.
 */
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSessionFile, parseSessionText } from "../../src/session/load.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import { assistant, FIXTURES, tempDir, user } from "./helpers.ts";

const MB = 1024 * 1024;

/** Migrating a v1 file invents entry ids: they are numbered in order of appearance before comparing. */
function withStableIds(value: unknown): unknown {
	const ids = new Map<string, string>();
	const text = JSON.stringify(value, (key, item) => {
		if (typeof item !== "string" || !["id", "parentId", "firstKeptEntryId"].includes(key)) return item;
		if (!ids.has(item)) ids.set(item, `id-${ids.size}`);
		return ids.get(item);
	});
	return JSON.parse(text);
}

function sameAsWholeText(path: string, stableIds = (value: unknown) => value): void {
	const whole = parseSessionText(readFileSync(path, "utf8"), path);
	expect(stableIds(loadSessionFile(path))).toEqual(stableIds(whole));
}

describe("streamed session loading", () => {
	test("lines longer than a read chunk, multi-byte characters split across chunks, a torn last line", () => {
		const dir = tempDir();
		const manager = SessionManager.create(dir, dir);
		manager.appendMessage(user("first"));
		// Pad so that a 4-byte emoji and a 2-byte é straddle the 1 MB chunk boundaries.
		for (const offset of [0, 1, 2, 3]) {
			manager.appendMessage(assistant(`${"x".repeat(MB - 300 + offset)}🙂é${"y".repeat(MB / 2)}`));
		}
		manager.appendMessage(user("last"));
		const path = manager.getSessionFile() ?? "";
		sameAsWholeText(path);
		const loaded = loadSessionFile(path);
		expect(loaded.entries.filter((entry) => entry.type === "message")).toHaveLength(6);
		expect(loaded.endsWithoutNewline).toBe(false);

		writeFileSync(path, readFileSync(path, "utf8").slice(0, -40));
		sameAsWholeText(path);
		expect(loadSessionFile(path).endsWithoutNewline).toBe(true);
		expect(loadSessionFile(path).skippedLines).toBe(1);
	});

	test("CRLF, blank lines, garbage, an empty file", () => {
		const dir = tempDir();
		const path = join(dir, "odd.jsonl");
		const header = JSON.stringify({
			type: "session",
			version: 3,
			id: "abc",
			timestamp: "2025-01-01T00:00:00.000Z",
			cwd: dir,
		});
		writeFileSync(path, `${header}\r\n\r\nnot json\n[1,2]\n`);
		sameAsWholeText(path);
		writeFileSync(path, "");
		sameAsWholeText(path);
		expect(loadSessionFile(path).hasContent).toBe(false);
	});

	test("every recorded fixture (v1, v2 and v3 files) loads exactly as before", () => {
		for (const name of readdirSync(FIXTURES).filter((file) => file.endsWith(".jsonl"))) {
			sameAsWholeText(join(FIXTURES, name), withStableIds);
		}
	});
});
