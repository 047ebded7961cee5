/**
 * pi's JavaScript regex engine for shiki against shiki's Oniguruma engine (the grammars' native one, kept as a dev
 * dependency of shiki for this comparison): the same tokens for real files, every pattern vscode-textmate asks for
 * in the build-time table, and a pattern JavaScript cannot express skipped instead of failing the grammar.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createHighlighterCore, type HighlighterCore, type RegexEngine } from "shiki/core";
import { createOnigurumaEngine } from "shiki/engine/oniguruma";
import { convertPattern } from "../../src/tui/components/shiki-regex.ts";
import { addPrecompiledPatterns, createPiRegexEngine } from "../../src/tui/components/shiki-regex-engine.ts";
import { askedPatterns, askedVariants, packTable, unpackTable } from "../../src/tui/components/shiki-regex-table.ts";

const root = join(import.meta.dir, "../..");
const read = (path: string) => readFileSync(join(root, path), "utf8");

/** Real files of the repository per language, and a few constructs they lack. */
const SAMPLES: Record<string, string> = {
	typescript: `${read("src/tui/components/shiki-highlight.ts")}\nconst t = \`a \${b} c\`;\n#!/usr/bin/env bun\n`,
	json: read("package.json"),
	markdown: `${read("bench/README.md")}\n\n\`\`\`ts\nconst x = 1;\n\`\`\`\n\n~~~~py\nprint(1)\n~~~~\n`,
	shellscript: `${read("install.sh")}\ncat <<EOF\nhello $USER\nEOF\ncat <<-'END'\n\tliteral $x\n\tEND\n`,
	yaml: read(".github/workflows/release.yml"),
	python:
		"import os\n\ndef f(a: int = 1, *args, **kw) -> str:\n    '''doc'''\n    return f\"{a!r:>10}\" + r'\\d' + b'x'\n\nclass C(Base):\n    @property\n    def p(self): return [x for x in range(3) if x % 2]\n",
	rust: 'fn main() {\n    let s = r#"raw "quoted" string"#;\n    let v: Vec<u8> = vec![1, 2];\n    println!("{s} {:?}", v); // done\n}\n',
};

/**
 * Matchers for the strings vscode-textmate makes of the grammars' back-referencing `end`/`while` patterns (each
 * anchor variant, with any text where a back-reference was).
 */
function backReferencingEnds(grammars: unknown[]): RegExp[] {
	const found: RegExp[] = [];
	const visit = (node: unknown): void => {
		if (typeof node !== "object" || node === null) return;
		for (const [key, value] of Object.entries(node)) {
			if ((key === "end" || key === "while") && typeof value === "string" && /\\\d/.test(value)) {
				for (const variant of askedVariants(value)) {
					const literal = variant.split(/\\\d+/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
					found.push(new RegExp(`^${literal.join("[\\s\\S]*")}$`));
				}
			}
			visit(value);
		}
	};
	visit(grammars);
	return found;
}

type Tokens = Array<Array<[string, string | undefined]>>;

function tokens(core: HighlighterCore, code: string, lang: string): Tokens {
	return core
		.codeToTokensBase(code, { lang, theme: "github-dark" })
		.map((line) => line.map((token): [string, string | undefined] => [token.content, token.color]));
}

async function grammarsOf(id: string) {
	return ((await import(`shiki/langs/${id}.mjs`)) as { default: Parameters<HighlighterCore["loadLanguage"]> }).default;
}

async function highlighter(engine: RegexEngine): Promise<HighlighterCore> {
	const theme = (await import("shiki/themes/github-dark.mjs")).default;
	return createHighlighterCore({ themes: [theme], langs: [], engine });
}

/** An Oniguruma engine that records every pattern string vscode-textmate asks it to compile. */
function recordingOniguruma(asked: Set<string>): Promise<RegexEngine> {
	return createOnigurumaEngine(import("shiki/wasm")).then((engine) => ({
		...engine,
		createScanner: (patterns) => {
			for (const pattern of patterns) if (typeof pattern === "string") asked.add(pattern);
			return engine.createScanner(patterns);
		},
	}));
}

describe("shiki's patterns as JavaScript regular expressions", () => {
	test("patterns are asked for as vscode-textmate rewrites them: \\z spelled out, \\A and \\G in four variants", () => {
		expect(askedVariants("a\\z")).toEqual(["a$(?!\\n)(?<!\\n)"]);
		expect(askedVariants("\\Gx\\Ay")).toEqual(["\\\uFFFFx\\\uFFFFy", "\\Gx\\\uFFFFy", "\\\uFFFFx\\Ay", "\\Gx\\Ay"]);
		// An escaped backslash followed by G is not an anchor.
		expect(askedVariants("\\\\G")).toEqual(["\\\\G"]);
	});

	test("a table packs what the converter gives and unpacks by the asked string; flags alone when the source is kept", () => {
		const asked = ["abc", "(?i:a)b", "\\y"];
		const packed = packTable(asked, convertPattern);
		expect(packed[0]).toBe("dgu");
		expect(packed[2]).toBe(0);
		const table = unpackTable(asked, packed);
		expect(table.get("abc")).toEqual(["abc", "dgu"]);
		expect(table.get("(?i:a)b")).toEqual(convertPattern("(?i:a)b"));
		expect(table.has("\\y")).toBe(true);
		expect(table.get("\\y")).toBeUndefined();
	});

	test("every pattern tokenizing real files asks for is in the language's table, but back-referencing ends", async () => {
		let completedAtRunTime = 0;
		for (const id of Object.keys(SAMPLES)) {
			const grammars = await grammarsOf(id);
			const inTable = new Set(grammars.flatMap((grammar) => askedPatterns(grammar)));
			const asked = new Set<string>();
			const core = await highlighter(await recordingOniguruma(asked));
			await core.loadLanguage(...grammars);
			tokens(core, SAMPLES[id] ?? "", id);
			expect(asked.size).toBeGreaterThan(10);
			const completions = backReferencingEnds(grammars);
			for (const pattern of asked) {
				if (inTable.has(pattern)) continue;
				// An end or while completed from what its begin captured (a quote, a here-document's word).
				expect({ id, pattern, completed: completions.some((completion) => completion.test(pattern)) }).toEqual({
					id,
					pattern,
					completed: true,
				});
				completedAtRunTime++;
			}
			core.dispose();
		}
		expect(completedAtRunTime).toBeGreaterThan(0);
	}, 60_000);

	test("the same tokens as Oniguruma for real files, from the build-time tables", async () => {
		const oniguruma = await highlighter(await createOnigurumaEngine(import("shiki/wasm")));
		const ours = await highlighter(createPiRegexEngine());
		for (const [id, code] of Object.entries(SAMPLES)) {
			const grammars = await grammarsOf(id);
			for (const grammar of grammars)
				addPrecompiledPatterns(grammar, packTable(askedPatterns(grammar), convertPattern));
			await oniguruma.loadLanguage(...grammars);
			await ours.loadLanguage(...grammars);
			const expected = tokens(oniguruma, code, id);
			expect(expected.flat().length).toBeGreaterThan(code.split("\n").length);
			expect({ id, tokens: tokens(ours, code, id) }).toEqual({ id, tokens: expected });
		}
	}, 60_000);

	test("a pattern's conversion is taken from the table when the table has it", async () => {
		const grammar = {
			name: "probe-table",
			scopeName: "source.probe-table",
			repository: {},
			patterns: [{ match: "probe", name: "keyword.probe" }],
		};
		// The table says the pattern converts to /other/: only a table lookup can make "other" the keyword.
		const packed = packTable(askedPatterns(grammar), (pattern) =>
			pattern === "probe" ? ["other", "dgu"] : convertPattern(pattern),
		);
		addPrecompiledPatterns(grammar, packed);
		const core = await highlighter(createPiRegexEngine());
		await core.loadLanguage(grammar);
		const line = tokens(core, "other probe", "probe-table")[0] ?? [];
		expect(line.map(([text]) => text)).toEqual(["other", " probe"]);
		expect(line[0]?.[1]).not.toBe(line[1]?.[1]);
	});

	test("a pattern JavaScript cannot express never matches instead of failing the grammar", async () => {
		const core = await highlighter(createPiRegexEngine());
		await core.loadLanguage({
			name: "probe",
			scopeName: "source.probe",
			repository: {},
			patterns: [
				{ match: "\\y", name: "keyword.unsupported" },
				{ match: "\\bfoo\\b", name: "keyword.foo" },
			],
		});
		const line = tokens(core, "foo bar", "probe")[0] ?? [];
		expect(line.map(([text]) => text)).toEqual(["foo", " bar"]);
		expect(line[0]?.[1]).not.toBe(line[1]?.[1]);
	});
});
