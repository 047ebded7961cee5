/** pi's theme file format (theme-schema.json), checked with valibot; errors read like pi's. */
import * as v from "valibot";
import { errorMessage } from "../../util/errors.ts";
import { lazySchema } from "../../util/lazy-schema.ts";
import { stripBom } from "../../util/text-file.ts";
import { THEME_COLOR_TOKENS, type ThemeColor } from "./tokens.ts";

/** "#rrggbb", a variable name, "" (terminal default), or a 256-palette index. */
const colorValueSchema = () => v.union([v.string(), v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(255))]);
export type ColorValue = v.InferOutput<ReturnType<typeof colorValueSchema>>;

/** Built on first use: only a run with a theme file reads one. */
const ThemeJsonSchema = lazySchema(() => {
	const ColorValueSchema = colorValueSchema();
	// Built from the token list so the schema and the ThemeColor type cannot drift apart.
	const colorEntries = Object.fromEntries(THEME_COLOR_TOKENS.map((token) => [token, ColorValueSchema])) as Record<
		ThemeColor,
		typeof ColorValueSchema
	>;
	return v.object({
		$schema: v.optional(v.string()),
		name: v.string(),
		vars: v.optional(v.record(v.string(), ColorValueSchema)),
		colors: v.object(colorEntries),
		export: v.optional(
			v.object({
				pageBg: v.optional(ColorValueSchema),
				cardBg: v.optional(ColorValueSchema),
				infoBg: v.optional(ColorValueSchema),
			}),
		),
	});
});

export type ThemeJson = v.InferOutput<typeof ThemeJsonSchema>;

function issuePath(issue: v.BaseIssue<unknown>): string[] {
	return (issue.path ?? []).map((item) => String(item.key));
}

/** Missing colour tokens listed together (the common mistake), everything else as "/path: message". */
function describeIssues(label: string, issues: v.BaseIssue<unknown>[]): string {
	const missing = new Set<string>();
	const other: string[] = [];
	for (const issue of issues) {
		const path = issuePath(issue);
		if (path.length === 2 && path[0] === "colors" && issue.input === undefined) {
			missing.add(path[1] ?? "");
			continue;
		}
		other.push(`  - /${path.join("/")}: ${issue.message}`);
	}
	let message = `Invalid theme "${label}":\n`;
	if (missing.size > 0) {
		message += "\nMissing required color tokens:\n";
		message += [...missing]
			.sort()
			.map((token) => `  - ${token}`)
			.join("\n");
		message += `\n\nPlease add these colors to your theme's "colors" object.`;
		message += "\nSee the built-in themes (dark.json, light.json) for reference values.";
	}
	if (other.length > 0) message += `\n\nOther errors:\n${other.join("\n")}`;
	return message;
}

export class ThemeFileError extends Error {}

export function parseThemeJson(label: string, data: unknown): ThemeJson {
	const result = v.safeParse(ThemeJsonSchema, data);
	if (!result.success) throw new ThemeFileError(describeIssues(label, result.issues));
	return result.output;
}

export function parseThemeText(label: string, text: string): ThemeJson {
	let data: unknown;
	try {
		// A byte-order mark (Windows editors) is read past, as pi 1.6.0 does.
		data = JSON.parse(stripBom(text));
	} catch (error) {
		throw new ThemeFileError(`Failed to parse theme ${label}: ${errorMessage(error)}`);
	}
	return parseThemeJson(label, data);
}
