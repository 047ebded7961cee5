/**
 * Syntax colouring for code in the export (fenced blocks, files read or written). highlight.js escapes the code
 * itself and wraps tokens in `hljs-*` classes, which the stylesheet maps to the theme's syntax colours. Without it,
 * or for unknown languages, code is only escaped.
 *
 * Only highlight.js's core and the languages below are bundled (the common ones, as the terminal's shiki offers):
 * all 190 of its languages were 1.1 MB of JavaScript, which the compiled binary holds twice (source and bytecode).
 */
import { escapeHtml } from "./html-escape.ts";

/** Larger code is shown plain: colouring it would slow the export for little benefit. */
const MAX_HIGHLIGHT_CHARS = 200_000;

type HighlightJs = typeof import("highlight.js");
type LanguageDefinition = Parameters<HighlightJs["registerLanguage"]>[1];

/** Literal paths, so the bundler embeds exactly these; evaluated on the first export that colours code. */
function bundledLanguages(): Record<string, LanguageDefinition> {
	return {
		bash: require("highlight.js/lib/languages/bash"),
		c: require("highlight.js/lib/languages/c"),
		clojure: require("highlight.js/lib/languages/clojure"),
		cpp: require("highlight.js/lib/languages/cpp"),
		csharp: require("highlight.js/lib/languages/csharp"),
		css: require("highlight.js/lib/languages/css"),
		dart: require("highlight.js/lib/languages/dart"),
		diff: require("highlight.js/lib/languages/diff"),
		dockerfile: require("highlight.js/lib/languages/dockerfile"),
		elixir: require("highlight.js/lib/languages/elixir"),
		erlang: require("highlight.js/lib/languages/erlang"),
		fsharp: require("highlight.js/lib/languages/fsharp"),
		go: require("highlight.js/lib/languages/go"),
		groovy: require("highlight.js/lib/languages/groovy"),
		haskell: require("highlight.js/lib/languages/haskell"),
		ini: require("highlight.js/lib/languages/ini"),
		java: require("highlight.js/lib/languages/java"),
		javascript: require("highlight.js/lib/languages/javascript"),
		json: require("highlight.js/lib/languages/json"),
		julia: require("highlight.js/lib/languages/julia"),
		kotlin: require("highlight.js/lib/languages/kotlin"),
		lisp: require("highlight.js/lib/languages/lisp"),
		lua: require("highlight.js/lib/languages/lua"),
		makefile: require("highlight.js/lib/languages/makefile"),
		markdown: require("highlight.js/lib/languages/markdown"),
		nix: require("highlight.js/lib/languages/nix"),
		objectivec: require("highlight.js/lib/languages/objectivec"),
		perl: require("highlight.js/lib/languages/perl"),
		php: require("highlight.js/lib/languages/php"),
		plaintext: require("highlight.js/lib/languages/plaintext"),
		powershell: require("highlight.js/lib/languages/powershell"),
		python: require("highlight.js/lib/languages/python"),
		r: require("highlight.js/lib/languages/r"),
		ruby: require("highlight.js/lib/languages/ruby"),
		rust: require("highlight.js/lib/languages/rust"),
		scala: require("highlight.js/lib/languages/scala"),
		scheme: require("highlight.js/lib/languages/scheme"),
		scss: require("highlight.js/lib/languages/scss"),
		shell: require("highlight.js/lib/languages/shell"),
		sql: require("highlight.js/lib/languages/sql"),
		swift: require("highlight.js/lib/languages/swift"),
		typescript: require("highlight.js/lib/languages/typescript"),
		xml: require("highlight.js/lib/languages/xml"),
		yaml: require("highlight.js/lib/languages/yaml"),
	};
}

let engine: HighlightJs | null | undefined;

function loadEngine(): HighlightJs | null {
	if (engine === undefined) {
		try {
			const core = require("highlight.js/lib/core") as HighlightJs;
			for (const [name, language] of Object.entries(bundledLanguages())) core.registerLanguage(name, language);
			engine = core;
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
