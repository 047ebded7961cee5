/**
 * A text + style snapshot of a VirtualTerminal's visible screen, for golden screen tests: each row's text, then
 * (when styled) its style runs as `from-to attributes` in cell columns, e.g. `0-11 fg#8abeb7 bold`.
 * Replacements make machine- and moment-specific text (temp folders, a spinner's frame) stable; a row they change
 * keeps its text only, since its columns would move with the path's length.
 */
import type { VirtualTerminal } from "./virtual-terminal.ts";

type Cell = NonNullable<ReturnType<VirtualTerminal["getCell"]>>;

const hex = (value: number) => `#${value.toString(16).padStart(6, "0")}`;

function colorOf(cell: Cell, layer: "fg" | "bg"): string | undefined {
	if (layer === "fg") {
		if (cell.isFgDefault()) return undefined;
		return cell.isFgRGB() ? `fg${hex(cell.getFgColor())}` : `fg${cell.getFgColor()}`;
	}
	if (cell.isBgDefault()) return undefined;
	return cell.isBgRGB() ? `bg${hex(cell.getBgColor())}` : `bg${cell.getBgColor()}`;
}

function styleOf(cell: Cell): string {
	const parts = [colorOf(cell, "fg"), colorOf(cell, "bg")];
	if (cell.isBold()) parts.push("bold");
	if (cell.isDim()) parts.push("dim");
	if (cell.isItalic()) parts.push("italic");
	if (cell.isUnderline()) parts.push("underline");
	if (cell.isInverse()) parts.push("inverse");
	if (cell.isStrikethrough()) parts.push("strike");
	return parts.filter(Boolean).join(" ");
}

export function screenSnapshot(
	terminal: VirtualTerminal,
	replacements: ReadonlyArray<[string | RegExp, string]> = [],
): string {
	const rows = terminal.getViewport();
	const out: string[] = [];
	rows.forEach((text, row) => {
		let shown = text;
		for (const [from, to] of replacements)
			shown = typeof from === "string" ? shown.split(from).join(to) : shown.replace(from, to);
		const label = String(row).padStart(2, "0");
		out.push(`${label}|${shown}`);
		if (shown !== text) return;
		const runs: string[] = [];
		let start = 0;
		let current = "";
		for (let col = 0; col <= terminal.columns; col++) {
			const cell = col < terminal.columns ? terminal.getCell(row, col) : undefined;
			const style = cell ? styleOf(cell) : "";
			if (style === current) continue;
			if (current) runs.push(`${start}-${col - 1} ${current}`);
			start = col;
			current = style;
		}
		if (runs.length > 0) out.push(`  ^ ${runs.join("; ")}`);
	});
	return out.join("\n");
}
