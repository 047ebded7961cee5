/**
 * Prompt template arguments side by side with pi 1.6.0's own expandPromptTemplate (dist/core/prompt-templates.js,
 * imported under Bun): the template bodies and argument lines of pi's prompt-templates tests (`$1`, `$@`,
 * `$ARGUMENTS`, `${@:N}`, `${@:N:L}`, quoting, unicode, no recursion) and 1.6.0's additions (`${N:-default}`, quotes
 * only at an argument's start, empty quoted arguments, unclosed quotes) expand to the same text here.
 * Skipped when pi 1.6.0 is not installed (PI_REF_160_DIR, see test/support/reference-pi.ts).
 */
// biome-ignore-all lint/suspicious/noTemplateCurlyInString: the strings are pi's template placeholders, not JS templates
import { expect, test } from "bun:test";
import { join } from "node:path";
import * as v from "valibot";
import { EMPTY_RESOURCES, expandPromptText } from "../../src/resources/index.ts";
import type { PromptTemplate } from "../../src/resources/types.ts";
import { referencePi160 } from "../support/reference-pi.ts";

const reference = referencePi160();

const BODIES = [
	"Args: $ARGUMENTS",
	"Args: $@",
	"$@ and $ARGUMENTS",
	"First: $1, Second: $2, All: $ARGUMENTS",
	"First: $1, Second: $2, All: $@",
	"$ARGUMENTS and $ARGUMENTS again",
	"$1 $2 $3 $4 $5 $10 $11",
	"$0 and $1.5 and $1x",
	"prefix$ARGUMENTSsuffix and pre$@post",
	"$arguments $Arguments $ARGUMENTS",
	"\\$1 literal and $1",
	"$$1 $$@",
	"no placeholders here",
	"$1$2$3",
	"${@:2}",
	"${@:1:2} | ${@:2:1} | ${@:5} | ${@:3:0} | ${@:2:100} | ${@:0}",
	"${@:2} then $@",
	"Start ${@:2:2} end, and $1 and ${@:3}",
	"a${@:1}b",
	"Review the ${@:2} files for $1",
	"${1:-first} ${2:-second} ${@:-nothing} ${ARGUMENTS:-none} ${3:-}",
];

const ARGUMENT_LINES = [
	"",
	"a",
	"a b c",
	"one two three four five six seven eight nine ten eleven",
	'"hello world" test',
	"'single quoted' plain",
	"\"double\" 'single' mixed",
	'"" empty',
	"  extra   spaces  ",
	"tab\tseparated",
	"naïve café 日本 🎉",
	"$1 $@ ${@:2} $ARGUMENTS",
	'"with \\"escaped\\" quotes" next',
	"special !@#%^&*() chars",
	"line\nbreak",
	"don't stop 'here",
	'"unclosed quote and more',
	"'' \"\" x",
];

const Module = v.object({ expandPromptTemplate: v.function() });

function template(content: string): PromptTemplate {
	return {
		name: "t",
		description: "",
		content,
		sourceInfo: { path: "/t.md", source: "local", scope: "user", origin: "top-level" },
		filePath: "/t.md",
	};
}

test.skipIf(!reference)("template arguments expand as pi 1.6.0 expands them", async () => {
	if (!reference) return;
	const expand = v.parse(
		Module,
		await import(join(reference.packageDir, "dist/core/prompt-templates.js")),
	).expandPromptTemplate;
	for (const body of BODIES) {
		const resources = { ...EMPTY_RESOURCES, templates: [template(body)] };
		for (const line of ARGUMENT_LINES) {
			const text = line === "" ? "/t" : `/t ${line}`;
			const theirs = v.parse(v.string(), expand(text, resources.templates));
			expect({ body, line, expanded: expandPromptText(text, resources) }).toEqual({ body, line, expanded: theirs });
		}
	}
});
