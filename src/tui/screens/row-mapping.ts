/**
 * How the rows of two frames of regular mode (inline-screen.ts) relate: where they differ, where the new frame
 * continues what the old one showed (after a resize rewrapped it), and the rows' kitty images. Frames are LineStacks
 * whose parts are owned by transcript components, the dock, or overlay compositing.
 */
import { type Component, CURSOR_MARKER } from "../component.ts";
import type { LineStack } from "../container.ts";
import { kittyImageIds } from "../images/terminal-image.ts";
import { sliceColumns, stripAnsi, visibleWidth } from "../text-utils.ts";

/** Owner of the dock's rows in a LineStack (the dock is drawn as one part). */
export const DOCK: Component = { render: () => [] };
/** Owner of rows replaced by overlay compositing. */
export const OVERLAID: Component = { render: () => [] };

/** Rows a written row takes once the terminal rewraps it to `width` columns. */
export function rowsAfterReflow(line: string, width: number): number {
	return Math.max(1, Math.ceil(visibleWidth(line) / Math.max(1, width)));
}

/** The last row in [first, end) where the two stacks (of equal length) differ, or first - 1. */
export function lastDifference(a: LineStack, b: LineStack, first: number): number {
	let pa = a.parts.length - 1;
	let pb = b.parts.length - 1;
	let row = a.length - 1;
	while (row >= first) {
		const aStart = a.offsets[pa] ?? 0;
		const bStart = b.offsets[pb] ?? 0;
		if (row < aStart) {
			pa--;
			continue;
		}
		if (row < bStart) {
			pb--;
			continue;
		}
		const aLines = a.parts[pa] ?? [];
		const bLines = b.parts[pb] ?? [];
		// Whole identical parts in the same place are skipped unread.
		if (aLines === bLines && aStart === bStart && row === aStart + aLines.length - 1) {
			row = aStart - 1;
			pa--;
			pb--;
			continue;
		}
		if (aLines[row - aStart] !== bLines[row - bStart]) return row;
		row--;
	}
	return first - 1;
}

export function kittyIds(stack: LineStack, from: number, to: number): number[] {
	const ids: number[] = [];
	for (let row = Math.max(0, from); row <= to; row++) {
		const line = stack.line(row);
		if (line.includes("\x1b_G")) for (const id of kittyImageIds(line)) ids.push(id);
	}
	return ids;
}

/**
 * Where `next` continues what `old` showed from row `row` on: the same component, at the same share of its rows, and
 * where the old row's text starts in a nearby new row, from that column (`cut`: the columns before it are already
 * in the scrollback, e.g. the start of a paragraph rewrapped to the new width). Rows of components that are gone
 * map proportionally.
 */
export function continueAt(old: LineStack, next: LineStack, row: number): { row: number; cut: number } {
	if (row <= 0 || old.length === 0) return { row: 0, cut: 0 };
	if (row >= old.length) return { row: next.length, cut: 0 };
	const part = old.partAt(row);
	const owner = old.owners[part];
	let target = next.owners[part] === owner ? part : owner ? next.owners.indexOf(owner) : -1;
	if (owner === DOCK || owner === OVERLAID) target = -1;
	if (target === -1) return { row: Math.min(next.length, Math.round((row * next.length) / old.length)), cut: 0 };
	const offset = row - (old.offsets[part] ?? 0);
	const oldCount = old.parts[part]?.length ?? 0;
	const newLines = next.parts[target] ?? [];
	const guess = oldCount > 0 ? Math.round((offset * newLines.length) / oldCount) : 0;
	const base = next.offsets[target] ?? 0;
	const wanted = plain(old.line(row));
	if (wanted) {
		const needle = wanted.slice(0, 24);
		for (let delta = 0; delta <= 4; delta++) {
			for (const candidate of delta === 0 ? [guess] : [guess - delta, guess + delta]) {
				const text = stripAnsi((newLines[candidate] ?? "").split(CURSOR_MARKER).join(""));
				const at = text.indexOf(needle);
				if (at === -1 || text.slice(0, at).trim() === "") {
					if (at !== -1) return { row: base + candidate, cut: 0 };
					continue;
				}
				return { row: base + candidate, cut: visibleWidth(text.slice(0, at)) };
			}
		}
	}
	return { row: base + Math.max(0, Math.min(guess, newLines.length)), cut: 0 };
}

/** `line` with its first `columns` columns blanked (they were shown already). */
export function withoutStart(line: string, columns: number): string {
	if (columns <= 0) return line;
	return " ".repeat(columns) + sliceColumns(line, columns, Math.max(columns, visibleWidth(line)));
}

function plain(line: string): string {
	return stripAnsi(line.split(CURSOR_MARKER).join("")).trim();
}
