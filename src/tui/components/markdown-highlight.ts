/**
 * Syntax highlighting for code blocks and file contents: one highlighter, shiki (see shiki-highlight.ts). Until
 * shiki has loaded a language the code is drawn in the plain code colour, and drawn again once it is ready; only
 * what is rendered is highlighted (fullscreen renders what is on screen, regular mode never re-renders rows in the
 * scrollback), so resuming a long session does not tokenize its whole history.
 */
import { shikiHighlight } from "./shiki-highlight.ts";

/** Highlighted lines, or undefined when the language is unknown or not loaded yet (the caller draws it plain). */
export function highlightCode(code: string, language: string): string[] | undefined {
	if (!language) return undefined;
	return shikiHighlight(code, language);
}
