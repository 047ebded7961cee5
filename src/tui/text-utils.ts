import stringWidth from "string-width";

/** CSI sequences, OSC (BEL or ST terminated), APC strings and two-byte escapes. */
const ANSI_SOURCE = String.raw`\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b_[^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]`;
const ANSI_PATTERN = new RegExp(ANSI_SOURCE, "g");
const ANSI_AT_START = new RegExp(`^(?:${ANSI_SOURCE})`);
const PLAIN_ASCII = /^[\x20-\x7e]*$/;
const SGR_RESET = "\x1b[0m";

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

export function stripAnsi(text: string): string {
	return text.replace(ANSI_PATTERN, "");
}

/** Columns a string occupies on screen: ANSI codes count 0, CJK and emoji count 2. */
export function visibleWidth(text: string): number {
	if (PLAIN_ASCII.test(text)) return text.length;
	return stringWidth(stripAnsi(text).replace(/\t/g, "   "));
}

function graphemeWidth(grapheme: string): number {
	if (grapheme.length === 1) {
		const code = grapheme.charCodeAt(0);
		if (code >= 0x20 && code < 0x7f) return 1;
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
		for (const { segment } of graphemeSegmenter.segment(text.slice(plainStart, end))) {
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
