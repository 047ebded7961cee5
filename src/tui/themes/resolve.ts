/** Turns a theme file's colours (which may name variables) into concrete colours. */
import type { ColorValue, ThemeJson } from "./schema.ts";
import { THEME_COLOR_TOKENS, type ThemePalette } from "./tokens.ts";

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;

/** Follows variable references to a hex colour, palette index or ""; rejects unknown names, cycles and bad hex. */
export function resolveColorValue(value: ColorValue, vars: Readonly<Record<string, ColorValue>>): ColorValue {
	const seen = new Set<string>();
	let current = value;
	while (typeof current === "string" && current !== "" && !current.startsWith("#")) {
		if (seen.has(current)) throw new Error(`Circular variable reference detected: ${current}`);
		if (!Object.hasOwn(vars, current)) throw new Error(`Variable reference not found: ${current}`);
		seen.add(current);
		current = vars[current] ?? "";
	}
	if (typeof current === "string" && current !== "" && !HEX_COLOR.test(current)) {
		throw new Error(`Invalid hex color: ${current}`);
	}
	return current;
}

export function resolveThemePalette(json: ThemeJson): ThemePalette {
	const vars = json.vars ?? {};
	// Filled for every token right below.
	const palette = {} as ThemePalette;
	for (const token of THEME_COLOR_TOKENS) palette[token] = resolveColorValue(json.colors[token], vars);
	return palette;
}
