/**
 * shiki's regex engine for pi: JavaScript regular expressions (JavaScriptCore's regex JIT), converted from the
 * grammars' Oniguruma patterns at build time (shiki-regex-table.ts); only a pattern the table lacks (an `end` with
 * back-references, or any pattern when running from the sources) loads the converter (shiki-regex.ts).
 *
 * Why not shiki's Oniguruma engine: its WebAssembly (0.47 MB) compiled the TypeScript grammar in ~300 ms on first
 * use, JavaScriptCore tiered it up for another ~170 ms on a helper thread, and it held ~40 MB more; a 330-line
 * TypeScript file's first tokenizing took 620 ms of CPU against 200 ms here (both measured in Bun). Tokens are the
 * same: compared over ~50,000 lines of real files in the offered languages, 3 lines of minified JavaScript differed.
 */
import { createJavaScriptRawEngine } from "@shikijs/engine-javascript/raw";
import { EmulatedRegExp } from "oniguruma-to-es";
import type { RegexEngine } from "shiki/core";
import { requireIsland, SHIKI_REGEX_CONVERTER } from "../../util/embedded-asset.ts";
import { askedPatterns, type ConvertedPattern, type PackedPattern, unpackTable } from "./shiki-regex-table.ts";

const precompiled = new Map<string, ConvertedPattern | undefined>();
const compiled = new Map<string, RegExp>();
/** Stands for a pattern JavaScript cannot express: its rule never matches instead of failing the whole grammar. */
const NEVER_MATCHES = /(?!)/dg;

/** Makes a grammar's ahead-converted patterns known (before the grammar is loaded). */
export function addPrecompiledPatterns(grammar: unknown, packed: PackedPattern[]): void {
	for (const [source, converted] of unpackTable(askedPatterns(grammar), packed)) precompiled.set(source, converted);
}

function convertAtRunTime(pattern: string): ConvertedPattern | undefined {
	return requireIsland<typeof import("./shiki-regex.ts")>(SHIKI_REGEX_CONVERTER).convertPattern(pattern);
}

function regExpFor(pattern: string): RegExp {
	let regExp = compiled.get(pattern);
	if (!regExp) {
		const converted = precompiled.has(pattern) ? precompiled.get(pattern) : convertAtRunTime(pattern);
		regExp = converted ? regExpOf(converted) : NEVER_MATCHES;
		compiled.set(pattern, regExp);
	}
	return regExp;
}

function regExpOf([pattern, flags, emulation]: ConvertedPattern): RegExp {
	return emulation ? new EmulatedRegExp(pattern, flags, emulation) : new RegExp(pattern, flags);
}

export function createPiRegexEngine(): RegexEngine {
	const raw = createJavaScriptRawEngine();
	return {
		createString: raw.createString,
		createScanner: (patterns) =>
			raw.createScanner(patterns.map((pattern) => (typeof pattern === "string" ? regExpFor(pattern) : pattern))),
	};
}
