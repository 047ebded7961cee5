/** Markdown rendered to ANSI lines by the TUI's Markdown component, with an optional colour/italic overlay. */
import { Markdown } from "../../../tui/components/markdown.ts";
import { sanitizeForTerminal } from "../../../tui/text-utils.ts";
import { italic as italicStyle } from "../style.ts";

export interface MarkdownLook {
	color?: (text: string) => string;
	italic?: boolean;
}

/** The text is sanitised first: summaries and messages come from the model or extensions (no control sequences). */
export function markdownLines(text: string, width: number, look: MarkdownLook = {}): string[] {
	const lines = new Markdown(sanitizeForTerminal(text), 0, 0).render(Math.max(1, width));
	if (!look.color && !look.italic) return lines;
	return lines.map((line) => {
		let out = look.color ? look.color(line) : line;
		if (look.italic) out = italicStyle(out);
		return out;
	});
}
