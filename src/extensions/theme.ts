/**
 * The `theme` extensions style text with (ctx.ui.theme, renderer arguments): pi's Theme methods over our current
 * theme, which follows `/settings` and theme files. An unknown colour name leaves the text unstyled rather than
 * failing: an extension written for a newer pi may name a token we do not have.
 */
import { theme as currentTheme, getColorMode, type Theme } from "../tui/theme.ts";
import { THEME_COLOR_TOKENS, type ThemeColor } from "../tui/themes/tokens.ts";

function isToken(name: unknown): name is ThemeColor {
	return typeof name === "string" && (THEME_COLOR_TOKENS as readonly string[]).includes(name);
}

const THINKING_BORDERS: Record<string, ThemeColor> = {
	off: "thinkingOff",
	minimal: "thinkingMinimal",
	low: "thinkingLow",
	medium: "thinkingMedium",
	high: "thinkingHigh",
	xhigh: "thinkingXhigh",
	max: "thinkingXhigh",
};

/** pi's Theme over `theme` (the current theme by default; `ctx.ui.getTheme(name)` passes another one). */
export function extensionTheme(theme: Theme = currentTheme): Record<string, unknown> {
	const fg = (color: unknown, text: unknown) => (isToken(color) ? theme.fg(color, String(text)) : String(text));
	const bg = (color: unknown, text: unknown) => (isToken(color) ? theme.bg(color, String(text)) : String(text));
	return {
		get name() {
			return theme.name;
		},
		get colors() {
			return { ...theme.colors };
		},
		get appearance() {
			return theme.name === "light" ? "light" : "dark";
		},
		fg,
		bg,
		bold: (text: unknown) => theme.bold(String(text)),
		italic: (text: unknown) => theme.italic(String(text)),
		underline: (text: unknown) => theme.underline(String(text)),
		inverse: (text: unknown) => theme.inverse(String(text)),
		strikethrough: (text: unknown) => theme.strikethrough(String(text)),
		dim: (text: unknown) => theme.dim(String(text)),
		style(text: unknown, options: unknown) {
			let out = String(text);
			if (typeof options !== "object" || options === null) return out;
			const o: Record<string, unknown> = { ...options };
			if (o.bold) out = theme.bold(out);
			if (o.italic) out = theme.italic(out);
			if (o.underline) out = theme.underline(out);
			if (o.strikethrough) out = theme.strikethrough(out);
			if (o.inverse) out = theme.inverse(out);
			if (o.fg !== undefined) out = fg(o.fg, out);
			if (o.bg !== undefined) out = bg(o.bg, out);
			return out;
		},
		getFgAnsi: (color: unknown) => (isToken(color) ? theme.fgAnsi(color) : ""),
		getBgAnsi: (color: unknown) => (isToken(color) ? theme.bgAnsi(color) : ""),
		getColorMode: () => getColorMode(),
		getThinkingBorderColor: (level: unknown) => (text: string) =>
			fg(typeof level === "string" ? THINKING_BORDERS[level] : undefined, text),
		getBashModeBorderColor: () => (text: string) => fg("bashMode", text),
	};
}
