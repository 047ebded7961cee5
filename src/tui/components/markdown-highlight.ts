import type { HighlightOptions } from "cli-highlight";
import { setBounded } from "../bounded-cache.ts";
import { fgColor, theme } from "../theme.ts";
import { shikiHighlight } from "./shiki-highlight.ts";

type HighlightModule = typeof import("cli-highlight");

let highlighter: HighlightModule | null | undefined;

/** cli-highlight (and highlight.js behind it) is loaded on the first code block, not at startup. */
function loadHighlighter(): HighlightModule | null {
	if (highlighter === undefined) {
		try {
			highlighter = require("cli-highlight") as HighlightModule;
		} catch {
			highlighter = null;
		}
	}
	return highlighter;
}

/** Colours per line, so a span crossing a newline stays coloured on both lines. */
function colorizer(token: Parameters<typeof theme.fg>[0]): (text: string) => string {
	return (text) =>
		text
			.split("\n")
			.map((line) => (line ? fgColor(theme.colors[token], line) : line))
			.join("\n");
}

function syntaxTheme(): NonNullable<HighlightOptions["theme"]> {
	const keyword = colorizer("syntaxKeyword");
	const type = colorizer("syntaxType");
	const fn = colorizer("syntaxFunction");
	const variable = colorizer("syntaxVariable");
	const string = colorizer("syntaxString");
	const number = colorizer("syntaxNumber");
	const comment = colorizer("syntaxComment");
	const operator = colorizer("syntaxOperator");
	const punctuation = colorizer("syntaxPunctuation");
	const plain = (text: string) => text;
	return {
		keyword,
		built_in: type,
		type,
		literal: number,
		number,
		regexp: string,
		string,
		subst: plain,
		symbol: string,
		class: type,
		function: fn,
		title: fn,
		params: variable,
		comment,
		doctag: comment,
		meta: comment,
		"meta-keyword": keyword,
		"meta-string": string,
		section: fn,
		tag: punctuation,
		name: keyword,
		"builtin-name": type,
		attr: variable,
		attribute: variable,
		variable,
		bullet: punctuation,
		code: plain,
		emphasis: plain,
		strong: plain,
		formula: plain,
		link: string,
		quote: comment,
		"selector-tag": keyword,
		"selector-id": fn,
		"selector-class": fn,
		"selector-attr": variable,
		"selector-pseudo": variable,
		"template-tag": keyword,
		"template-variable": variable,
		addition: colorizer("toolDiffAdded"),
		deletion: colorizer("toolDiffRemoved"),
		default: plain,
		operator,
		punctuation,
	} as NonNullable<HighlightOptions["theme"]>;
}

const cache = new Map<string, string[]>();
const CACHE_LIMIT = 200;
/** The palette the cached lines were coloured with: a theme switch replaces `theme.colors`, which empties the cache. */
let cachedPalette = theme.colors;

/**
 * Syntax-highlighted lines for a code block, or undefined when the language is unknown (the caller then uses the
 * plain code-block colour). shiki once it has loaded the language (the first request starts loading it), cli-highlight
 * meanwhile and for languages shiki is not offered for.
 */
export function highlightCode(code: string, language: string): string[] | undefined {
	if (!language) return undefined;
	return shikiHighlight(code, language) ?? cliHighlight(code, language);
}

/** cli-highlight (highlight.js) output; cached because streaming re-renders the same finished blocks many times. */
export function cliHighlight(code: string, language: string): string[] | undefined {
	if (!language) return undefined;
	const key = `${language}\u0000${code}`;
	if (cachedPalette !== theme.colors) {
		cache.clear();
		cachedPalette = theme.colors;
	}
	const cached = cache.get(key);
	if (cached) return cached;
	const module = loadHighlighter();
	if (!module?.supportsLanguage(language)) return undefined;
	let lines: string[];
	try {
		lines = module.highlight(code, { language, ignoreIllegals: true, theme: syntaxTheme() }).split("\n");
	} catch {
		return undefined;
	}
	setBounded(cache, key, lines, CACHE_LIMIT);
	return lines;
}
