/**
 * Transcript search in fullscreen mode: a box at the top right (pi's layout) with the query and "n/m", matches
 * underlined in the transcript and the current one in reverse video. Matching is case-insensitive over the rows'
 * plain text; the whole transcript is rendered once for it (off-screen rows included), later searches reuse that.
 */
import type { Component, Focusable } from "../component.ts";
import { Input } from "../components/input.ts";
import { sliceColumns, stripAnsi, truncateToWidth, visibleWidth } from "../text-utils.ts";
import type { RowRef } from "./transcript-view.ts";

export interface SearchMatch {
	ref: RowRef;
	/** Absolute transcript row when searched. */
	row: number;
	startCol: number;
	endCol: number;
}

const plainRows = new WeakMap<readonly string[], string[]>();

/** Plain text of a rendered row (cached per line array). */
function plainOf(lines: readonly string[], index: number): string {
	let plain = plainRows.get(lines);
	if (!plain) {
		plain = new Array<string>(lines.length);
		plainRows.set(lines, plain);
	}
	let text = plain[index];
	if (text === undefined) {
		text = stripAnsi(lines[index] ?? "");
		plain[index] = text;
	}
	return text;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range check
const ASCII = /^[\x00-\x7f]*$/;

/** Every match of `query` in `lines` (each a rendered row with its origin). */
export function findMatches(
	rows: { lines: readonly string[]; refs: readonly RowRef[] },
	query: string,
	sources: (ref: RowRef) => readonly string[],
): SearchMatch[] {
	const needle = query.replace(/\s+/g, " ").trim().toLowerCase();
	if (!needle) return [];
	const matches: SearchMatch[] = [];
	for (let row = 0; row < rows.refs.length; row++) {
		const ref = rows.refs[row];
		if (!ref) continue;
		const text = plainOf(sources(ref), ref.row).toLowerCase();
		let from = text.indexOf(needle);
		while (from !== -1) {
			const ascii = ASCII.test(text);
			const startCol = ascii ? from : visibleWidth(text.slice(0, from));
			const endCol = ascii ? from + needle.length : startCol + visibleWidth(text.slice(from, from + needle.length));
			matches.push({ ref, row, startCol, endCol });
			from = text.indexOf(needle, from + Math.max(1, needle.length));
		}
	}
	return matches;
}

/** `line` with columns [start, end) restyled by `style` (their text kept, its own colours dropped). */
export function highlightColumns(line: string, start: number, end: number, style: (text: string) => string): string {
	if (end <= start) return line;
	const width = visibleWidth(line);
	const middle = stripAnsi(sliceColumns(line, start, end));
	return `${sliceColumns(line, 0, start)}${style(middle)}\x1b[0m${end < width ? sliceColumns(line, end, width) : ""}`;
}

export interface SearchBoxKeys {
	next(data: string): boolean;
	previous(data: string): boolean;
	close(data: string): boolean;
	/** Key names shown on the box's buttons. */
	nextLabel: string;
	previousLabel: string;
}

/** The search box; it has focus while open (typing edits the query). */
export class SearchBox implements Component, Focusable {
	private readonly input = new Input("");
	private current = -1;
	private count = 0;

	constructor(
		private readonly keys: SearchBoxKeys,
		private readonly onQuery: (query: string) => void,
		private readonly onNavigate: (direction: -1 | 1) => void,
		private readonly onClose: () => void,
	) {
		this.input.onChange = (value) => this.onQuery(value);
	}

	get focused(): boolean {
		return this.input.focused;
	}

	set focused(value: boolean) {
		this.input.focused = value;
	}

	get query(): string {
		return this.input.getValue();
	}

	setResult(current: number, count: number): void {
		this.current = current;
		this.count = count;
	}

	handleInput(data: string): void {
		if (this.keys.close(data)) this.onClose();
		else if (this.keys.previous(data)) this.onNavigate(-1);
		else if (this.keys.next(data)) this.onNavigate(1);
		else this.input.handleInput(data);
	}

	render(width: number): string[] {
		if (width < 3) return ["┌", "│", "└"];
		const inner = width - 2;
		const query = this.input.getValue();
		const result = !query ? "" : this.count === 0 ? "No matches" : `${this.current + 1}/${this.count}`;
		const resultText = result ? `\x1b[2m ${truncateToWidth(result, Math.max(0, inner - 3), "")} \x1b[22m` : "";
		const inputWidth = Math.max(1, inner - visibleWidth(resultText));
		const inputLine = truncateToWidth(this.input.render(inputWidth)[0] ?? "", inputWidth, "");
		const content = `${inputLine}${" ".repeat(Math.max(0, inputWidth - visibleWidth(inputLine)))}${resultText}`;
		let buttons = `↑ ${this.keys.previousLabel} · ↓ ${this.keys.nextLabel}`;
		if (visibleWidth(buttons) > inner - 3) buttons = "↑ ↓";
		const left = Math.max(0, inner - visibleWidth(buttons) - 3);
		return [`┌${"─".repeat(inner)}┐`, `│${content}│`, `└${"─".repeat(left)} ${buttons} ─┘`];
	}
}
