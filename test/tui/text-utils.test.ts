import { describe, expect, test } from "bun:test";
import stringWidth from "string-width";
import {
	hardWrapWithAnsi,
	SINGLE_WIDTH_RANGES,
	sliceColumns,
	stripAnsi,
	truncateToWidth,
	visibleWidth,
	wrapTextWithAnsi,
	wrapTokenized,
} from "../../src/tui/text-utils.ts";
import { rgbTo256 } from "../../src/tui/theme.ts";

/** Each visible character of a row with the bold and colour in force there (the row read on its own). */
function cellStyles(row: string): string[] {
	let bold = false;
	let color = "";
	const out: string[] = [];
	// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR sequences
	for (const [token] of row.matchAll(/\x1b\[([0-9;]*)m|./gsu)) {
		// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR sequences
		const params = /^\x1b\[([0-9;]*)m$/.exec(token)?.[1];
		if (params === undefined) {
			out.push(`${token}${bold ? "B" : ""}${color}`);
			continue;
		}
		for (const code of params.split(";")) {
			if (code === "0" || code === "") {
				bold = false;
				color = "";
			} else if (code === "1") bold = true;
			else if (code === "22") bold = false;
			else if (code === "39") color = "";
			else color = code;
		}
	}
	return out;
}

describe("text utils", () => {
	test("visibleWidth ignores ANSI and counts wide characters", () => {
		expect(visibleWidth("abc")).toBe(3);
		expect(visibleWidth("\x1b[1;31mabc\x1b[0m")).toBe(3);
		expect(visibleWidth("中文")).toBe(4);
		expect(visibleWidth("😀")).toBe(2);
		expect(visibleWidth("👍🏽")).toBe(2);
		expect(visibleWidth("a\x1b_pi:c\x07b")).toBe(2);
		expect(visibleWidth("\x1b]8;;https://x\x07link\x1b]8;;\x07")).toBe(4);
	});

	test("truncateToWidth cuts at a grapheme boundary, adds ellipsis and closes styles", () => {
		expect(truncateToWidth("hello world", 8)).toBe("hello w\x1b[0m…");
		expect(truncateToWidth("short", 8)).toBe("short");
		expect(truncateToWidth("中文中文", 5, "")).toBe("中文\x1b[0m");
		expect(visibleWidth(truncateToWidth("\x1b[1m😀😀😀", 5))).toBeLessThanOrEqual(5);
	});

	test("wrapTextWithAnsi wraps words, splits long words and keeps styles per line", () => {
		expect(wrapTextWithAnsi("the quick brown fox", 10)).toEqual(["the quick", "brown fox"]);
		expect(wrapTextWithAnsi("abcdefghij", 4)).toEqual(["abcd", "efgh", "ij"]);
		expect(wrapTextWithAnsi("a\nb", 4)).toEqual(["a", "b"]);
		const styled = wrapTextWithAnsi("\x1b[31mred words here\x1b[39m after", 10);
		expect(styled[0]).toBe("\x1b[31mred words\x1b[0m");
		expect(styled[1]).toBe("\x1b[31mhere\x1b[39m after");
		expect(wrapTextWithAnsi("中文中文中", 4)).toEqual(["中文", "中文", "中"]);
	});

	test("256-colour approximation", () => {
		expect(rgbTo256(255, 0, 0)).toBe(196);
		expect(rgbTo256(128, 128, 128)).toBe(244);
	});

	test("hardWrapWithAnsi cuts every width columns, keeps spaces and carries styles across the cut", () => {
		expect(hardWrapWithAnsi("ab  cd  ef", 4)).toEqual(["ab  ", "cd  ", "ef"]);
		expect(hardWrapWithAnsi("\x1b[31mabcdef\x1b[39m", 4)).toEqual(["\x1b[31mabcd\x1b[0m", "\x1b[31mef\x1b[39m"]);
		expect(hardWrapWithAnsi("中文中", 3)).toEqual(["中", "文", "中"]);
	});

	test("every code point measured by the fast path is one column for string-width too", () => {
		const wrong: string[] = [];
		for (const [from, to] of SINGLE_WIDTH_RANGES) {
			for (let code = from; code <= to; code++) {
				const ch = String.fromCharCode(code);
				if (stringWidth(ch) !== 1 || visibleWidth(ch) !== 1) wrong.push(code.toString(16));
			}
		}
		expect(wrong).toEqual([]);
		expect(visibleWidth("─".repeat(40))).toBe(40);
		expect(visibleWidth("\x1b[2m─── ✓ π → ⋯\x1b[0m")).toBe(11);
		// Combining marks and emoji still go through string-width.
		expect(visibleWidth("e\u0301")).toBe(1);
		expect(visibleWidth("a⭐")).toBe(3);
	});

	test("the fast wrapping paths break lines exactly where the general path does, styles kept", () => {
		let seed = 42;
		const random = () => {
			seed = (seed * 1103515245 + 12345) % 2147483648;
			return seed / 2147483648;
		};
		const words = ["a", "to", "the", "quick", "─────", "supercalifragilistic", "x·y", "", " "];
		const codes = ["\x1b[1m", "\x1b[22m", "\x1b[31m", "\x1b[39m", "\x1b[0m"];
		for (let round = 0; round < 3000; round++) {
			const styled = round % 2 === 1;
			const parts: string[] = [];
			const count = 1 + Math.floor(random() * 12);
			for (let i = 0; i < count; i++) {
				let word = words[Math.floor(random() * words.length)] ?? "a";
				if (styled && random() < 0.4) {
					const at = Math.floor(random() * (word.length + 1));
					word = word.slice(0, at) + (codes[Math.floor(random() * codes.length)] ?? "") + word.slice(at);
				}
				parts.push(word);
			}
			const line = parts.join(" ".repeat(1 + Math.floor(random() * 3)));
			const width = 1 + Math.floor(random() * 14);
			const fast = wrapTextWithAnsi(line, width);
			const general = wrapTokenized(line, width);
			// Same text on the same rows; style codes may sit on either side of a break.
			expect({ line, width, rows: fast.map(stripAnsi) }).toEqual({ line, width, rows: general.map(stripAnsi) });
			// Every row stands alone: each character has the same bold and colour in both.
			if (styled)
				expect({ line, width, rows: fast.map(cellStyles) }).toEqual({ line, width, rows: general.map(cellStyles) });
		}
	});

	test("sliceColumns keeps the styles open at the cut and pads short lines", () => {
		expect(sliceColumns("\x1b[31mabcdef\x1b[39m", 2, 4)).toBe("\x1b[31mcd\x1b[0m");
		expect(stripAnsi(sliceColumns("ab", 1, 4))).toBe("b  ");
		expect(stripAnsi(sliceColumns("中文", 1, 3))).toBe("  ");
	});
});
