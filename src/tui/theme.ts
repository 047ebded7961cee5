/**
 * ANSI styling through the active theme (pi-spec §9.11). `theme` is one shared object whose palette is swapped
 * in place when the theme changes, so every component that imported it follows the change.
 */
import { hexToRgb, rgbTo256 } from "./themes/ansi256.ts";
import { DARK_THEME, LIGHT_THEME } from "./themes/builtin.ts";
import { resolveThemePalette } from "./themes/resolve.ts";
import type { Color, ThemeColor, ThemePalette } from "./themes/tokens.ts";

export { rgbTo256 } from "./themes/ansi256.ts";
export type { Color, ThemeColor, ThemePalette } from "./themes/tokens.ts";

export type ColorMode = "truecolor" | "256color";

/** pi's rule: truecolor unless the environment points at a terminal known to lack it. */
export function detectColorMode(env: Record<string, string | undefined> = process.env): ColorMode {
	const colorterm = env.COLORTERM;
	if (colorterm === "truecolor" || colorterm === "24bit" || env.WT_SESSION) return "truecolor";
	const term = env.TERM ?? "";
	if (term === "" || term === "dumb" || term === "linux") return "256color";
	if (env.TERM_PROGRAM === "Apple_Terminal") return "256color";
	// GNU screen passes no truecolor unless COLORTERM says so (checked above).
	if (term === "screen" || term.startsWith("screen-") || term.startsWith("screen.")) return "256color";
	return "truecolor";
}

let colorMode: ColorMode = detectColorMode();

export function setColorMode(mode: ColorMode): void {
	colorMode = mode;
}

export function getColorMode(): ColorMode {
	return colorMode;
}

/** Escape sequences by colour, layer and colour mode: computed once, used for every styled span. */
const colorCodes = new Map<string, string>();

function colorCode(color: Color, layer: 38 | 48): string {
	if (color === "") return "";
	const key = `${layer}${colorMode}${color}`;
	const cached = colorCodes.get(key);
	if (cached !== undefined) return cached;
	const code = computeColorCode(color, layer);
	if (colorCodes.size > 4096) colorCodes.clear();
	colorCodes.set(key, code);
	return code;
}

function computeColorCode(color: Color, layer: 38 | 48): string {
	if (typeof color === "number") return `\x1b[${layer};5;${color}m`;
	const [r, g, b] = hexToRgb(color);
	if (colorMode === "truecolor") return `\x1b[${layer};2;${r};${g};${b}m`;
	return `\x1b[${layer};5;${rgbTo256(r, g, b)}m`;
}

export function fgColor(color: Color, text: string): string {
	const open = colorCode(color, 38);
	return open ? `${open}${text}\x1b[39m` : text;
}

export function bgColor(color: Color, text: string): string {
	const open = colorCode(color, 48);
	return open ? `${open}${text}\x1b[49m` : text;
}

export const bold = (text: string): string => `\x1b[1m${text}\x1b[22m`;
export const dim = (text: string): string => `\x1b[2m${text}\x1b[22m`;
export const italic = (text: string): string => `\x1b[3m${text}\x1b[23m`;
export const underline = (text: string): string => `\x1b[4m${text}\x1b[24m`;
export const inverse = (text: string): string => `\x1b[7m${text}\x1b[27m`;
export const strikethrough = (text: string): string => `\x1b[9m${text}\x1b[29m`;

/** pi 0.73.1's built-in palettes with variable references resolved. */
export const darkThemeColors: Readonly<ThemePalette> = resolveThemePalette(DARK_THEME);
export const lightThemeColors: Readonly<ThemePalette> = resolveThemePalette(LIGHT_THEME);

export interface ThemeIdentity {
	name: string;
	/** The file a custom theme came from; undefined for built-ins. */
	sourcePath?: string;
}

/** Colours by theme token. */
export class Theme {
	name: string;
	sourcePath: string | undefined;

	constructor(
		public colors: ThemePalette = { ...darkThemeColors },
		identity: ThemeIdentity = { name: "dark" },
	) {
		this.name = identity.name;
		this.sourcePath = identity.sourcePath;
	}

	/** Tokens drawn faint (SGR 2) in the terminal's default colour: the `system` theme when no colours were reported. */
	private faint: ReadonlySet<ThemeColor> = new Set();

	/** Switch to another palette in place (everyone holding this object sees the new colours). */
	apply(colors: ThemePalette, identity: ThemeIdentity, faint: readonly ThemeColor[] = []): void {
		this.colors = { ...colors };
		this.name = identity.name;
		this.sourcePath = identity.sourcePath;
		this.faint = new Set(faint);
	}

	fg(token: ThemeColor, text: string): string {
		if (this.faint.has(token) && this.colors[token] === "") return dim(text);
		return fgColor(this.colors[token], text);
	}
	bg(token: ThemeColor, text: string): string {
		return bgColor(this.colors[token], text);
	}
	/** The escape sequence that starts a token's foreground ("" for the terminal default). */
	fgAnsi(token: ThemeColor): string {
		return colorCode(this.colors[token], 38);
	}
	bgAnsi(token: ThemeColor): string {
		return colorCode(this.colors[token], 48);
	}
	bold = bold;
	dim = dim;
	italic = italic;
	underline = underline;
	inverse = inverse;
	strikethrough = strikethrough;
}

export const theme = new Theme();
