/**
 * Makes component lines safe to write: one terminal row each (stray newlines and tabs flattened), no wider than
 * the terminal (truncated), styles closed at the end. The result is kept per source array and width, so a line is
 * fitted once, not every frame.
 */
import { isImageLine } from "./images/terminal-image.ts";
import { truncateToWidth, visibleWidth } from "./text-utils.ts";

export const LINE_RESET = "\x1b[0m";

export function fitLine(line: string, width: number): string {
	// Image lines carry their own cursor movement and payload; measuring or truncating them is meaningless.
	if (isImageLine(line)) return line;
	const flat = /[\n\r\t]/.test(line) ? line.replace(/\r?\n|\r/g, " ").replace(/\t/g, "   ") : line;
	const fitted = visibleWidth(flat) > width ? truncateToWidth(flat, width, "") : flat;
	return fitted + LINE_RESET;
}

const fittedParts = new WeakMap<readonly string[], { width: number; lines: readonly string[] }>();

/**
 * Lines fitted lately, by source line, for one width: a component that draws a new array each frame (a streaming
 * answer) mostly repeats the strings of the frame before, and those are not measured again. Two generations of at
 * most LINES_PER_GENERATION each keep what is in use and let the rest go.
 */
const LINES_PER_GENERATION = 4096;
let recentWidth = -1;
let recent = new Map<string, string>();
let older = new Map<string, string>();

/** Longer lines (image data, say) are fitted directly: hashing them would cost as much as fitting. */
const LONGEST_REMEMBERED = 1024;

function fitRecent(line: string, width: number): string {
	if (line.length > LONGEST_REMEMBERED) return fitLine(line, width);
	if (width !== recentWidth) {
		recentWidth = width;
		recent = new Map();
		older = new Map();
	}
	let fitted = recent.get(line);
	if (fitted !== undefined) return fitted;
	fitted = older.get(line) ?? fitLine(line, width);
	if (recent.size >= LINES_PER_GENERATION) {
		older = recent;
		recent = new Map();
	}
	recent.set(line, fitted);
	return fitted;
}

/** `lines` fitted to `width`; the same array comes back for the same input array and width. */
export function fitLines(lines: readonly string[], width: number): readonly string[] {
	const cached = fittedParts.get(lines);
	if (cached && cached.width === width) return cached.lines;
	const fitted = lines.map((line) => fitRecent(line, width));
	fittedParts.set(lines, { width, lines: fitted });
	return fitted;
}
