/** A small block-level Markdown parser: just the constructs an assistant's replies use. */

export type Block =
	| { type: "heading"; level: number; text: string }
	| { type: "paragraph"; text: string }
	| { type: "code"; lang: string; code: string }
	| { type: "hr" }
	| { type: "quote"; blocks: Block[] }
	| { type: "list"; items: ListItem[] }
	| { type: "table"; header: string[]; align: Array<"left" | "center" | "right">; rows: string[][] };

export interface ListItem {
	depth: number;
	/** "-" for bullets, "3." style marker for ordered items. */
	marker: string;
	text: string;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^\s`]*)/;
const HEADING = /^ {0,3}(#{1,6})(?:\s+(.*?))?\s*#*\s*$/;
const HR = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}> ?(.*)$/;
const LIST_ITEM = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

function splitRow(line: string): string[] {
	let row = line.trim();
	if (row.startsWith("|")) row = row.slice(1);
	if (row.endsWith("|") && !row.endsWith("\\|")) row = row.slice(0, -1);
	const cells: string[] = [];
	let current = "";
	for (let i = 0; i < row.length; i++) {
		const ch = row[i];
		if (ch === "\\" && row[i + 1] === "|") {
			current += "|";
			i++;
		} else if (ch === "|") {
			cells.push(current.trim());
			current = "";
		} else current += ch;
	}
	cells.push(current.trim());
	return cells;
}

function startsBlock(line: string, next: string | undefined): boolean {
	return (
		FENCE.test(line) ||
		HEADING.test(line) ||
		HR.test(line) ||
		QUOTE.test(line) ||
		LIST_ITEM.test(line) ||
		(line.includes("|") && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes("-"))
	);
}

export function parseBlocks(source: string): Block[] {
	return parseLines(source.replace(/\r\n?/g, "\n").split("\n"));
}

/** The blocks of a text and the offset of the line each starts on, so a longer version can reuse finished ones. */
export interface ParsedMarkdown {
	source: string;
	blocks: Block[];
	/** Where each block's first line starts in `source`; empty when `source` holds a carriage return. */
	offsets: number[];
}

/**
 * Blocks of `source`; when it extends `previous` (an answer streaming in), the blocks that the added text cannot
 * change are taken over and only the rest is parsed, so a delta costs the open block, not the whole message. A
 * block is final once the line after the next block's first line is complete: no block looks further ahead.
 */
export function parseMarkdown(source: string, previous?: ParsedMarkdown): ParsedMarkdown {
	const reused = previous ? reusableBlocks(source, previous) : 0;
	const from = reused > 0 ? (previous?.offsets[reused] ?? 0) : 0;
	if (source.indexOf("\r", from) !== -1) return { source, blocks: parseBlocks(source), offsets: [] };
	const lines = source.slice(from).split("\n");
	const starts: number[] = [];
	const tail = parseLines(lines, starts);
	const blocks = reused > 0 && previous ? previous.blocks.slice(0, reused) : [];
	const offsets = reused > 0 && previous ? previous.offsets.slice(0, reused) : [];
	let line = 0;
	let offset = from;
	for (const start of starts) {
		for (; line < start; line++) offset += (lines[line]?.length ?? 0) + 1;
		offsets.push(offset);
	}
	for (const block of tail) blocks.push(block);
	return { source, blocks, offsets };
}

/** How many of `previous`'s leading blocks hold in `source` too (0 unless it extends the previous text). */
function reusableBlocks(source: string, previous: ParsedMarkdown): number {
	const old = previous.source;
	if (previous.offsets.length === 0 || source.length < old.length || !source.startsWith(old)) return 0;
	// Lines up to the previous text's last newline are complete; the one after may still grow.
	const complete = old.lastIndexOf("\n");
	for (let k = previous.blocks.length - 1; k > 0; k--) {
		const start = previous.offsets[k] ?? 0;
		const first = source.indexOf("\n", start);
		const second = first === -1 ? -1 : source.indexOf("\n", first + 1);
		if (second !== -1 && second <= complete) return k;
	}
	return 0;
}

/** Blocks of normalised lines; `starts` receives the line index each top-level block starts on. */
function parseLines(lines: string[], starts?: number[]): Block[] {
	const blocks: Block[] = [];
	let i = 0;
	while (i < lines.length) {
		const line = lines[i] ?? "";
		if (line.trim() === "") {
			i++;
			continue;
		}
		starts?.push(i);
		const fence = FENCE.exec(line);
		if (fence) {
			const marker = fence[1] ?? "```";
			const code: string[] = [];
			i++;
			// An unclosed fence (still streaming) runs to the end.
			while (i < lines.length && !(lines[i] ?? "").trim().startsWith(marker)) code.push(lines[i++] ?? "");
			i++;
			blocks.push({ type: "code", lang: fence[2] ?? "", code: code.join("\n") });
			continue;
		}
		const heading = HEADING.exec(line);
		if (heading) {
			blocks.push({ type: "heading", level: heading[1]?.length ?? 1, text: heading[2] ?? "" });
			i++;
			continue;
		}
		if (HR.test(line)) {
			blocks.push({ type: "hr" });
			i++;
			continue;
		}
		if (QUOTE.test(line)) {
			const inner: string[] = [];
			while (i < lines.length && QUOTE.test(lines[i] ?? "")) inner.push(QUOTE.exec(lines[i++] ?? "")?.[1] ?? "");
			blocks.push({ type: "quote", blocks: parseBlocks(inner.join("\n")) });
			continue;
		}
		if (LIST_ITEM.test(line)) {
			const items: ListItem[] = [];
			const indents: number[] = [];
			while (i < lines.length) {
				const current = lines[i] ?? "";
				const item = LIST_ITEM.exec(current);
				if (item) {
					const indent = (item[1] ?? "").replace(/\t/g, "    ").length;
					while (indents.length > 0 && (indents[indents.length - 1] ?? 0) > indent) indents.pop();
					if (indents.length === 0 || (indents[indents.length - 1] ?? 0) < indent) indents.push(indent);
					const marker = item[2] ?? "-";
					items.push({ depth: indents.length - 1, marker: /\d/.test(marker) ? marker : "-", text: item[3] ?? "" });
					i++;
				} else if (current.trim() !== "" && /^\s+/.test(current) && items.length > 0) {
					// Indented continuation of the previous item.
					const last = items[items.length - 1];
					if (last) last.text += ` ${current.trim()}`;
					i++;
				} else if (current.trim() === "" && LIST_ITEM.test(lines[i + 1] ?? "")) {
					i++; // loose list: blank line between items
				} else break;
			}
			blocks.push({ type: "list", items });
			continue;
		}
		const next = lines[i + 1];
		if (line.includes("|") && next !== undefined && TABLE_SEPARATOR.test(next) && next.includes("-")) {
			const header = splitRow(line);
			const align = splitRow(next).map((cell) =>
				cell.startsWith(":") && cell.endsWith(":") ? "center" : cell.endsWith(":") ? "right" : "left",
			) as Array<"left" | "center" | "right">;
			const rows: string[][] = [];
			i += 2;
			while (i < lines.length && (lines[i] ?? "").includes("|") && (lines[i] ?? "").trim() !== "") {
				rows.push(splitRow(lines[i++] ?? ""));
			}
			blocks.push({ type: "table", header, align, rows });
			continue;
		}
		const paragraph: string[] = [line.trim()];
		i++;
		while (i < lines.length && (lines[i] ?? "").trim() !== "" && !startsBlock(lines[i] ?? "", lines[i + 1])) {
			paragraph.push((lines[i++] ?? "").trim());
		}
		blocks.push({ type: "paragraph", text: paragraph.join("\n") });
	}
	return blocks;
}
