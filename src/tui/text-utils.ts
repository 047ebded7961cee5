import { graphemes } from "./graphemes.ts";

type StringWidth = (text: string) => number;
let stringWidthOf: StringWidth | undefined;

/**
 * string-width, loaded on first use (the bundler gives it a chunk of its own): loading it builds an Intl.Segmenter
 * (ICU's break rules) and Unicode property regexes, which the text drawn before the first key press never needs:
 * the fast paths below measure it.
 */
function stringWidth(text: string): number {
	stringWidthOf ??= (require("string-width") as { default: StringWidth }).default;
	return stringWidthOf(text);
}

/** CSI sequences, OSC (BEL or ST terminated), APC strings and two-byte escapes. */
const ANSI_SOURCE = String.raw`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b_[^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]`;
const ANSI_PATTERN = new RegExp(ANSI_SOURCE, "g");
const ANSI_AT_START = new RegExp(`^(?:${ANSI_SOURCE})`);
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const SGR_RESET = "\x1b[0m";

export function stripAnsi(text: string): string {
	return text.replace(ANSI_PATTERN, "");
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const UNSAFE_CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;
/** The 8-bit forms: CSI (0x9b) with its parameters, OSC/DCS/APC/PM strings (0x9d, 0x90, 0x9f, 0x9e) to ST/BEL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const C1_SEQUENCES = /\x9b[0-?]*[ -/]*[@-~]|[\x90\x9d\x9e\x9f][^\x07\x9c]*(?:\x07|\x9c)/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const UNSAFE_CONTROLS_GLOBAL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/g;

/**
 * Text from the model (answers, thinking, tool-call arguments) as safe to draw: it may carry terminal control
 * sequences — an OSC 52 clipboard write, a window title, the alternate screen, a cursor move — that would act on
 * the user's terminal if written raw. Escape sequences, C0 controls other than newline and tab, DEL and C1 controls
 * are removed; plain text comes back unchanged (and unallocated).
 */
export function sanitizeForTerminal(text: string): string {
	if (!UNSAFE_CONTROLS.test(text)) return text;
	return stripAnsi(text).replace(C1_SEQUENCES, "").replace(UNSAFE_CONTROLS_GLOBAL, "");
}

/**
 * Code units that always take exactly one column and never combine with what follows (string-width agrees for
 * each of them; a test checks every one): printable ASCII, Latin, Greek, Cyrillic, general punctuation, arrows,
 * mathematical operators, box drawing, blocks, geometric shapes, braille and a few check marks. Strings made only
 * of these (the UI's borders and most text) are measured by their length instead of by string-width, whose emoji
 * regex costs far more.
 */
export const SINGLE_WIDTH_RANGES: readonly (readonly [number, number])[] = [
	[0x20, 0x7e],
	[0xa1, 0xac],
	[0xae, 0x2ff],
	[0x391, 0x3a1],
	[0x3a3, 0x3c9],
	[0x401, 0x40c],
	[0x40e, 0x44f],
	[0x2010, 0x2027],
	[0x2030, 0x205e],
	[0x2070, 0x2071],
	[0x2074, 0x208e],
	[0x20a0, 0x20c0],
	[0x2190, 0x21ff],
	[0x2200, 0x22ff],
	[0x2500, 0x25fc],
	[0x2713, 0x2713],
	[0x2717, 0x2717],
	[0x2800, 0x28ff],
];

const singleWidth = new Uint8Array(0x2900);
for (const [from, to] of SINGLE_WIDTH_RANGES) singleWidth.fill(1, from, to + 1);

const unit = (code: number) => `\\u${code.toString(16).padStart(4, "0")}`;
/**
 * Only single-width code units. A regular expression rather than a loop over the string: the borders and lines
 * drawn at startup would make a JavaScript loop hot enough for JSC's optimizing compiler before the first key press
 * (~2 MB of resident memory for the compiler), and the regex engine's compiled matcher is as fast.
 */
const SINGLE_WIDTH_ONLY = new RegExp(
	`^[${SINGLE_WIDTH_RANGES.map(([from, to]) => `${unit(from)}-${unit(to)}`).join("")}]*$`,
);

/** Width of `text` when every code unit is single-width (see above), else -1. */
function fastWidth(text: string): number {
	return SINGLE_WIDTH_ONLY.test(text) ? text.length : -1;
}

/** Columns a string occupies on screen: ANSI codes count 0, CJK and emoji count 2. */
export function visibleWidth(text: string): number {
	if (PLAIN_ASCII.test(text)) return text.length;
	const fast = fastWidth(text);
	if (fast !== -1) return fast;
	const plain = text.includes("\x1b") ? stripAnsi(text) : text;
	const plainFast = fastWidth(plain);
	if (plainFast !== -1) return plainFast;
	return stringWidth(plain.replace(/\t/g, "   "));
}

function graphemeWidth(grapheme: string): number {
	if (grapheme.length === 1) {
		const code = grapheme.charCodeAt(0);
		if (code < 0x2900 && singleWidth[code] === 1) return 1;
		if (code === 9) return 3;
	}
	return stringWidth(grapheme);
}

export type TextToken = { kind: "ansi"; text: string } | { kind: "char"; text: string; width: number };

/** Splits text into escape sequences and graphemes (with their column widths). */
export function tokenize(text: string): TextToken[] {
	const tokens: TextToken[] = [];
	let plainStart = 0;
	const flushPlain = (end: number) => {
		if (end <= plainStart) return;
		const run = text.slice(plainStart, end);
		// Single-width runs (no combining marks, no emoji) need no grapheme segmentation.
		if (fastWidth(run) !== -1) {
			for (let i = 0; i < run.length; i++) tokens.push({ kind: "char", text: run.charAt(i), width: 1 });
			return;
		}
		for (const { segment } of graphemes(run)) {
			tokens.push({ kind: "char", text: segment, width: graphemeWidth(segment) });
		}
	};
	let i = text.indexOf("\x1b");
	while (i !== -1) {
		const match = ANSI_AT_START.exec(text.slice(i, i + 512));
		if (match) {
			flushPlain(i);
			tokens.push({ kind: "ansi", text: match[0] });
			plainStart = i + match[0].length;
			i = text.indexOf("\x1b", plainStart);
		} else {
			i = text.indexOf("\x1b", i + 1);
		}
	}
	flushPlain(text.length);
	return tokens;
}

/**
 * Tracks which SGR attributes are open so a wrapped line can close them and the next line can reopen exactly those
 * (not the whole history of codes).
 */
class StyleTracker {
	private attrs = new Map<string, string>();
	active = "";

	apply(code: string): void {
		if (!code.startsWith("\x1b[") || !code.endsWith("m")) return;
		const params = code.slice(2, -1).split(";");
		for (let i = 0; i < params.length; i++) {
			const p = params[i] === "" ? 0 : Number(params[i]);
			if (p === 38 || p === 48 || p === 58) {
				// Extended colour: 38;5;n or 38;2;r;g;b
				const take = params[i + 1] === "5" ? 2 : params[i + 1] === "2" ? 4 : 0;
				const key = p === 38 ? "fg" : p === 48 ? "bg" : "ul";
				this.attrs.set(key, params.slice(i, i + 1 + take).join(";"));
				i += take;
			} else this.applySimple(p);
		}
		this.active = this.attrs.size === 0 ? "" : `\x1b[${[...this.attrs.values()].join(";")}m`;
	}

	private applySimple(p: number): void {
		const attrs = this.attrs;
		if (p === 0) attrs.clear();
		else if (p === 1) attrs.set("bold", "1");
		else if (p === 2) attrs.set("dim", "2");
		else if (p === 22) {
			attrs.delete("bold");
			attrs.delete("dim");
		} else if (p >= 3 && p <= 9) attrs.set(`a${p}`, String(p));
		else if (p >= 23 && p <= 29) attrs.delete(`a${p - 20}`);
		else if ((p >= 30 && p <= 37) || (p >= 90 && p <= 97)) attrs.set("fg", String(p));
		else if (p === 39) attrs.delete("fg");
		else if ((p >= 40 && p <= 47) || (p >= 100 && p <= 107)) attrs.set("bg", String(p));
		else if (p === 49) attrs.delete("bg");
	}
}

/** Truncates to `width` columns, appending `ellipsis` when something was cut. Styles are closed if cut. */
export function truncateToWidth(text: string, width: number, ellipsis = "…"): string {
	if (visibleWidth(text) <= width) return text;
	const ellipsisWidth = visibleWidth(ellipsis);
	const budget = Math.max(0, width - ellipsisWidth);
	let out = "";
	let used = 0;
	for (const token of tokenize(text)) {
		if (token.kind === "ansi") {
			out += token.text;
			continue;
		}
		if (used + token.width > budget) break;
		out += token.text;
		used += token.width;
	}
	const tail = ellipsisWidth <= width ? ellipsis : "";
	return `${out}${SGR_RESET}${tail}`;
}

/**
 * Word-wraps text (which may contain ANSI styles and newlines) to `width` columns. Styles open at a break are closed
 * at the end of that line and reopened on the next one, so each line renders correctly on its own.
 */
export function wrapTextWithAnsi(text: string, width: number): string[] {
	const safeWidth = Math.max(1, width);
	const result: string[] = [];
	const styles = new StyleTracker();
	for (const logicalLine of text.split("\n")) {
		for (const line of wrapOneLine(logicalLine, safeWidth, styles)) result.push(line);
	}
	return result;
}

function wrapOneLine(line: string, width: number, styles: StyleTracker): string[] {
	// Most lines are single-width text: wrapped by slicing, with the same rules as below.
	if (!styles.active && !line.includes("\x1b") && fastWidth(line) !== -1) return wrapPlain(line, width);
	const styled = wrapStyled(line, width, styles);
	if (styled) return styled;
	return wrapTokens(line, width, styles);
}

/**
 * The general wrapping path (any text, graphemes measured one by one). Exported so tests can check the fast
 * paths against it.
 */
export function wrapTokenized(text: string, width: number): string[] {
	const styles = new StyleTracker();
	const result: string[] = [];
	for (const logicalLine of text.split("\n")) {
		for (const line of wrapTokens(logicalLine, Math.max(1, width), styles)) result.push(line);
	}
	return result;
}

function wrapTokens(line: string, width: number, styles: StyleTracker): string[] {
	const lines: string[] = [];
	let current = styles.active;
	let currentWidth = 0;
	let continuation = false;
	/** Spaces held back until we know whether the next word fits (no trailing spaces at wrap points). */
	let pendingSpaces: TextToken[] = [];
	const pushLine = () => {
		lines.push(styles.active ? current + SGR_RESET : current);
		current = styles.active;
		currentWidth = 0;
		continuation = true;
	};
	const appendStyles = (tokens: TextToken[]) => {
		for (const t of tokens) {
			if (t.kind !== "ansi") continue;
			styles.apply(t.text);
			current += t.text;
		}
	};
	const appendTokens = (tokens: TextToken[], dropOverflowingSpaces: boolean) => {
		for (const token of tokens) {
			if (token.kind === "ansi") {
				styles.apply(token.text);
				current += token.text;
				continue;
			}
			if (currentWidth + token.width > width && currentWidth > 0) {
				if (dropOverflowingSpaces) continue;
				pushLine();
			}
			current += token.text;
			currentWidth += token.width;
		}
	};
	const pendingWidth = () => pendingSpaces.reduce((sum, t) => sum + (t.kind === "char" ? t.width : 0), 0);
	for (const chunk of splitWords(tokenize(line))) {
		if (chunk.isSpace) {
			// Leading spaces on a wrapped line are dropped; only their styles survive.
			if (continuation && currentWidth === 0) appendStyles(chunk.tokens);
			else pendingSpaces.push(...chunk.tokens);
			continue;
		}
		if (chunk.width === 0) {
			appendStyles(chunk.tokens);
			continue;
		}
		if (currentWidth > 0 && currentWidth + pendingWidth() + chunk.width > width) {
			appendStyles(pendingSpaces);
			pendingSpaces = [];
			pushLine();
		} else {
			appendTokens(pendingSpaces, true);
			pendingSpaces = [];
		}
		appendTokens(chunk.tokens, false);
	}
	appendTokens(pendingSpaces, true);
	lines.push(styles.active ? current + SGR_RESET : current);
	return lines;
}

/**
 * wrapOneLine for single-width text, as [start, end) slices of it: the same rules (a word that does not fit starts
 * a new line, spaces at a break are dropped, a word longer than the line is cut), without tokenizing.
 */
function planWrap(text: string, width: number): [number, number][] {
	if (text.length <= width) return [[0, text.length]];
	const out: [number, number][] = [];
	let start = -1;
	let end = 0;
	let used = 0;
	let continuation = false;
	let pendingStart = 0;
	let pending = 0;
	const pushLine = () => {
		out.push([start === -1 ? end : start, end]);
		start = -1;
		used = 0;
		continuation = true;
	};
	/** Held-back spaces that still fit are kept; the rest are dropped. */
	const flushSpaces = () => {
		const keep = Math.min(pending, Math.max(width - used, used === 0 ? 1 : 0));
		if (keep > 0) {
			if (start === -1) start = pendingStart;
			end = pendingStart + keep;
			used += keep;
		}
		pending = 0;
	};
	const pattern = / +|[^ ]+/g;
	for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
		const index = match.index;
		const length = match[0].length;
		if (text.charCodeAt(index) === 32) {
			if (!(continuation && used === 0)) {
				pendingStart = index;
				pending = length;
			}
			continue;
		}
		if (used > 0 && used + pending + length > width) {
			pending = 0;
			pushLine();
		} else flushSpaces();
		let position = index;
		let remaining = length;
		while (used + remaining > width) {
			if (used > 0 && used >= width) {
				pushLine();
				continue;
			}
			const take = width - used;
			if (start === -1) start = position;
			end = position + take;
			used += take;
			position += take;
			remaining -= take;
			pushLine();
		}
		if (start === -1) start = position;
		end = position + remaining;
		used += remaining;
	}
	flushSpaces();
	out.push([start === -1 ? end : start, end]);
	return out;
}

function wrapPlain(line: string, width: number): string[] {
	return planWrap(line, width).map(([start, end]) => line.slice(start, end));
}

/**
 * A styled line whose text is single-width: the breaks are planned on the plain text, then the style codes are put
 * back where they were, each line closing the styles it leaves open and the next reopening them. Undefined when the
 * text is not single-width (the tokenizing path handles it).
 */
function wrapStyled(line: string, width: number, styles: StyleTracker): string[] | undefined {
	let plain = "";
	const codes: { position: number; text: string }[] = [];
	let last = 0;
	ANSI_PATTERN.lastIndex = 0;
	for (let match = ANSI_PATTERN.exec(line); match; match = ANSI_PATTERN.exec(line)) {
		plain += line.slice(last, match.index);
		codes.push({ position: plain.length, text: match[0] });
		last = match.index + match[0].length;
	}
	plain += line.slice(last);
	if (fastWidth(plain) === -1) return undefined;
	const ranges = planWrap(plain, width);
	const lines: string[] = [];
	let code = 0;
	for (let k = 0; k < ranges.length; k++) {
		const [start, end] = ranges[k] ?? [0, 0];
		const lastLine = k === ranges.length - 1;
		// Codes in the dropped spaces before this line only change the style it opens with.
		while (code < codes.length && (codes[code]?.position ?? 0) < start) styles.apply(codes[code++]?.text ?? "");
		let out = styles.active;
		let position = start;
		while (code < codes.length) {
			const next = codes[code];
			// A code at a break belongs to the next line (it opens with it); the last line takes them all.
			if (!next || next.position > end || (next.position === end && !lastLine)) break;
			out += plain.slice(position, next.position) + next.text;
			position = next.position;
			styles.apply(next.text);
			code++;
		}
		out += plain.slice(position, end);
		if (lastLine)
			for (; code < codes.length; code++) {
				out += codes[code]?.text ?? "";
				styles.apply(codes[code]?.text ?? "");
			}
		lines.push(styles.active ? out + SGR_RESET : out);
	}
	return lines;
}

/** Cuts one line (no newlines) every `width` columns, keeping all spaces (code); styles carry across the cuts. */
export function hardWrapWithAnsi(line: string, width: number): string[] {
	const safeWidth = Math.max(1, width);
	const styles = new StyleTracker();
	const lines: string[] = [];
	let current = "";
	let used = 0;
	for (const token of tokenize(line)) {
		if (token.kind === "ansi") styles.apply(token.text);
		else if (used + token.width > safeWidth && used > 0) {
			lines.push(styles.active ? current + SGR_RESET : current);
			current = styles.active;
			used = 0;
		}
		current += token.text;
		if (token.kind === "char") used += token.width;
	}
	lines.push(styles.active ? current + SGR_RESET : current);
	return lines;
}

interface WordChunk {
	isSpace: boolean;
	width: number;
	tokens: TextToken[];
}

function splitWords(tokens: TextToken[]): WordChunk[] {
	const chunks: WordChunk[] = [];
	let chunk: WordChunk | undefined;
	for (const token of tokens) {
		if (token.kind === "ansi") {
			if (!chunk) {
				chunk = { isSpace: false, width: 0, tokens: [] };
				chunks.push(chunk);
			}
			chunk.tokens.push(token);
			continue;
		}
		const isSpace = token.text === " ";
		if (!chunk || (chunk.isSpace !== isSpace && chunk.width > 0)) {
			chunk = { isSpace, width: 0, tokens: [] };
			chunks.push(chunk);
		}
		chunk.isSpace = isSpace;
		chunk.tokens.push(token);
		chunk.width += token.width;
	}
	return chunks;
}

/** Pads with spaces to exactly `width` columns (truncating if longer). */
export function padToWidth(text: string, width: number): string {
	const w = visibleWidth(text);
	if (w > width) return truncateToWidth(text, width, "");
	return text + " ".repeat(width - w);
}

/**
 * The columns [start, end) of a styled line: the styles open at `start` are re-opened first, a wide character cut by
 * either edge becomes spaces, and open styles are closed at the end. Used to lay overlays and highlights over lines.
 */
export function sliceColumns(line: string, start: number, end: number): string {
	if (end <= start) return "";
	const styles = new StyleTracker();
	let out = "";
	let col = 0;
	let opened = false;
	const open = () => {
		if (opened) return;
		out = styles.active;
		opened = true;
	};
	for (const token of tokenize(line)) {
		if (col >= end) break;
		if (token.kind === "ansi") {
			if (col >= start) {
				open();
				out += token.text;
			}
			styles.apply(token.text);
			continue;
		}
		const next = col + token.width;
		if (next > start) {
			open();
			// A wide character straddling an edge cannot be drawn in part.
			if (col < start || next > end) out += " ".repeat(Math.min(next, end) - Math.max(col, start));
			else out += token.text;
		}
		col = next;
	}
	open();
	const used = Math.max(0, Math.min(col, end) - start);
	if (used < end - start) out += " ".repeat(end - start - used);
	return out + SGR_RESET;
}
