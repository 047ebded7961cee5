/**
 * Oniguruma patterns (what TextMate grammars are written in) converted to JavaScript regular expressions, for shiki's
 * JavaScript engine. Used at build time to convert the packed grammars' patterns ahead (shiki-grammar-pack-build.ts),
 * and at run time only for patterns known then (an `end` with back-references is filled in from the matched text):
 * the binary carries it as an island (embedded-asset.ts), outside the bytecode, loaded on the first such pattern.
 *
 * Target ES2018 (flag `u`) first, ES2024 (flag `v`) only for what needs it: JavaScriptCore's regex JIT does not
 * take `v`-flag patterns, and interpreting them made the TypeScript grammar's first use cost ~900 ms instead of
 * ~80 ms (a 330-line file, measured in Bun). The other options are shiki's own defaults for its JavaScript engine.
 */
import { type ToRegExpOptions, toRegExpDetails } from "oniguruma-to-es";
import type { ConvertedPattern } from "./shiki-regex-table.ts";

const OPTIONS: ToRegExpOptions = {
	global: true,
	hasIndices: true,
	lazyCompileLength: 3000,
	rules: {
		allowOrphanBackrefs: true,
		asciiWordBoundaries: true,
		captureGroup: true,
		recursionLimit: 5,
		singleline: true,
	},
};

/** The pattern converted, or undefined when JavaScript cannot express it (the grammar then skips that rule). */
export function convertPattern(oniguruma: string): ConvertedPattern | undefined {
	for (const target of ["ES2018", "ES2024"] as const) {
		try {
			const details = toRegExpDetails(oniguruma, { ...OPTIONS, target });
			return details.options ? [details.pattern, details.flags, details.options] : [details.pattern, details.flags];
		} catch {
			// Try the next target; none left means unsupported.
		}
	}
	return undefined;
}
