/**
 * `--fork <session>` (forkFrom) copies the source's lines as pi 1.6.0 does: every JSON line (a newer pi's message
 * role or entry type, a line we cannot read) comes out as pi writes it, non-JSON lines and extra headers are left
 * out. With pi 1.6.0 installed (PI_REF_160_DIR) its own SessionManager.forkFrom forks the same source and both new
 * files must be the same bytes (the header's time aside).
 */
import { describe, expect, test } from "bun:test";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SessionManager } from "../../src/session/session-manager.ts";
import { FIXTURES, tempDir } from "./helpers.ts";
import { callMethod, hasPi160, PI160_ROOT } from "./pi-ref.ts";

const base = (id: string, parentId: string | null) => ({ id, parentId, timestamp: "2026-12-01T10:00:00.000Z" });

/** pi-tree.jsonl (written by pi) with the lines a fork must carry or drop appended. */
function sourceText(): string {
	const piLines = readFileSync(join(FIXTURES, "pi-tree.jsonl"), "utf8").split("\n").filter(Boolean);
	const lastId = String(JSON.parse(piLines.at(-1) ?? "{}").id);
	const extra = [
		// A message role and an entry type a newer pi writes.
		JSON.stringify({ type: "message", ...base("f0000001", lastId), message: { role: "annotation", note: "é" } }),
		JSON.stringify({ type: "bookmark", ...base("f0000002", "f0000001"), where: { line: 3 } }),
		"this line is not JSON {",
		JSON.stringify({ type: "session", version: 3, id: "second-header", timestamp: "2026-12-01T10:00:00.000Z" }),
		// Valid JSON that is not written the way JSON.stringify writes it: pi writes it re-serialised.
		`{ "type": "custom",  "id": "f0000003", "parentId": "f0000002", "timestamp": "2026-12-01T10:00:00.000Z", "customType": "x", "data": "\\u00e9\\/" }`,
		"42",
		"null",
	];
	// The last line is whole JSON without its newline (a write cut short after the closing brace).
	return `${[...piLines, ...extra].join("\n")}\n${JSON.stringify({ type: "custom", ...base("f0000004", "f0000003"), customType: "y" })}`;
}

function writeSource(text: string): string {
	const path = join(tempDir("pi-fork-source-"), "source.jsonl");
	writeFileSync(path, text);
	return path;
}

/** The file's lines with the header's timestamp blanked (each side stamps its own time). */
function withoutHeaderTime(path: string): string[] {
	const [header = "", ...rest] = readFileSync(path, "utf8").split("\n");
	return [header.replace(/"timestamp":"[^"]*"/, '"timestamp":"-"'), ...rest];
}

describe("forkFrom copies the source's lines as pi 1.6.0 does", () => {
	test("every JSON line is carried (unknown kinds included), non-JSON lines and extra headers are not", () => {
		const text = sourceText();
		const source = writeSource(text);
		const fork = SessionManager.forkFrom(source, "/elsewhere", tempDir(), "0193a000-0000-7000-8000-00000000f0a1");
		const file = fork.getSessionFile() ?? "";
		const expected = text
			.split("\n")
			.slice(1)
			.filter((line) => line !== "this line is not JSON {" && line !== "null" && !line.includes("second-header"))
			.map((line) => JSON.stringify(JSON.parse(line)));
		const [header, ...lines] = readFileSync(file, "utf8").split("\n");
		expect(lines).toEqual([...expected, ""]);
		expect(lines).toContain(text.split("\n").find((line) => line.includes('"annotation"')) ?? "the annotation line");
		expect(JSON.parse(header ?? "")).toMatchObject({ cwd: "/elsewhere", parentSession: source, version: 3 });
		expect(readFileSync(source, "utf8")).toBe(text);
	});

	test("an older (v1) source is forked migrated, so the fork has a tree", () => {
		const source = join(tempDir(), "v1.jsonl");
		copyFileSync(join(FIXTURES, "v1-session.jsonl"), source);
		const original = readFileSync(source, "utf8");
		const fork = SessionManager.forkFrom(source, "/elsewhere", tempDir());
		expect(fork.warnings).toEqual([]);
		expect(fork.getEntries().every((entry) => typeof entry.id === "string")).toBe(true);
		expect(fork.buildSessionContext()).toEqual(SessionManager.open(source).buildSessionContext());
		expect(readFileSync(fork.getSessionFile() ?? "", "utf8").split("\n")[0]).toContain('"version":3');
		expect(original.length).toBeGreaterThan(0);
	});

	test("a source that is not a session is refused and nothing is written", () => {
		const target = tempDir();
		for (const text of ["", "not json\n", `${JSON.stringify({ type: "message", id: "x" })}\n`]) {
			expect(() => SessionManager.forkFrom(writeSource(text), "/b", target)).toThrow("Cannot fork");
		}
		expect(() => SessionManager.forkFrom(join(target, "none.jsonl"), "/b", target)).toThrow("Cannot fork");
	});
});

describe.skipIf(!hasPi160)("side by side with pi 1.6.0's forkFrom", () => {
	test("the same source forks to the same file", async () => {
		const mod: unknown = await import(join(PI160_ROOT, "dist/core/session-manager.js"));
		const cls: unknown = typeof mod === "object" && mod !== null ? Reflect.get(mod, "SessionManager") : undefined;
		const id = "0193a000-0000-7000-8000-00000000f0a2";
		const text = sourceText();
		// Two copies: pi appends a newline to a source whose last line is cut short; we leave the source alone.
		const [mine, theirs] = [writeSource(text), writeSource(text)];
		const ours = SessionManager.forkFrom(mine, "/elsewhere", tempDir(), id);
		const pis = callMethod(cls, "forkFrom", theirs, "/elsewhere", tempDir(), { id });
		const piFile = String(callMethod(pis, "getSessionFile"));
		const ourLines = withoutHeaderTime(ours.getSessionFile() ?? "");
		const piLines = withoutHeaderTime(piFile);
		// The header names the source: each side's own copy of it.
		expect(ourLines.slice(1)).toEqual(piLines.slice(1));
		expect(ourLines[0]).toBe(piLines[0]?.replace(theirs, mine));
	});
});
