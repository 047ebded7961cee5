// After a resize, regular mode continues right after the last row the terminal has in its scrollback: which row of
// the new frame that is (row-mapping.ts continueAt), also while an answer streams and grows between the two frames.
import { describe, expect, test } from "bun:test";
import type { Component } from "../../src/tui/component.ts";
import { LineStack } from "../../src/tui/container.ts";
import { continueAt } from "../../src/tui/screens/row-mapping.ts";

describe("where a new frame continues an old one (row-mapping.ts)", () => {
	const header: Component = { render: () => [] };
	const answer: Component = { render: () => [] };
	const paragraphs = (count: number, from = 0) =>
		Array.from({ length: count }, (_, i) => [`L${from + i} the quick brown fox`, ""]).flat();

	test("in an answer that grew since (streaming), a row is found by its text however far it moved", () => {
		const old = new LineStack([["header"], paragraphs(60)], [header, answer]);
		// The new frame is narrower (the header takes two rows) and the answer has 40 more paragraphs.
		const next = new LineStack([["head", "er"], paragraphs(100)], [header, answer]);
		const row = 1 + 2 * 50;
		expect(old.line(row)).toBe("L50 the quick brown fox");
		expect(continueAt(old, next, row)).toEqual({ row: 2 + 2 * 50, cut: 0 });
	});

	test("a blank row is placed by the paragraph below it, else after the end of the paragraph above", () => {
		const old = new LineStack([["header"], paragraphs(60)], [header, answer]);
		const next = new LineStack([["head", "er"], paragraphs(100)], [header, answer]);
		expect(old.line(1 + 2 * 50 + 1)).toBe("");
		expect(continueAt(old, next, 1 + 2 * 50 + 1)).toEqual({ row: 2 + 2 * 50 + 1, cut: 0 });
		// The last row of the old answer is blank, with nothing below it in its part.
		const wrapped = ["L59 the quick", "brown fox", ""];
		const grown = new LineStack([["header"], [...paragraphs(59), ...wrapped, "L60"]], [header, answer]);
		expect(continueAt(old, grown, old.length - 1)).toEqual({ row: 1 + 2 * 59 + 2, cut: 0 });
	});
});
