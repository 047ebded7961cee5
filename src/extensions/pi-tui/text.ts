/**
 * pi-tui's text and layout components for extensions, with pi-tui's constructors and defaults: a `Text` pads one
 * column and one line and fills every line to the full width; `Box` pads one column and one line; lines are cached
 * until the content or width changes (the renderer compares arrays by identity).
 */

import { fuzzyScore } from "../../ai/list-models.ts";
import type { Component } from "../../tui/component.ts";
import { Box as TuiBox } from "../../tui/components/box.ts";
import { Spacer as TuiSpacer } from "../../tui/components/spacer.ts";
import {
	padToWidth,
	sliceColumns,
	stripAnsi,
	truncateToWidth,
	visibleWidth,
	wrapTextWithAnsi,
} from "../../tui/text-utils.ts";

type Background = (text: string) => string;

/** pi-tui's Text: word-wrapped, padded (defaults 1 and 1), each line filled to the width, optional background. */
export class Text implements Component {
	private cache: { width: number; lines: string[] } | undefined;

	constructor(
		private text = "",
		private paddingX = 1,
		private paddingY = 1,
		private customBgFn?: Background,
	) {}

	setText(text: string): void {
		if (text === this.text) return;
		this.text = text;
		this.cache = undefined;
	}

	getText(): string {
		return this.text;
	}

	setCustomBgFn(fn?: Background): void {
		this.customBgFn = fn;
		this.cache = undefined;
	}

	setPaddingX(paddingX: number): void {
		this.paddingX = paddingX;
		this.cache = undefined;
	}

	invalidate(): void {
		this.cache = undefined;
	}

	render(width: number): string[] {
		if (this.cache?.width === width) return this.cache.lines;
		const lines: string[] = [];
		if (this.text && this.text.trim() !== "") {
			// Margins shrink when the width cannot hold them and some content.
			const paddingX = Math.min(this.paddingX, Math.max(0, Math.floor((width - 1) / 2)));
			const margin = " ".repeat(paddingX);
			const fill = (line: string) => {
				const padded = padToWidth(line, width);
				return this.customBgFn ? this.customBgFn(padded) : padded;
			};
			const blank = fill("");
			for (let i = 0; i < this.paddingY; i++) lines.push(blank);
			const contentWidth = Math.max(1, width - paddingX * 2);
			for (const line of wrapTextWithAnsi(this.text.replace(/\t/g, "   "), contentWidth)) {
				lines.push(fill(margin + line + margin));
			}
			for (let i = 0; i < this.paddingY; i++) lines.push(blank);
		}
		this.cache = { width, lines };
		return lines;
	}
}

/** A single line cut to the width, padded to it (pi-tui's TruncatedText). */
export class TruncatedText implements Component {
	constructor(
		private text: string,
		private paddingX = 0,
		private paddingY = 0,
	) {}

	setText(text: string): void {
		this.text = text;
	}

	invalidate(): void {}

	render(width: number): string[] {
		const margin = " ".repeat(this.paddingX);
		const first = this.text.split("\n")[0] ?? "";
		const line = padToWidth(
			margin + truncateToWidth(first, Math.max(1, width - this.paddingX * 2), "...") + margin,
			width,
		);
		const blank = " ".repeat(width);
		return [
			...Array.from({ length: this.paddingY }, () => blank),
			line,
			...Array.from({ length: this.paddingY }, () => blank),
		];
	}
}

/** pi-tui's Box: our Box (same padding and background rules) with pi-tui's setters. */
export class Box extends TuiBox {
	setBgFn(bgFn?: Background): void {
		this.setBackground(bgFn);
	}
}

/** pi-tui's Spacer (it has invalidate(), which extensions may call). */
export class Spacer extends TuiSpacer {
	invalidate(): void {}
}

/** Columns [start, start + length) of a styled line (pi-tui's sliceByColumn). */
export function sliceByColumn(line: string, startCol: number, length: number): string {
	return sliceColumns(line, startCol, startCol + length);
}

/** Reverse video around the cell drawn as the cursor (pi-tui draws its fake cursor this way). */
export function renderFakeCursor(text: string): string {
	return `\x1b[7m${text}\x1b[27m`;
}

export function stripTerminalSequences(text: string): string {
	return stripAnsi(text);
}

/** Control characters shown as their caret form (^A), so a string cannot move the cursor. */
export function replaceControlCharacters(text: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what is replaced
	return text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (char) =>
		char === "\x7f" ? "^?" : `^${String.fromCharCode(char.charCodeAt(0) + 64)}`,
	);
}

/** pi-tui's fuzzyMatch: all query characters in order; lower scores are better. */
export function fuzzyMatch(query: string, text: string): { matches: boolean; score: number } {
	if (query.length === 0) return { matches: true, score: 0 };
	const score = fuzzyScore(query, text);
	return score === undefined ? { matches: false, score: 0 } : { matches: true, score };
}

export { visibleWidth };
