/**
 * Markdown as ANSI lines. Until the TUI's Markdown component lands this keeps the source text and wraps it to
 * the width (a readable stand-in), with an optional colour/italic overlay.
 */
import { wrapTextWithAnsi } from "../../../tui/text-utils.ts";
import { italic as italicStyle } from "../style.ts";

export interface MarkdownLook {
	color?: (text: string) => string;
	italic?: boolean;
}

export function markdownLines(text: string, width: number, look: MarkdownLook = {}): string[] {
	const lines = text.split("\n").flatMap((line) => wrapTextWithAnsi(line, Math.max(1, width)));
	return lines.map((line) => {
		let out = look.color ? look.color(line) : line;
		if (look.italic) out = italicStyle(out);
		return out;
	});
}
