import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEditTool } from "../../src/tools/edit.ts";
import { generateDiffString, normalizeForFuzzyMatch } from "../../src/tools/edit-diff.ts";
import { errorOf, run, tempDir, textOf } from "./helpers.ts";

function setup(content: string | Buffer) {
	const dir = tempDir();
	writeFileSync(join(dir, "f.txt"), content);
	return { dir, edit: createEditTool(dir), read: () => readFileSync(join(dir, "f.txt"), "utf-8") };
}

const lines = (n: number, change: (i: number) => string | undefined = () => undefined) =>
	`${Array.from({ length: n }, (_, i) => change(i) ?? `l${i + 1}`).join("\n")}\n`;

describe("edit diff (expected strings produced by pi 0.73.1's generateDiffString)", () => {
	test("single replacement", () => {
		expect(generateDiffString("a\nb\nc\n", "a\nB\nc\n")).toEqual({
			diff: " 1 a\n-2 b\n+2 B\n 3 c",
			firstChangedLine: 2,
		});
	});

	test("two distant changes with elided context and padded numbers", () => {
		const before = lines(30);
		const after = lines(30, (i) => (i === 4 ? "X" : i === 20 ? "Y" : undefined));
		expect(generateDiffString(before, after)).toEqual({
			diff: "  1 l1\n  2 l2\n  3 l3\n  4 l4\n- 5 l5\n+ 5 X\n  6 l6\n  7 l7\n  8 l8\n  9 l9\n    ...\n 17 l17\n 18 l18\n 19 l19\n 20 l20\n-21 l21\n+21 Y\n 22 l22\n 23 l23\n 24 l24\n 25 l25\n    ...",
			firstChangedLine: 5,
		});
	});

	test("ambiguous alignments resolve like jsdiff", () => {
		expect(generateDiffString("}\nz\nx\nx\nz\ny\n\n{\n", "}\nz\nr\nx\nz\ny\n\n{\n")).toEqual({
			diff: " 1 }\n 2 z\n+3 r\n 3 x\n-4 x\n 5 z\n 6 y\n 7 \n 8 {",
			firstChangedLine: 3,
		});
	});

	test("missing final newline, deletion, insertion", () => {
		expect(generateDiffString("a\nb", "a\nb\nc")).toEqual({ diff: " 1 a\n-2 b\n+2 b\n+3 c", firstChangedLine: 2 });
		expect(generateDiffString("x\ny\nz\n", "x\nz\n")).toEqual({ diff: " 1 x\n-2 y\n 3 z", firstChangedLine: 2 });
		expect(
			generateDiffString(lines(12).replace("l", ""), lines(12).replace("l", "").replace("l4\n", "new\nl4\n")),
		).toEqual({ diff: "  1 1\n  2 l2\n  3 l3\n+ 4 new\n  4 l4\n  5 l5\n  6 l6\n  7 l7\n    ...", firstChangedLine: 4 });
	});
});

describe("edit tool", () => {
	test("replaces exact text and returns diff details", async () => {
		const { edit, read } = setup("const a = 1;\nconst b = 2;\n");
		const result = await run(edit, { path: "f.txt", edits: [{ oldText: "const b = 2;", newText: "const b = 3;" }] });
		expect(textOf(result)).toBe("Successfully replaced 1 block(s) in f.txt.");
		expect(result.details).toEqual({
			diff: " 1 const a = 1;\n-2 const b = 2;\n+2 const b = 3;",
			// pi 1.6.0's unified patch (jsdiff's format, compared with it over more cases in edit-patch fixtures)
			patch: "--- f.txt\n+++ f.txt\n@@ -1,2 +1,2 @@\n const a = 1;\n-const b = 2;\n+const b = 3;\n",
			firstChangedLine: 2,
		});
		expect(read()).toBe("const a = 1;\nconst b = 3;\n");
	});

	test("multiple edits are matched against the original content", async () => {
		const { edit, read } = setup("alpha\nbeta\ngamma\n");
		const result = await run(edit, {
			path: "f.txt",
			edits: [
				{ oldText: "gamma", newText: "GAMMA" },
				{ oldText: "alpha", newText: "beta" },
			],
		});
		expect(textOf(result)).toBe("Successfully replaced 2 block(s) in f.txt.");
		expect(read()).toBe("beta\nbeta\nGAMMA\n");
	});

	test("not found, duplicates, overlap, empty, no-op", async () => {
		const { edit, read } = setup("foo bar foo\nbaz\n");
		expect(await errorOf(run(edit, { path: "f.txt", edits: [{ oldText: "nope", newText: "x" }] }))).toBe(
			"Could not find the exact text in f.txt. The old text must match exactly including all whitespace and newlines.",
		);
		expect(await errorOf(run(edit, { path: "f.txt", edits: [{ oldText: "foo", newText: "x" }] }))).toBe(
			"Found 2 occurrences of the text in f.txt. The text must be unique. Please provide more context to make it unique.",
		);
		expect(
			await errorOf(
				run(edit, {
					path: "f.txt",
					edits: [
						{ oldText: "bar foo", newText: "x" },
						{ oldText: "foo\nbaz", newText: "y" },
					],
				}),
			),
		).toBe("edits[0] and edits[1] overlap in f.txt. Merge them into one edit or target disjoint regions.");
		expect(
			await errorOf(
				run(edit, {
					path: "f.txt",
					edits: [
						{ oldText: "baz", newText: "x" },
						{ oldText: "missing", newText: "y" },
					],
				}),
			),
		).toBe("Could not find edits[1] in f.txt. The oldText must match exactly including all whitespace and newlines.");
		expect(await errorOf(run(edit, { path: "f.txt", edits: [{ oldText: "", newText: "x" }] }))).toBe(
			"oldText must not be empty in f.txt.",
		);
		expect(await errorOf(run(edit, { path: "f.txt", edits: [{ oldText: "baz", newText: "baz" }] }))).toStartWith(
			"No changes made to f.txt. The replacement produced identical content.",
		);
		expect(await errorOf(run(edit, { path: "f.txt", edits: [] }))).toBe(
			"Edit tool input is invalid. edits must contain at least one replacement.",
		);
		expect(read()).toBe("foo bar foo\nbaz\n");
	});

	test("missing file", async () => {
		const { edit } = setup("x");
		expect(await errorOf(run(edit, { path: "none.txt", edits: [{ oldText: "a", newText: "b" }] }))).toBe(
			"Could not edit file: none.txt. Error code: ENOENT.",
		);
	});

	test("fuzzy match: smart quotes, dashes, trailing spaces — the touched lines rewritten normalised", async () => {
		const { edit, read } = setup("say \u201Chello\u201D \u2014 ok   \nnext\n");
		await run(edit, { path: "f.txt", edits: [{ oldText: 'say "hello" - ok\nnext', newText: "done" }] });
		expect(read()).toBe("done\n");
		expect(normalizeForFuzzyMatch("a\u00A0b\u2019  ")).toBe("a b'");
	});

	test("CRLF line endings and BOM are preserved", async () => {
		const { edit, read } = setup("\uFEFFone\r\ntwo\r\nthree\r\n");
		const result = await run(edit, { path: "f.txt", edits: [{ oldText: "two\nthree", newText: "2\n3" }] });
		expect(read()).toBe("\uFEFFone\r\n2\r\n3\r\n");
		expect(result.details?.firstChangedLine).toBe(2);
	});

	test("a file that is not UTF-8 is refused and left byte for byte as it was, not filled with U+FFFD", async () => {
		// "café = 1\n" in Latin-1: the é is the lone byte 0xE9.
		const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x3d, 0x20, 0x31, 0x0a]);
		const { edit, dir } = setup(latin1);
		const error = await errorOf(run(edit, { path: "f.txt", edits: [{ oldText: "= 1", newText: "= 2" }] }));
		expect(error).toContain("Could not edit file: f.txt. It is not valid UTF-8 text");
		expect(readFileSync(join(dir, "f.txt"))).toEqual(latin1);
	});

	test("legacy single oldText/newText arguments", async () => {
		const { edit, read } = setup("x = 1\n");
		await run(edit, { path: "f.txt", oldText: "1", newText: "2" });
		expect(read()).toBe("x = 2\n");
	});
});
