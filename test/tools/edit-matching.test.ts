/**
 * The edit tool's matching over pi's own edit cases (pi-mono test/tools.test.ts: fuzzy matching, Unicode forms,
 * duplicates, CRLF) and pi 1.6.0's rule that a fuzzy edit rewrites only the lines it touches. With pi 1.6.0
 * installed (PI_REF_160_DIR) every case also runs through its applyEditsToNormalizedContent and must give the same
 * content, or the same error.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { applyEdits, normalizeToLF, type TextEdit } from "../../src/tools/edit-diff.ts";
import { callMethod, hasPi160, PI160_ROOT } from "../session/pi-ref.ts";

interface Case {
	name: string;
	content: string;
	edits: TextEdit[];
	/** The new content, or the error's message. */
	expected: { content: string } | { error: string };
}

const CASES: Case[] = [
	{
		name: "exact match",
		content: "a\nb\nc\n",
		edits: [{ oldText: "b", newText: "B" }],
		expected: { content: "a\nB\nc\n" },
	},
	{
		name: "trailing whitespace stripped for matching",
		content: "one  \ntwo\t\nthree\n",
		edits: [{ oldText: "one\ntwo", newText: "1\n2" }],
		expected: { content: "1\n2\nthree\n" },
	},
	{
		name: "fullwidth punctuation in Chinese text",
		content: "你好，世界\n你好（世界）\n",
		edits: [{ oldText: "你好,世界\n你好(世界)\n", newText: "你好，pi\n你好(pi)\n" }],
		expected: { content: "你好，pi\n你好(pi)\n" },
	},
	{
		name: "compatibility-equivalent Unicode forms",
		content: "ＡＢＣ１２３\ncafe\u0301\n",
		edits: [{ oldText: "ABC123\ncafé\n", newText: "XYZ789\ncoffee\n" }],
		expected: { content: "XYZ789\ncoffee\n" },
	},
	{
		name: "smart single quotes",
		content: "say \u2018hi\u2019\n",
		edits: [{ oldText: "say 'hi'", newText: "say 'bye'" }],
		expected: { content: "say 'bye'\n" },
	},
	{
		name: "smart double quotes",
		content: "say \u201Chi\u201D\n",
		edits: [{ oldText: 'say "hi"', newText: 'say "bye"' }],
		expected: { content: 'say "bye"\n' },
	},
	{
		name: "Unicode dashes",
		content: "a \u2013 b \u2014 c \u2212 d\n",
		edits: [{ oldText: "a - b - c - d", newText: "x" }],
		expected: { content: "x\n" },
	},
	{
		name: "non-breaking space",
		content: "a\u00A0b\n",
		edits: [{ oldText: "a b", newText: "c" }],
		expected: { content: "c\n" },
	},
	{
		name: "exact match preferred over fuzzy",
		content: "const x = 'exact';\nconst y = \u2018fuzzy\u2019;\n",
		edits: [{ oldText: "const x = 'exact';", newText: "const x = 'changed';" }],
		expected: { content: "const x = 'changed';\nconst y = \u2018fuzzy\u2019;\n" },
	},
	{
		name: "not found even with fuzzy matching",
		content: "hello\n",
		edits: [{ oldText: "goodbye", newText: "x" }],
		expected: {
			error:
				"Could not find the exact text in f.txt. The old text must match exactly including all whitespace and newlines.",
		},
	},
	{
		name: "duplicates after fuzzy normalisation",
		content: "it\u2019s\nit's\n",
		edits: [{ oldText: "it's", newText: "x" }],
		expected: {
			error:
				"Found 2 occurrences of the text in f.txt. The text must be unique. Please provide more context to make it unique.",
		},
	},
	{
		name: "LF oldText against CRLF content (the tool works on LF)",
		content: normalizeToLF("one\r\ntwo\r\n"),
		edits: [{ oldText: "one\r\ntwo", newText: "1\n2" }],
		expected: { content: "1\n2\n" },
	},
	// pi 1.6.0: a fuzzy edit leaves the lines it does not touch byte for byte.
	{
		name: "fuzzy edit keeps other lines' quotes and trailing spaces",
		content: "title = \u201Cdraft\u201D  \nsay \u201Chello\u201D\nend \u2014 done   \n",
		edits: [{ oldText: 'say "hello"', newText: 'say "bye"' }],
		expected: { content: 'title = \u201Cdraft\u201D  \nsay "bye"\nend \u2014 done   \n' },
	},
	{
		name: "a fuzzy edit and an exact one in the same call",
		content: "a \u2018x\u2019   \nkeep \u2018me\u2019  \nplain\n",
		edits: [
			{ oldText: "a 'x'", newText: "A" },
			{ oldText: "plain", newText: "PLAIN" },
		],
		expected: { content: "A\nkeep \u2018me\u2019  \nPLAIN\n" },
	},
	{
		name: "edits on neighbouring lines share one rewritten block",
		content: "x \u201C1\u201D\ny \u201C2\u201D \nz \u201C3\u201D\n",
		edits: [
			{ oldText: 'x "1"', newText: "X" },
			{ oldText: 'y "2"', newText: "Y" },
		],
		expected: { content: "X\nY\nz \u201C3\u201D\n" },
	},
	{
		name: "a fuzzy edit within a line keeps the rest of that line normalised, as pi",
		content: "left \u2018a\u2019 right \u2018b\u2019  \nnext\n",
		edits: [{ oldText: "'a'", newText: "A" }],
		expected: { content: "left A right 'b'\nnext\n" },
	},
	{
		name: "no final newline",
		content: "first\nlast \u2018q\u2019",
		edits: [{ oldText: "last 'q'", newText: "done" }],
		expected: { content: "first\ndone" },
	},
	{
		name: "overlapping edits",
		content: "abcdef\n",
		edits: [
			{ oldText: "abcd", newText: "x" },
			{ oldText: "cdef", newText: "y" },
		],
		expected: {
			error: "edits[0] and edits[1] overlap in f.txt. Merge them into one edit or target disjoint regions.",
		},
	},
];

function ours(item: Case): { content: string } | { error: string } {
	try {
		return { content: applyEdits(item.content, item.edits, "f.txt").newContent };
	} catch (error) {
		return { error: error instanceof Error ? error.message : String(error) };
	}
}

async function pis(item: Case): Promise<{ content: string } | { error: string }> {
	const mod: unknown = await import(join(PI160_ROOT, "dist/core/tools/edit-diff.js"));
	try {
		const result = callMethod(mod, "applyEditsToNormalizedContent", item.content, item.edits, "f.txt");
		const newContent = typeof result === "object" && result !== null ? Reflect.get(result, "newContent") : undefined;
		return { content: String(newContent) };
	} catch (error) {
		return { error: error instanceof Error ? error.message : String(error) };
	}
}

describe("edit matching over pi's cases", () => {
	for (const item of CASES) {
		test(item.name, async () => {
			const result = ours(item);
			expect(result).toEqual(item.expected);
			if (hasPi160) expect(result).toEqual(await pis(item));
		});
	}

	test("the diff is computed against the file as it was", () => {
		const content = "keep \u201Cme\u201D  \nsay \u201Chi\u201D\n";
		const { baseContent } = applyEdits(content, [{ oldText: 'say "hi"', newText: "x" }], "f.txt");
		expect(baseContent).toBe(content);
	});
});
