import type { Component } from "../component.ts";
import { hardWrapWithAnsi, visibleWidth, wrapTextWithAnsi } from "../text-utils.ts";
import { theme } from "../theme.ts";
import { type Block, type ListItem, type ParsedMarkdown, parseMarkdown } from "./markdown-blocks.ts";
import { highlightCode } from "./markdown-highlight.ts";
import { type InlineStyles, renderInline } from "./markdown-inline.ts";
import { highlighterGeneration } from "./shiki-highlight.ts";

/** Styling hooks; defaults come from the active theme's md* and syntax* colours. */
export interface MarkdownTheme extends InlineStyles {
	heading(text: string): string;
	underline(text: string): string;
	codeBlock(text: string): string;
	codeBlockBorder(text: string): string;
	quote(text: string): string;
	quoteBorder(text: string): string;
	hr(text: string): string;
	listBullet(text: string): string;
	tableBorder(text: string): string;
	/** Highlighted lines, or undefined to fall back to `codeBlock`. */
	highlightCode?(code: string, lang: string): string[] | undefined;
	codeBlockIndent: string;
}

/** The `markdown.codeBlockIndent` setting (pi 1.6.0): what code block lines start with. */
let codeBlockIndent = "  ";

/** Sets the code block indent of every default-themed Markdown (their cached lines must then be invalidated). */
export function setCodeBlockIndent(indent: string): void {
	codeBlockIndent = indent;
}

export function defaultMarkdownTheme(): MarkdownTheme {
	return {
		heading: (text) => theme.fg("mdHeading", text),
		bold: theme.bold,
		italic: theme.italic,
		strikethrough: theme.strikethrough,
		underline: theme.underline,
		code: (text) => theme.fg("mdCode", text),
		link: (text) => theme.underline(theme.fg("mdLink", text)),
		linkUrl: (text) => theme.fg("mdLinkUrl", text),
		codeBlock: (text) => theme.fg("mdCodeBlock", text),
		codeBlockBorder: (text) => theme.fg("mdCodeBlockBorder", text),
		quote: (text) => theme.italic(theme.fg("mdQuote", text)),
		quoteBorder: (text) => theme.fg("mdQuoteBorder", text),
		hr: (text) => theme.fg("mdHr", text),
		listBullet: (text) => theme.fg("mdListBullet", text),
		tableBorder: (text) => theme.fg("mdCodeBlockBorder", text),
		highlightCode,
		get codeBlockIndent() {
			return codeBlockIndent;
		},
	};
}

/**
 * Markdown rendered to wrapped, styled lines; output is cached per (text, width). While an answer streams in, the
 * text only grows: the blocks it cannot change anymore are kept parsed and laid out (parseMarkdown), so a frame
 * parses and lays out the open last block only, not the whole message.
 */
export class Markdown implements Component {
	private cache: { text: string; width: number; generation: number; lines: string[] } | undefined;
	private parsed: ParsedMarkdown | undefined;
	private layout: Layout | undefined;
	private readonly theme: MarkdownTheme;

	constructor(
		private text = "",
		private paddingX = 1,
		private paddingY = 0,
		markdownTheme?: MarkdownTheme,
	) {
		this.theme = markdownTheme ?? defaultMarkdownTheme();
	}

	setText(text: string): void {
		this.text = text;
	}

	invalidate(): void {
		this.cache = undefined;
		this.layout = undefined;
	}

	render(width: number): string[] {
		// A language finishing loading in shiki changes how code blocks look: the generation tells.
		const generation = highlighterGeneration();
		const cache = this.cache;
		if (cache && cache.text === this.text && cache.width === width && cache.generation === generation) {
			return cache.lines;
		}
		let lines: string[] = [];
		if (this.text.trim() !== "") {
			const contentWidth = Math.max(4, width - this.paddingX * 2);
			if (this.layout?.width !== contentWidth || this.layout.generation !== generation) {
				this.layout = { width: contentWidth, generation, blocks: [], ends: [], lines: [] };
			}
			this.parsed = parseMarkdown(this.text, this.parsed);
			const body = layOut(this.parsed.blocks, this.layout, this.theme, " ".repeat(this.paddingX));
			if (this.paddingY === 0) lines = body;
			else {
				for (let i = 0; i < this.paddingY; i++) lines.push("");
				for (const line of body) lines.push(line);
				for (let i = 0; i < this.paddingY; i++) lines.push("");
			}
		}
		this.cache = { text: this.text, width, generation, lines };
		return lines;
	}
}

/** Padded lines of leading blocks laid out at one width, blank lines between them; `ends[i]`: lines up to block i. */
interface Layout {
	width: number;
	generation: number;
	blocks: Block[];
	ends: number[];
	lines: string[];
}

/**
 * The lines of `blocks`: the leading ones that are the very blocks laid out before (parseMarkdown keeps the
 * finished ones) come from `layout`; the others are laid out now, and all but the last kept for the next frame.
 */
function layOut(blocks: Block[], layout: Layout, md: MarkdownTheme, pad: string): string[] {
	let kept = 0;
	while (kept < layout.blocks.length && kept < blocks.length && layout.blocks[kept] === blocks[kept]) kept++;
	if (kept < layout.blocks.length) {
		layout.blocks.length = kept;
		layout.ends.length = kept;
		layout.lines.length = kept > 0 ? (layout.ends[kept - 1] ?? 0) : 0;
	}
	const padded = (rendered: string[]) => (pad === "" ? rendered : rendered.map((line) => pad + line));
	for (let index = kept; index < blocks.length - 1; index++) {
		const block = blocks[index];
		if (!block) break;
		if (index > 0) layout.lines.push("");
		for (const line of padded(renderBlock(block, layout.width, md))) layout.lines.push(line);
		layout.blocks.push(block);
		layout.ends.push(layout.lines.length);
	}
	const last = blocks.length > layout.blocks.length ? blocks[blocks.length - 1] : undefined;
	if (!last) return layout.lines.slice();
	const tail = padded(renderBlock(last, layout.width, md));
	return layout.blocks.length > 0 ? layout.lines.concat("", tail) : tail;
}

function renderBlocks(blocks: Block[], width: number, md: MarkdownTheme): string[] {
	const lines: string[] = [];
	blocks.forEach((block, index) => {
		if (index > 0) lines.push("");
		for (const line of renderBlock(block, width, md)) lines.push(line);
	});
	return lines;
}

function renderBlock(block: Block, width: number, md: MarkdownTheme): string[] {
	switch (block.type) {
		case "heading": {
			const text = renderInline(block.text, md);
			const styled =
				block.level === 1
					? md.heading(md.bold(md.underline(text)))
					: block.level === 2
						? md.heading(md.bold(text))
						: md.heading(md.bold(`${"#".repeat(block.level)} ${text}`));
			return wrapTextWithAnsi(styled, width);
		}
		case "paragraph":
			return wrapTextWithAnsi(renderInline(block.text, md), width);
		case "hr":
			return [md.hr("─".repeat(Math.min(width, 80)))];
		case "code":
			return renderCode(block.code, block.lang, width, md);
		case "quote": {
			const inner = renderBlocks(block.blocks, Math.max(1, width - 2), md);
			return inner.map((line) => md.quoteBorder("│ ") + md.quote(line));
		}
		case "list":
			return renderList(block.items, width, md);
		case "table":
			return renderTable(block, width, md);
	}
}

function renderCode(code: string, lang: string, width: number, md: MarkdownTheme): string[] {
	const indent = md.codeBlockIndent;
	const codeWidth = Math.max(1, width - visibleWidth(indent));
	const source = code.replace(/\t/g, "    ");
	const highlighted = md.highlightCode?.(source, lang) ?? source.split("\n").map((line) => md.codeBlock(line));
	const lines = [md.codeBlockBorder(`\`\`\`${lang}`)];
	for (const line of highlighted) {
		for (const part of wrapCodeLine(line, codeWidth)) lines.push(indent + part);
	}
	lines.push(md.codeBlockBorder("```"));
	return lines;
}

/** Code keeps its spacing: hard-wrap at the width instead of word-wrapping. */
function wrapCodeLine(line: string, width: number): string[] {
	if (visibleWidth(line) <= width) return [line];
	return hardWrapWithAnsi(line, width);
}

function renderList(items: ListItem[], width: number, md: MarkdownTheme): string[] {
	const lines: string[] = [];
	for (const item of items) {
		const indent = "  ".repeat(item.depth);
		const bullet = item.marker === "-" ? "- " : `${item.marker} `;
		const prefixWidth = indent.length + visibleWidth(bullet);
		const wrapped = wrapTextWithAnsi(renderInline(item.text, md), Math.max(1, width - prefixWidth));
		wrapped.forEach((line, i) => {
			lines.push(i === 0 ? indent + md.listBullet(bullet) + line : " ".repeat(prefixWidth) + line);
		});
	}
	return lines;
}

function renderTable(block: Extract<Block, { type: "table" }>, width: number, md: MarkdownTheme): string[] {
	const columns = Math.max(block.header.length, ...block.rows.map((row) => row.length));
	const cell = (row: string[], c: number) => renderInline(row[c] ?? "", md);
	const header = Array.from({ length: columns }, (_, c) => md.bold(cell(block.header, c)));
	const rows = block.rows.map((row) => Array.from({ length: columns }, (_, c) => cell(row, c)));
	const natural = Array.from({ length: columns }, (_, c) =>
		Math.max(1, visibleWidth(header[c] ?? ""), ...rows.map((row) => visibleWidth(row[c] ?? ""))),
	);
	// Borders and padding take 3 columns per cell plus one.
	const budget = Math.max(columns, width - (3 * columns + 1));
	const widths = fitColumns(natural, budget);
	const border = (left: string, mid: string, right: string) =>
		md.tableBorder(left + widths.map((w) => "─".repeat(w + 2)).join(mid) + right);
	const renderRow = (cells: string[]) => {
		const wrapped = cells.map((text, c) => wrapTextWithAnsi(text, widths[c] ?? 1));
		const height = Math.max(...wrapped.map((w) => w.length));
		const out: string[] = [];
		for (let r = 0; r < height; r++) {
			const parts = wrapped.map((w, c) => align(w[r] ?? "", widths[c] ?? 1, block.align[c] ?? "left"));
			out.push(md.tableBorder("│ ") + parts.join(md.tableBorder(" │ ")) + md.tableBorder(" │"));
		}
		return out;
	};
	const lines = [border("┌", "┬", "┐"), ...renderRow(header), border("├", "┼", "┤")];
	for (const row of rows) lines.push(...renderRow(row));
	lines.push(border("└", "┴", "┘"));
	return lines;
}

/** Shrinks the widest columns first until the total fits. */
function fitColumns(natural: number[], budget: number): number[] {
	const widths = [...natural];
	let total = widths.reduce((a, b) => a + b, 0);
	while (total > budget) {
		let widest = 0;
		for (let i = 1; i < widths.length; i++) if ((widths[i] ?? 0) > (widths[widest] ?? 0)) widest = i;
		if ((widths[widest] ?? 1) <= 1) break;
		widths[widest] = (widths[widest] ?? 1) - 1;
		total--;
	}
	return widths;
}

function align(text: string, width: number, alignment: "left" | "center" | "right"): string {
	const space = Math.max(0, width - visibleWidth(text));
	if (alignment === "right") return " ".repeat(space) + text;
	if (alignment === "center") return " ".repeat(Math.floor(space / 2)) + text + " ".repeat(Math.ceil(space / 2));
	return text + " ".repeat(space);
}
