import { describe, expect, test } from "bun:test";
import { hardWrapWithAnsi, truncateToWidth, visibleWidth, wrapTextWithAnsi } from "../../src/tui/text-utils.ts";
import { rgbTo256 } from "../../src/tui/theme.ts";

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
});
