/** Inline Markdown (code spans, emphasis, strikethrough, links) to ANSI-styled text. */

export interface InlineStyles {
	bold(text: string): string;
	italic(text: string): string;
	strikethrough(text: string): string;
	code(text: string): string;
	link(text: string): string;
	linkUrl(text: string): string;
}

const ESCAPABLE = "\\`*_{}[]()#+-.!|~<>";

function isWordChar(ch: string | undefined): boolean {
	return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}

/** Finds the closing delimiter, skipping escaped characters and code spans. */
function findClosing(text: string, delimiter: string, from: number): number {
	for (let i = from; i < text.length; i++) {
		const ch = text[i];
		if (ch === "\\") {
			i++;
			continue;
		}
		if (ch === "`") {
			const end = text.indexOf("`", i + 1);
			if (end !== -1) i = end;
			continue;
		}
		if (text.startsWith(delimiter, i) && i > from && text[i - 1] !== " ") {
			// A single * or _ must not be half of a double one.
			if (delimiter.length === 1 && text[i + 1] === delimiter) {
				i++;
				continue;
			}
			return i;
		}
	}
	return -1;
}

export function renderInline(text: string, styles: InlineStyles): string {
	let out = "";
	let i = 0;
	while (i < text.length) {
		const ch = text[i] ?? "";
		const next = text[i + 1];
		if (ch === "\\" && next !== undefined && ESCAPABLE.includes(next)) {
			out += next;
			i += 2;
			continue;
		}
		if (ch === "`") {
			let ticks = 1;
			while (text[i + ticks] === "`") ticks++;
			const fence = "`".repeat(ticks);
			const end = text.indexOf(fence, i + ticks);
			if (end !== -1) {
				const content = text.slice(i + ticks, end);
				out += styles.code(
					content.length > 2 && content.startsWith(" ") && content.endsWith(" ") ? content.slice(1, -1) : content,
				);
				i = end + ticks;
				continue;
			}
		}
		if ((ch === "*" || ch === "_") && next === ch && text[i + 2] !== " ") {
			const end = findClosing(text, ch + ch, i + 2);
			if (end !== -1 && (ch === "*" || !isWordChar(text[i - 1]))) {
				out += styles.bold(renderInline(text.slice(i + 2, end), styles));
				i = end + 2;
				continue;
			}
		}
		if ((ch === "*" || ch === "_") && next !== ch && next !== " " && next !== undefined) {
			const end = findClosing(text, ch, i + 1);
			const boundaryOk = ch === "*" || (!isWordChar(text[i - 1]) && !isWordChar(text[end + 1]));
			if (end !== -1 && boundaryOk) {
				out += styles.italic(renderInline(text.slice(i + 1, end), styles));
				i = end + 1;
				continue;
			}
		}
		if (ch === "~" && next === "~") {
			const end = findClosing(text, "~~", i + 2);
			if (end !== -1) {
				out += styles.strikethrough(renderInline(text.slice(i + 2, end), styles));
				i = end + 2;
				continue;
			}
		}
		if (ch === "[") {
			const link = /^\[([^\]]*)\]\(([^)\s]*)(?:\s+"[^"]*")?\)/.exec(text.slice(i));
			if (link) {
				const label = link[1] ?? "";
				const url = link[2] ?? "";
				const shown = styles.link(renderInline(label || url, styles));
				out += label && label !== url ? `${shown}${styles.linkUrl(` (${url})`)}` : shown;
				i += link[0].length;
				continue;
			}
		}
		if (ch === "<") {
			const auto = /^<((?:https?|mailto):[^>\s]+)>/.exec(text.slice(i));
			if (auto) {
				out += styles.link(auto[1] ?? "");
				i += auto[0].length;
				continue;
			}
		}
		out += ch;
		i++;
	}
	return out;
}
