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
 * Where `next` continues what `old` showed from row `row` on: the same component, at the row where the old row's
 * text starts (`cut`: the columns before it are already in the scrollback, e.g. the start of a paragraph rewrapped
 * to the new width). Rows of components that are gone map proportionally.
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
	const oldLines = old.parts[part] ?? [];
	const newLines = next.parts[target] ?? [];
	const base = next.offsets[target] ?? 0;
	// Only a first guess: a component still streaming has grown since, so its rows are searched for by text.
	const guess = oldLines.length > 0 ? Math.round((offset * newLines.length) / oldLines.length) : 0;
	const mapped = mapInPart(oldLines, newLines, offset, guess);
	if (mapped) return { row: base + mapped.row, cut: mapped.cut };
	return { row: base + Math.max(0, Math.min(guess, newLines.length)), cut: 0 };
}

/** Rows looked at above and below a blank row for the text that places it. */
const BLANK_RUN_LIMIT = 64;

function mapInPart(
	oldLines: readonly string[],
	newLines: readonly string[],
	offset: number,
	guess: number,
): { row: number; cut: number } | undefined {
	if (plain(oldLines[offset] ?? "")) return findText(oldLines[offset] ?? "", newLines, guess);
	// A blank row (between paragraphs) has no text of its own: it is placed by the text next to it, which keeps its
	// order and its blank rows when rewrapped — the paragraph below it, else the end of the paragraph above.
	for (let below = offset + 1; below < Math.min(oldLines.length, offset + BLANK_RUN_LIMIT); below++) {
		if (!plain(oldLines[below] ?? "")) continue;
		const found = findText(oldLines[below] ?? "", newLines, guess + below - offset);
		if (found && found.cut === 0 && found.row >= below - offset) return { row: found.row - (below - offset), cut: 0 };
		break;
	}
	for (let above = offset - 1; above >= Math.max(0, offset - BLANK_RUN_LIMIT); above--) {
		if (!plain(oldLines[above] ?? "")) continue;
		const found = findText(oldLines[above] ?? "", newLines, guess - (offset - above));
		if (!found) return undefined;
		let end = found.row;
		while (end + 1 < newLines.length && plain(newLines[end + 1] ?? "")) end++;
		return { row: Math.min(newLines.length, end + 1 + (offset - above - 1)), cut: 0 };
	}
	return undefined;
}

/** Shortest start of a row's text that identifies it when the new width wraps the rest onto the next row. */
const MIN_SPLIT_MATCH = 8;

/**
 * The new row where the text of `line` starts, searched outwards from `guess` over the whole part (a streaming
 * answer's rows move by more than a few rows while it grows), and the columns before it on that row.
 */
function findText(line: string, newLines: readonly string[], guess: number): { row: number; cut: number } | undefined {
	const needle = plain(line).slice(0, 24);
	if (!needle) return undefined;
	const reach = Math.max(guess, newLines.length - guess);
	for (let delta = 0; delta <= reach; delta++) {
		for (const candidate of delta === 0 ? [guess] : [guess - delta, guess + delta]) {
			if (candidate < 0 || candidate >= newLines.length) continue;
			const text = stripAnsi((newLines[candidate] ?? "").split(CURSOR_MARKER).join(""));
			const at = startOf(needle, text);
			if (at === -1) continue;
			const before = text.slice(0, at);
			return { row: candidate, cut: before.trim() === "" ? 0 : visibleWidth(before) };
		}
	}
	return undefined;
}

/**
 * Where `needle` starts in `text`: the whole of it, or (narrower now) the end of `text` is its first part, the rest
 * wrapped onto the next row. -1 when not there.
 */
function startOf(needle: string, text: string): number {
	const at = text.indexOf(needle);
	if (at !== -1) return at;
	const trimmed = text.trimEnd();
	for (
		let start = trimmed.indexOf(needle[0] ?? "");
		start !== -1;
		start = trimmed.indexOf(needle[0] ?? "", start + 1)
	) {
		const rest = trimmed.slice(start);
		if (rest.length >= Math.min(MIN_SPLIT_MATCH, needle.length) && needle.startsWith(rest)) return start;
	}
	return -1;
}

/** `line` with its first `columns` columns blanked (they were shown already). */
export function withoutStart(line: string, columns: number): string {
	if (columns <= 0) return line;
	return " ".repeat(columns) + sliceColumns(line, columns, Math.max(columns, visibleWidth(line)));
}

function plain(line: string): string {
	return stripAnsi(line.split(CURSOR_MARKER).join("")).trim();
}
