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

/** `lines` fitted to `width`; the same array comes back for the same input array and width. */
export function fitLines(lines: readonly string[], width: number): readonly string[] {
	const cached = fittedParts.get(lines);
	if (cached && cached.width === width) return cached.lines;
	const fitted = lines.map((line) => fitLine(line, width));
	fittedParts.set(lines, { width, lines: fitted });
	return fitted;
}
