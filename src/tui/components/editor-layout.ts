/** The prompt editor's soft wrap: logical lines into rows of the editor's width, and columns within a row. */
import { graphemes } from "../graphemes.ts";
import { visibleWidth } from "../text-utils.ts";

/** One row of the wrapped layout: a slice [start, end) of logical line `line`. */
export interface VisualLine {
	line: number;
	start: number;
	end: number;
}

/** Word-wraps every logical line into rows of at most `width` columns (grapheme and wide-char aware). */
export function wrapEditorLines(lines: readonly string[], width: number): VisualLine[] {
	const rows: VisualLine[] = [];
	lines.forEach((text, line) => {
		if (text.length === 0 || visibleWidth(text) <= width) {
			rows.push({ line, start: 0, end: text.length });
			return;
		}
		let start = 0;
		let used = 0;
		let lastBreak = -1;
		for (const { index, segment } of graphemes(text)) {
			const w = visibleWidth(segment);
			if (used + w > width && index > start) {
				const end = lastBreak > start ? lastBreak : index;
				rows.push({ line, start, end });
				used = visibleWidth(text.slice(end, index));
				start = end;
				lastBreak = -1;
			}
			used += w;
			if (segment === " ") lastBreak = index + 1;
		}
		rows.push({ line, start, end: text.length });
	});
	return rows;
}

/** The row the cursor (logical `line`, `col`) is on. */
export function cursorRowIn(layout: readonly VisualLine[], line: number, col: number): number {
	let found = 0;
	for (let i = 0; i < layout.length; i++) {
		const row = layout[i];
		if (!row || row.line !== line) continue;
		if (col >= row.start) found = i;
	}
	return found;
}

/** The offset in `text` (the row's logical line) of the last grapheme boundary within `column` cells of the row. */
export function offsetAtColumn(text: string, row: VisualLine, column: number): number {
	let col = row.start;
	let used = 0;
	for (const { index, segment } of graphemes(text.slice(row.start, row.end))) {
		const w = visibleWidth(segment);
		if (used + w > column) break;
		used += w;
		col = row.start + index + segment.length;
	}
	return col;
}

/** The editor's top or bottom border; `─── ↑ N more ───` when rows are scrolled out of sight on that side. */
export function editorBorderLine(width: number, hidden: number, arrow: string): string {
	if (hidden === 0) return "─".repeat(width);
	const label = `─── ${arrow} ${hidden} more `;
	if (visibleWidth(label) >= width) return "─".repeat(width);
	return label + "─".repeat(width - visibleWidth(label));
}
