/**
 * A grammar's regex table: each pattern converted to JavaScript at build time (shiki-regex.ts), so the binary never
 * runs the converter for them. The table is aligned with `askedPatterns(grammar)`: the exact strings shiki's
 * TextMate engine (vscode-textmate) will ask its regex engine for, in a fixed order, so the pack stores only the
 * converted side (the keys are recomputed from the grammar, ~1 ms for TypeScript's 362 patterns).
 *
 * vscode-textmate rewrites a pattern before asking: `\z` becomes `$(?!\n)(?<!\n)`, and a pattern with `\A` or `\G`
 * is asked for in four variants, each anchor kept or replaced by U+FFFF (a character lines never contain). An `end`
 * or `while` with back-references (`\1`) is completed from the matched text at run time and is not in the table.
 */
import type { toRegExpDetails } from "oniguruma-to-es";

type EmulatedRegExpOptions = NonNullable<ReturnType<typeof toRegExpDetails>["options"]>;

/** What a pattern converts to: the RegExp's source and flags, and EmulatedRegExp's options when it needs them. */
export type ConvertedPattern = [pattern: string, flags: string, emulation?: EmulatedRegExpOptions];

/**
 * One entry of a packed table: 0 when JavaScript cannot express the pattern, the flags alone when the converted
 * source is the pattern itself (a third of them), else the ConvertedPattern.
 */
export type PackedPattern = 0 | string | ConvertedPattern;

const RULE_KEYS = ["match", "begin", "end", "while"] as const;
const HAS_BACK_REFERENCES = /\\(\d+)/;
const MAY_BE_REWRITTEN = /\\[zAG]/;
/** What vscode-textmate scans for a begin rule without an `end` or `while`. */
const NEVER = "\uFFFF";

export function packTable(
	asked: string[],
	convert: (pattern: string) => ConvertedPattern | undefined,
): PackedPattern[] {
	return asked.map((source) => {
		const converted = convert(source);
		if (!converted) return 0;
		return converted[0] === source && converted.length === 2 ? converted[1] : converted;
	});
}

/** The table's entries by the string vscode-textmate asks for; unsupported ones map to undefined. */
export function unpackTable(asked: string[], packed: PackedPattern[]): Map<string, ConvertedPattern | undefined> {
	const table = new Map<string, ConvertedPattern | undefined>();
	asked.forEach((source, index) => {
		const entry = packed[index];
		if (entry === undefined) return;
		table.set(source, entry === 0 ? undefined : typeof entry === "string" ? [source, entry] : entry);
	});
	return table;
}

/** The strings vscode-textmate will ask for when running this grammar, without duplicates, in a fixed order. */
export function askedPatterns(grammar: unknown): string[] {
	const asked = new Set<string>([NEVER]);
	collect(grammar, asked);
	return [...asked];
}

function collect(node: unknown, asked: Set<string>): void {
	if (Array.isArray(node)) {
		for (const item of node) collect(item, asked);
		return;
	}
	if (typeof node !== "object" || node === null) return;
	const rule = node as Record<string, unknown>;
	for (const key of RULE_KEYS) {
		const pattern = rule[key];
		if (typeof pattern !== "string") continue;
		if ((key === "end" || key === "while") && HAS_BACK_REFERENCES.test(pattern)) continue;
		for (const variant of askedVariants(pattern)) asked.add(variant);
	}
	for (const value of Object.values(rule)) if (typeof value === "object") collect(value, asked);
}

/** The strings vscode-textmate's RegExpSource makes of a grammar's pattern. */
export function askedVariants(pattern: string): string[] {
	// Most patterns have none of the three escapes: kept as they are, without building a copy character by character
	// (the copies were ~3.5 MB of garbage when a grammar was loaded). An escaped backslash before z, A or G still
	// takes the careful path below, which tells it apart.
	if (!MAY_BE_REWRITTEN.test(pattern)) return [pattern];
	let hasAnchor = false;
	const source = rewriteEscapes(pattern, (escaped) => {
		if (escaped === "A" || escaped === "G") hasAnchor = true;
		return escaped === "z" ? "$(?!\\n)(?<!\\n)" : `\\${escaped}`;
	});
	if (!hasAnchor) return [source];
	return [
		[false, false],
		[false, true],
		[true, false],
		[true, true],
	].map(([allowA, allowG]) =>
		rewriteEscapes(source, (escaped) =>
			(escaped === "A" && !allowA) || (escaped === "G" && !allowG) ? `\\${NEVER}` : `\\${escaped}`,
		),
	);
}

/** The pattern with each backslash pair (`\x`) replaced by what `rewrite` makes of its character. */
function rewriteEscapes(pattern: string, rewrite: (escaped: string) => string): string {
	let out = "";
	for (let i = 0; i < pattern.length; i++) {
		const char = pattern[i] ?? "";
		const next = pattern[i + 1];
		if (char !== "\\" || next === undefined) {
			out += char;
			continue;
		}
		out += rewrite(next);
		i++;
	}
	return out;
}
