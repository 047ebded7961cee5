/** Small ANSI style helpers plus pi's built-in dark theme palette. */

export type ColorMode = "truecolor" | "256color";

/** pi's rule: truecolor unless the environment points at a terminal known to lack it. */
export function detectColorMode(env: Record<string, string | undefined> = process.env): ColorMode {
	const colorterm = env.COLORTERM?.toLowerCase();
	if (colorterm === "truecolor" || colorterm === "24bit" || env.WT_SESSION) return "truecolor";
	const term = env.TERM ?? "";
	if (term === "" || term === "dumb" || term === "linux") return "256color";
	if (env.TERM_PROGRAM === "Apple_Terminal") return "256color";
	if (term === "screen" || term.startsWith("screen-") || term.startsWith("screen.")) return "256color";
	return "truecolor";
}

let colorMode: ColorMode = detectColorMode();

export function setColorMode(mode: ColorMode): void {
	colorMode = mode;
}

/** A color: "#rrggbb", a 256-palette index, or "" for the terminal default. */
export type Color = string | number;

function hexToRgb(hex: string): [number, number, number] {
	const n = Number.parseInt(hex.slice(1), 16);
	return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const CUBE_STEPS = [0, 95, 135, 175, 215, 255];

function nearestCubeIndex(value: number): number {
	let best = 0;
	for (let i = 1; i < CUBE_STEPS.length; i++) {
		if (Math.abs((CUBE_STEPS[i] ?? 0) - value) < Math.abs((CUBE_STEPS[best] ?? 0) - value)) best = i;
	}
	return best;
}

/** Closest xterm-256 palette entry (colour cube or grey ramp). */
export function rgbTo256(r: number, g: number, b: number): number {
	const ri = nearestCubeIndex(r);
	const gi = nearestCubeIndex(g);
	const bi = nearestCubeIndex(b);
	const cube = 16 + 36 * ri + 6 * gi + bi;
	const cubeDist =
		((CUBE_STEPS[ri] ?? 0) - r) ** 2 + ((CUBE_STEPS[gi] ?? 0) - g) ** 2 + ((CUBE_STEPS[bi] ?? 0) - b) ** 2;
	const grey = Math.round((r + g + b) / 3);
	const greyIndex = Math.min(23, Math.max(0, Math.round((grey - 8) / 10)));
	const greyValue = 8 + greyIndex * 10;
	const greyDist = (greyValue - r) ** 2 + (greyValue - g) ** 2 + (greyValue - b) ** 2;
	return greyDist < cubeDist ? 232 + greyIndex : cube;
}

function colorCode(color: Color, layer: 38 | 48): string {
	if (color === "") return "";
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

/** pi 0.73.1 dark theme, with variable references resolved. */
export const darkThemeColors = {
	accent: "#8abeb7",
	border: "#5f87ff",
	borderAccent: "#00d7ff",
	borderMuted: "#505050",
	success: "#b5bd68",
	error: "#cc6666",
	warning: "#ffff00",
	muted: "#808080",
	dim: "#666666",
	text: "",
	thinkingText: "#808080",
	selectedBg: "#3a3a4a",
	userMessageBg: "#343541",
	userMessageText: "",
	customMessageBg: "#2d2838",
	customMessageText: "",
	customMessageLabel: "#9575cd",
	toolPendingBg: "#282832",
	toolSuccessBg: "#283228",
	toolErrorBg: "#3c2828",
	toolTitle: "",
	toolOutput: "#808080",
	mdHeading: "#f0c674",
	mdLink: "#81a2be",
	mdLinkUrl: "#666666",
	mdCode: "#8abeb7",
	mdCodeBlock: "#b5bd68",
	mdCodeBlockBorder: "#808080",
	mdQuote: "#808080",
	mdQuoteBorder: "#808080",
	mdHr: "#808080",
	mdListBullet: "#8abeb7",
	toolDiffAdded: "#b5bd68",
	toolDiffRemoved: "#cc6666",
	toolDiffContext: "#808080",
	syntaxComment: "#6A9955",
	syntaxKeyword: "#569CD6",
	syntaxFunction: "#DCDCAA",
	syntaxVariable: "#9CDCFE",
	syntaxString: "#CE9178",
	syntaxNumber: "#B5CEA8",
	syntaxType: "#4EC9B0",
	syntaxOperator: "#D4D4D4",
	syntaxPunctuation: "#D4D4D4",
	thinkingOff: "#505050",
	thinkingMinimal: "#6e6e6e",
	thinkingLow: "#5f87af",
	thinkingMedium: "#81a2be",
	thinkingHigh: "#b294bb",
	thinkingXhigh: "#d183e8",
	bashMode: "#b5bd68",
} satisfies Record<string, Color>;

export type ThemeColor = keyof typeof darkThemeColors;

/** Colours by theme token; other modules can swap the palette later (e.g. for the light theme). */
export class Theme {
	constructor(public colors: Record<ThemeColor, Color> = { ...darkThemeColors }) {}
	fg(token: ThemeColor, text: string): string {
		return fgColor(this.colors[token], text);
	}
	bg(token: ThemeColor, text: string): string {
		return bgColor(this.colors[token], text);
	}
	bold = bold;
	dim = dim;
	italic = italic;
	underline = underline;
	inverse = inverse;
	strikethrough = strikethrough;
}

export const theme = new Theme();
