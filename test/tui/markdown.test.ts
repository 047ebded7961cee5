import { describe, expect, test } from "bun:test";
import { Markdown } from "../../src/tui/components/markdown.ts";
import { stripAnsi, visibleWidth } from "../../src/tui/text-utils.ts";

function plain(text: string, width = 60): string[] {
	return new Markdown(text, 0, 0).render(width).map((line) => stripAnsi(line).trimEnd());
}

describe("Markdown", () => {
	test("headings: h1 underlined bold, h2 bold, h3 keeps its ### prefix", () => {
		const md = new Markdown("# One\n\n## Two\n\n### Three", 0, 0);
		const lines = md.render(40);
		expect(lines.map(stripAnsi)).toEqual(["One", "", "Two", "", "### Three"]);
		expect(lines[0]).toContain("\x1b[4m");
		expect(lines[0]).toContain("\x1b[1m");
		expect(lines[2]).toContain("\x1b[1m");
		expect(lines[2]).not.toContain("\x1b[4m");
	});

	test("inline styles: bold, italic, code, strikethrough, links, escapes, snake_case untouched", () => {
		const line = new Markdown(
			"**b** *i* `c` ~~s~~ [site](https://e.com) <https://a.b> snake_case_name \\*lit\\*",
			0,
			0,
		).render(200)[0];
		expect(line).toBeDefined();
		expect(stripAnsi(line ?? "")).toBe("b i c s site (https://e.com) https://a.b snake_case_name *lit*");
		expect(line).toContain("\x1b[1mb\x1b[22m");
		expect(line).toContain("\x1b[3mi\x1b[23m");
		expect(line).toContain("\x1b[9ms\x1b[29m");
		expect(plain("[https://x.io](https://x.io)")).toEqual(["https://x.io"]);
	});

	test("paragraphs wrap to the width and keep styles across the break", () => {
		const lines = new Markdown(`**${"word ".repeat(12).trim()}**`, 0, 0).render(20);
		expect(lines.length).toBeGreaterThan(2);
		for (const line of lines) {
			expect(visibleWidth(line)).toBeLessThanOrEqual(20);
			expect(line.startsWith("\x1b[1m")).toBe(true);
		}
	});

	test("padding is applied on the left and to the wrap width", () => {
		const lines = new Markdown("hello world", 2, 1).render(40);
		expect(lines).toEqual(["", "  hello world", ""]);
	});

	test("fenced code block with borders, indentation and (lazy) highlighting; unclosed fence while streaming", () => {
		const lines = new Markdown("```ts\nconst x = 1;\n```", 0, 0).render(40);
		expect(lines.map(stripAnsi)).toEqual(["```ts", "  const x = 1;", "```"]);
		expect(lines[1]).toContain("\x1b[38;"); // highlighted
		expect(plain("```\nstill streaming")).toEqual(["```", "  still streaming", "```"]);
		expect(plain("```python\n\tindented\n```")).toEqual(["```python", "      indented", "```"]);
	});

	test("a code line wider than the block is cut at the width, keeping every space", () => {
		expect(new Markdown("```\nab    cd    ef    gh\n```", 0, 0).render(12).map(stripAnsi)).toEqual([
			"```",
			"  ab    cd  ",
			"    ef    gh",
			"```",
		]);
	});

	test("lists: bullets, ordered, nested with wrapped continuation", () => {
		expect(plain("- a\n- b\n  - nested\n1. one\n2. two")).toEqual(["- a", "- b", "  - nested", "1. one", "2. two"]);
		const wrapped = plain("- alpha beta gamma delta", 12);
		expect(wrapped).toEqual(["- alpha beta", "  gamma", "  delta"]);
	});

	test("blockquotes and horizontal rules", () => {
		expect(plain("> quoted\n> text\n\n---", 10)).toEqual(["│ quoted", "│ text", "", "──────────"]);
	});

	test("tables: box drawing, alignment, columns shrink to fit", () => {
		expect(plain("| a | b |\n|---|--:|\n| x | 10 |\n| yy | 2 |")).toEqual([
			"┌────┬────┐",
			"│ a  │  b │",
			"├────┼────┤",
			"│ x  │ 10 │",
			"│ yy │  2 │",
			"└────┴────┘",
		]);
		const narrow = plain("| col | text |\n|---|---|\n| 1 | a fairly long cell text |", 20);
		for (const line of narrow) expect(visibleWidth(line)).toBeLessThanOrEqual(20);
		expect(narrow.join("\n")).toContain("fairly");
	});

	test("render is cached per (text, width)", () => {
		const md = new Markdown("some *text*", 0, 0);
		const first = md.render(30);
		expect(md.render(30)).toBe(first);
		expect(md.render(31)).not.toBe(first);
		md.setText("other");
		expect(md.render(31).map(stripAnsi)).toEqual(["other"]);
	});

	test("no rendered line exceeds the width, even with CJK and emoji", () => {
		const text =
			"# 标题 heading\n\n中文段落，这是一个很长的句子用于测试换行。😀😀😀 emoji\n\n- 列表项目 with **粗体** text";
		for (const width of [8, 13, 27]) {
			for (const line of new Markdown(text, 1, 0).render(width)) expect(visibleWidth(line)).toBeLessThanOrEqual(width);
		}
	});
});
