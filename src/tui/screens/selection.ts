/**
 * Mouse selection of transcript text in fullscreen mode: a press starts it, dragging extends it, a double click
 * selects a word and a triple click a line. Points are a transcript row (component + row inside it) and a column,
 * so the selection stays on its text while the view scrolls. The copied text is the rows' plain text, trailing
 * spaces dropped, rows joined by newlines.
 */
import type { Component } from "../component.ts";
import { graphemes } from "../graphemes.ts";
import { stripAnsi, visibleWidth } from "../text-utils.ts";
import type { RowRef } from "./transcript-view.ts";

export interface SelectionPoint extends RowRef {
	col: number;
}

/** Characters that join a word for double-click selection (iTerm2's set, as pi uses). */
const WORD_JOINERS = new Set(["/", "-", "+", "\\", "~", "_", "."]);

function isWordChar(ch: string): boolean {
	return /[\p{L}\p{N}]/u.test(ch) || WORD_JOINERS.has(ch);
}

/** The plain text of a row as cells: one entry per column (wide characters take two, the second empty). */
export function rowCells(line: string): string[] {
	const cells: string[] = [];
	for (const { segment } of graphemes(stripAnsi(line))) {
		const width = visibleWidth(segment);
		if (width <= 0) {
			if (cells.length > 0) cells[cells.length - 1] += segment;
			continue;
		}
		cells.push(segment);
		for (let i = 1; i < width; i++) cells.push("");
	}
	return cells;
}

export class Selection {
	anchor: SelectionPoint;
	focus: SelectionPoint;

	constructor(
		point: SelectionPoint,
		private readonly rowOf: (ref: RowRef) => number,
	) {
		this.anchor = point;
		this.focus = point;
	}

	get isEmpty(): boolean {
		return (
			this.anchor.leaf === this.focus.leaf && this.anchor.row === this.focus.row && this.anchor.col === this.focus.col
		);
	}

	/** Start and end in reading order (end exclusive). */
	ordered(): [SelectionPoint, SelectionPoint] {
		const a = this.rowOf(this.anchor);
		const b = this.rowOf(this.focus);
		if (a < b || (a === b && this.anchor.col <= this.focus.col)) return [this.anchor, this.focus];
		return [this.focus, this.anchor];
	}

	/** Columns [start, end) selected on the row `ref` (at absolute row `row`), or undefined. */
	columnsOn(row: number, width: number): [number, number] | undefined {
		const [start, end] = this.ordered();
		const first = this.rowOf(start);
		const last = this.rowOf(end);
		if (row < first || row > last) return undefined;
		const from = row === first ? start.col : 0;
		const to = row === last ? end.col : width;
		return to > from ? [from, to] : undefined;
	}

	/** Expands both ends to word boundaries on their rows. */
	expandToWord(lines: (leaf: Component) => readonly string[]): void {
		const cells = rowCells(lines(this.anchor.leaf)[this.anchor.row] ?? "");
		let start = Math.min(this.anchor.col, cells.length);
		let end = start;
		const at = cells[start] ?? "";
		if (at && isWordChar(at)) {
			while (start > 0 && isWordChar(cells[start - 1] || "")) start--;
			while (end < cells.length && (cells[end] === "" || isWordChar(cells[end] ?? ""))) end++;
		} else end = Math.min(cells.length, start + 1);
		this.anchor = { ...this.anchor, col: start };
		this.focus = { ...this.anchor, col: end };
	}

	expandToLine(width: number): void {
		this.anchor = { ...this.anchor, col: 0 };
		this.focus = { ...this.anchor, col: width };
	}

	/** The selected text. `rows` lists the rows from start to end in order. */
	text(rows: readonly { ref: RowRef; line: string; absolute: number }[], width: number): string {
		const out: string[] = [];
		for (const { line, absolute } of rows) {
			const cols = this.columnsOn(absolute, width);
			if (!cols) continue;
			const cells = rowCells(line);
			out.push(cells.slice(cols[0], cols[1]).join("").replace(/\s+$/, ""));
		}
		return out.join("\n");
	}
}
