/**
 * Syntax highlighting with shiki (TextMate grammars), loaded lazily: nothing of shiki is imported until the first
 * code block asks for a language. Until the highlighter and that language are ready, callers get `undefined` and
 * draw the code plain meanwhile; listeners registered with `onHighlighterReady` hear when a language
 * became available so the UI can redraw.
 *
 * Memory: only shiki's core, its JavaScript regex engine (shiki-regex-engine.ts: patterns converted at build time)
 * and the grammars actually used are loaded, and no bundled colour theme: the one theme is generated here and maps
 * TextMate scopes onto pi's syntax* tokens, so colours always follow the active pi theme (dark or light, built-in or
 * custom) without reloading anything.
 *
 * Speed: a grammar's regexes are compiled the first time each is used (TypeScript: ~80 ms for a long file); the
 * block that triggered loading is therefore tokenized line by line in the background (yielding to the event loop)
 * before the language is announced as ready. Streaming code blocks are tokenized incrementally: finished lines are
 * kept with the grammar state after them, so each new delta only tokenizes the lines that changed.
 */
import type { GrammarState, HighlighterCore, ThemedToken, ThemeRegistration } from "shiki/core";
import { setBounded } from "../bounded-cache.ts";
import { theme } from "../theme.ts";
import type { ThemeColor } from "../themes/tokens.ts";
import { SHIKI_GRAMMAR_IDS } from "./shiki-grammar-ids.ts";

/** Fence names people write, mapped to shiki ids. */
const ALIASES: Record<string, string> = {
	ts: "typescript",
	mts: "typescript",
	cts: "typescript",
	js: "javascript",
	mjs: "javascript",
	cjs: "javascript",
	node: "javascript",
	json5: "jsonc",
	py: "python",
	python3: "python",
	sh: "shellscript",
	bash: "shellscript",
	shell: "shellscript",
	zsh: "shellscript",
	console: "shellscript",
	rs: "rust",
	golang: "go",
	h: "c",
	"c++": "cpp",
	cc: "cpp",
	cxx: "cpp",
	hpp: "cpp",
	cs: "csharp",
	"c#": "csharp",
	rb: "ruby",
	htm: "html",
	yml: "yaml",
	md: "markdown",
	patch: "diff",
	kt: "kotlin",
	kts: "kotlin",
	dockerfile: "docker",
	makefile: "make",
	svg: "xml",
	hs: "haskell",
	ex: "elixir",
	exs: "elixir",
	erl: "erlang",
	sc: "scala",
	gradle: "groovy",
	jl: "julia",
	gql: "graphql",
	ps1: "powershell",
	pwsh: "powershell",
	tf: "hcl",
	terraform: "hcl",
	clj: "clojure",
	cljs: "clojure",
	edn: "clojure",
	lisp: "common-lisp",
	scm: "scheme",
	fs: "fsharp",
	"f#": "fsharp",
};

const OFFERED = new Set<string>(SHIKI_GRAMMAR_IDS);

/** shiki's id for a fence language, or undefined when shiki is not offered for it. */
export function shikiLanguageId(language: string): string | undefined {
	const lower = language.trim().toLowerCase();
	const id = ALIASES[lower] ?? lower;
	return OFFERED.has(id) ? id : undefined;
}

const THEME_NAME = "pi-syntax";

/**
 * Scope → pi token. The generated theme gives each token a placeholder colour (#0000NN) that is mapped back to the
 * token when drawing, so the live palette is consulted on every render.
 */
const SCOPE_TOKENS: Array<[scopes: string[], token: ThemeColor]> = [
	[["comment", "punctuation.definition.comment", "string.comment"], "syntaxComment"],
	[
		[
			"string",
			"punctuation.definition.string",
			"string.regexp",
			"constant.character.escape",
			"constant.other.symbol",
			"markup.raw",
		],
		"syntaxString",
	],
	[["constant.numeric", "constant.language", "constant.other.color", "support.constant"], "syntaxNumber"],
	[["keyword", "storage", "storage.type", "storage.modifier", "entity.name.tag", "variable.language"], "syntaxKeyword"],
	[["keyword.operator", "punctuation.accessor", "keyword.operator.new"], "syntaxOperator"],
	[["entity.name.function", "support.function", "meta.function-call.generic", "entity.name.section"], "syntaxFunction"],
	[
		[
			"entity.name.type",
			"entity.name.class",
			"entity.other.inherited-class",
			"support.type",
			"support.class",
			"entity.name.namespace",
		],
		"syntaxType",
	],
	[
		["variable", "variable.parameter", "variable.other", "entity.other.attribute-name", "support.variable"],
		"syntaxVariable",
	],
	[["punctuation", "meta.brace", "punctuation.definition.tag"], "syntaxPunctuation"],
	[["markup.inserted", "punctuation.definition.inserted"], "toolDiffAdded"],
	[["markup.deleted", "punctuation.definition.deleted"], "toolDiffRemoved"],
];

function placeholderColor(index: number): string {
	return `#0000${(index + 1).toString(16).padStart(2, "0")}`;
}

const INDEX_BY_COLOR = new Map<string, number>(SCOPE_TOKENS.map((_, index) => [placeholderColor(index), index]));

function syntaxTheme(): ThemeRegistration {
	return {
		name: THEME_NAME,
		type: "dark",
		colors: { "editor.foreground": "#000000", "editor.background": "#ffffff" },
		fg: "#000000",
		bg: "#ffffff",
		settings: SCOPE_TOKENS.map(([scope, _token], index) => ({
			scope,
			settings: { foreground: placeholderColor(index) },
		})),
	};
}

let highlighter: HighlighterCore | undefined;
let highlighterLoading: Promise<HighlighterCore | undefined> | undefined;
const loadedLanguages = new Set<string>();
const loadingLanguages = new Map<string, Promise<void>>();
/** Languages whose grammar failed to load or tokenize: they stay on the fallback. */
const brokenLanguages = new Set<string>();
const readyListeners = new Set<() => void>();
let generation = 0;

/** Increases each time a language becomes ready; renderers caching highlighted output compare it. */
export function highlighterGeneration(): number {
	return generation;
}

/** Called whenever a newly loaded language can now be highlighted. Returns an unsubscribe function. */
export function onHighlighterReady(listener: () => void): () => void {
	readyListeners.add(listener);
	return () => readyListeners.delete(listener);
}

function loadHighlighter(): Promise<HighlighterCore | undefined> {
	highlighterLoading ??= (async () => {
		try {
			const [{ createHighlighterCore }, { createPiRegexEngine }] = await Promise.all([
				import("shiki/core"),
				import("./shiki-regex-engine.ts"),
			]);
			highlighter = await createHighlighterCore({
				themes: [syntaxTheme()],
				langs: [],
				engine: createPiRegexEngine(),
			});
			return highlighter;
		} catch {
			return undefined;
		}
	})();
	return highlighterLoading;
}

/** Starts loading shiki and a language (once); resolves when it is ready or known to be unavailable. */
export function loadShikiLanguage(id: string, warmUpCode = ""): Promise<void> {
	if (loadedLanguages.has(id) || brokenLanguages.has(id)) return Promise.resolve();
	const pending = loadingLanguages.get(id);
	if (pending) return pending;
	if (!OFFERED.has(id)) return Promise.resolve();
	const loading = (async () => {
		try {
			const [core, { grammarsWithPatterns }, { addPrecompiledPatterns }] = await Promise.all([
				loadHighlighter(),
				import("./shiki-grammar-pack.ts"),
				import("./shiki-regex-engine.ts"),
			]);
			if (!core) throw new Error("shiki unavailable");
			const grammars = await grammarsWithPatterns(id);
			for (const { grammar, patterns } of grammars) addPrecompiledPatterns(grammar, patterns);
			await core.loadLanguage(...grammars.map(({ grammar }) => grammar));
			await warmUp(core, id, warmUpCode);
			// Unpacking and compiling a grammar leaves garbage (decompressed JSON, parsed rules' scaffolding) the
			// process would otherwise keep until its next collection: a full collection here (a few ms, once per
			// language) takes ~2 MB off the RSS after the first code block (a young-generation one ~1 MB).
			Bun.gc(true);
			loadedLanguages.add(id);
			generation++;
			for (const listener of readyListeners) listener();
		} catch {
			brokenLanguages.add(id);
		} finally {
			loadingLanguages.delete(id);
		}
	})();
	loadingLanguages.set(id, loading);
	return loading;
}

/** A token as cached: the index into SCOPE_TOKENS (-1 for plain text) and its text. */
type CachedToken = [tokenIndex: number, text: string];

const cache = new Map<string, CachedToken[][]>();
const CACHE_LIMIT = 200;

/**
 * Highlighted lines if shiki and the language are loaded; otherwise starts loading them and returns undefined
 * (the caller falls back, and redraws when `onHighlighterReady` fires). Unknown languages return undefined for good.
 */
export function shikiHighlight(code: string, language: string): string[] | undefined {
	const id = shikiLanguageId(language);
	if (!id || brokenLanguages.has(id)) return undefined;
	if (!highlighter || !loadedLanguages.has(id)) {
		void loadShikiLanguage(id, code);
		return undefined;
	}
	const key = `${id}\u0000${code}`;
	const cached = cache.get(key);
	if (cached) return colorize(cached);
	let lines: CachedToken[][];
	try {
		lines = tokenizeIncrementally(highlighter, id, code);
	} catch {
		return undefined;
	}
	setBounded(cache, key, lines, CACHE_LIMIT);
	return colorize(lines);
}

function tokenIndex(token: ThemedToken): number {
	return token.color ? (INDEX_BY_COLOR.get(token.color.toLowerCase()) ?? -1) : -1;
}

function colorize(lines: CachedToken[][]): string[] {
	return lines.map((line) => {
		let out = "";
		for (const [index, text] of line) {
			const token = SCOPE_TOKENS[index]?.[1];
			out += token ? theme.fg(token, text) : text;
		}
		return out;
	});
}

const WARM_UP_LINES = 200;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tokenizes the first block one line at a time so regex compilation happens between keystrokes, not in a render. */
async function warmUp(core: HighlighterCore, id: string, code: string): Promise<void> {
	let state: GrammarState | undefined;
	for (const line of code.split("\n").slice(0, WARM_UP_LINES)) {
		const tokens = core.codeToTokensBase(line, { lang: id, theme: THEME_NAME, grammarState: state });
		state = core.getLastGrammarState(tokens);
		await yieldToEventLoop();
	}
}

/** Finished lines of a block, their tokens and the grammar state after the last of them. */
interface TokenizedPrefix {
	source: string[];
	tokens: CachedToken[][];
	state: GrammarState | undefined;
}

const prefixes = new Map<string, TokenizedPrefix[]>();
const PREFIXES_PER_LANGUAGE = 16;

function toCached(tokens: ThemedToken[][]): CachedToken[][] {
	// Cached by token index, not colour, so a theme switch needs no re-tokenizing.
	return tokens.map((line) => line.map((token): CachedToken => [tokenIndex(token), token.content]));
}

function isPrefix(prefix: string[], lines: string[]): boolean {
	if (prefix.length > lines.length) return false;
	for (let i = 0; i < prefix.length; i++) if (prefix[i] !== lines[i]) return false;
	return true;
}

/** Tokens per line; reuses the longest already tokenized run of finished lines (a streaming block grows at the end). */
function tokenizeIncrementally(core: HighlighterCore, id: string, code: string): CachedToken[][] {
	const lines = code.split("\n");
	const finished = lines.slice(0, -1);
	const last = lines[lines.length - 1] ?? "";
	const candidates = prefixes.get(id) ?? [];
	let base: TokenizedPrefix | undefined;
	for (const candidate of candidates) {
		if ((!base || candidate.source.length > base.source.length) && isPrefix(candidate.source, finished))
			base = candidate;
	}
	let prefix: TokenizedPrefix = base ?? { source: [], tokens: [], state: undefined };
	if (prefix.source.length < finished.length) {
		const rest = finished.slice(prefix.source.length);
		const tokens = core.codeToTokensBase(rest.join("\n"), { lang: id, theme: THEME_NAME, grammarState: prefix.state });
		prefix = {
			source: finished,
			tokens: prefix.tokens.concat(toCached(tokens)),
			state: core.getLastGrammarState(tokens),
		};
		// The extended run supersedes the one it grew from.
		const kept = candidates.filter((candidate) => candidate !== base);
		kept.unshift(prefix);
		prefixes.set(id, kept.slice(0, PREFIXES_PER_LANGUAGE));
	}
	const lastTokens =
		last === "" ? [[]] : core.codeToTokensBase(last, { lang: id, theme: THEME_NAME, grammarState: prefix.state });
	return prefix.tokens.concat(toCached(lastTokens).slice(0, 1));
}
