/**
 * Syntax colouring for code in the export (fenced blocks, files read or written). highlight.js escapes the code
 * itself and wraps tokens in `hljs-*` classes, which the stylesheet maps to the theme's syntax colours. Without it,
 * or for unknown languages, code is only escaped.
 *
 * Only highlight.js's core and the languages below are bundled (the common ones, as the terminal's shiki offers):
 * all 190 of its languages were 1.1 MB of JavaScript, which the compiled binary holds twice (source and bytecode).
 */
import { HIGHLIGHT_JS, requireIsland } from "../util/embedded-asset.ts";
import { escapeHtml } from "./html-escape.ts";

/** Larger code is shown plain: colouring it would slow the export for little benefit. */
const MAX_HIGHLIGHT_CHARS = 200_000;

type HighlightJs = import("./highlight-js.ts").HighlightJs;

let engine: HighlightJs | null | undefined;

function loadEngine(): HighlightJs | null {
	if (engine === undefined) {
		try {
			engine = requireIsland<typeof import("./highlight-js.ts")>(HIGHLIGHT_JS).createHighlightJs();
		} catch {
			engine = null;
		}
	}
	return engine;
}

/** The highlight.js language for a fence tag or file extension ("ts", "py", "rs", …), if it knows one. */
function knownLanguage(nameOrExtension: string | undefined): string | undefined {
	if (!nameOrExtension) return undefined;
	const hljs = loadEngine();
	const name = nameOrExtension.toLowerCase();
	return hljs?.getLanguage(name) ? name : undefined;
}

export function languageForPath(path: string | undefined): string | undefined {
	const match = path ? /\.([A-Za-z0-9+-]+)$/.exec(path) : null;
	return knownLanguage(match?.[1]);
}

/** Escaped HTML for `code`, coloured when the language is known. */
export function highlightCode(code: string, language: string | undefined): string {
	const hljs = loadEngine();
	const known = knownLanguage(language);
	if (!hljs || !known || code.length > MAX_HIGHLIGHT_CHARS) return escapeHtml(code);
	try {
		return hljs.highlight(code, { language: known, ignoreIllegals: true }).value;
	} catch {
		return escapeHtml(code);
	}
}
