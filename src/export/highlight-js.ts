/**
 * highlight.js's core with the languages the export colours (code-highlight.ts says which and why). The binary
 * carries this module as an island — bundled on its own, JavaScript outside the bytecode (src/util/embedded-asset.ts,
 * HIGHLIGHT_JS) — since only an HTML export uses it.
 */
export type HighlightJs = typeof import("highlight.js");
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

/** The engine with the bundled languages registered. */
export function createHighlightJs(): HighlightJs {
	const core = require("highlight.js/lib/core") as HighlightJs;
	for (const [name, language] of Object.entries(bundledLanguages())) core.registerLanguage(name, language);
	return core;
}
