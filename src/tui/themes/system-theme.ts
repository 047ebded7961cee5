/**
 * The `system` theme (pi 1.x's default): pi's colours built from what the terminal reports about its own theme.
 *
 * Every token has a family (which ANSI colour gives its hue: errors red, links blue, …) and a contrast it needs
 * on the background and on the panels it is drawn on (WCAG 2 ratio). A palette colour that already reaches its
 * contrast is used exactly as the terminal has it; otherwise its OKLab lightness moves away from the background
 * until it does (hue kept, chroma never raised). Three tiers, as pi documents:
 * - background and palette reported: the terminal's hues, placed for its background;
 * - background only: our own hues, placed for the background;
 * - nothing: ANSI indices and the default colours, which the terminal draws itself; secondary text is faint and
 *   panels have no background.
 * Our own construction (not pi's fitted curves): body text ≥ 4.5:1 everywhere it is drawn, like pi's.
 */
import type { TerminalColorReport } from "../terminal-colors.ts";
import { contrastRatio, type Oklch, oklchToRgb, type Rgb, rgbToHex, rgbToOklch } from "./color-space.ts";
import type { Color, ThemeColor, ThemePalette } from "./tokens.ts";

export const SYSTEM_THEME_NAME = "system";

export type Appearance = "dark" | "light";

/** A hue family: the ANSI slot it takes its colour from, and its own hue/chroma when there is no palette. */
interface Family {
	slot: number;
	hue: number;
	chroma: number;
}

const FAMILIES = {
	neutral: { slot: 7, hue: 260, chroma: 0.012 },
	blue: { slot: 4, hue: 262, chroma: 0.13 },
	cyan: { slot: 6, hue: 215, chroma: 0.11 },
	green: { slot: 2, hue: 145, chroma: 0.13 },
	red: { slot: 1, hue: 25, chroma: 0.15 },
	yellow: { slot: 3, hue: 90, chroma: 0.13 },
	violet: { slot: 5, hue: 305, chroma: 0.13 },
	magenta: { slot: 13, hue: 340, chroma: 0.15 },
} satisfies Record<string, Family>;
type FamilyName = keyof typeof FAMILIES;

type Panel = "selectedBg" | "userMessageBg" | "customMessageBg" | "toolPendingBg" | "toolSuccessBg" | "toolErrorBg";
const PANELS: Record<Panel, FamilyName> = {
	selectedBg: "blue",
	userMessageBg: "blue",
	customMessageBg: "violet",
	toolPendingBg: "neutral",
	toolSuccessBg: "green",
	toolErrorBg: "red",
};
const TOOL_PANELS: Panel[] = ["toolPendingBg", "toolSuccessBg", "toolErrorBg"];
const MESSAGE_PANELS: Panel[] = ["userMessageBg", "customMessageBg"];
const ALL_PANELS = Object.keys(PANELS) as Panel[];

/** How far each panel stands out from the background (contrast ratio). */
const PANEL_CONTRAST: Record<Panel, number> = {
	selectedBg: 1.5,
	userMessageBg: 1.35,
	customMessageBg: 1.35,
	toolPendingBg: 1.2,
	toolSuccessBg: 1.25,
	toolErrorBg: 1.25,
};

/** Contrast ratios: body text, readable colours, secondary text, borders. */
const TEXT = 4.5;
const READABLE = 4.5;
const SECONDARY = 3;
const FAINT = 2;

interface Rule {
	family: FamilyName;
	contrast: number;
	on: Panel[];
}

type Foreground = Exclude<ThemeColor, Panel>;

/** The text tokens that take the terminal's own foreground when it is readable. */
const BODY_TEXT: Foreground[] = ["text", "userMessageText", "customMessageText", "toolTitle"];

const CODE_ON: Panel[] = [...MESSAGE_PANELS, ...TOOL_PANELS];
const RULES: Record<Foreground, Rule> = {
	text: { family: "neutral", contrast: TEXT, on: ["selectedBg"] },
	userMessageText: { family: "neutral", contrast: TEXT, on: ["userMessageBg"] },
	customMessageText: { family: "neutral", contrast: TEXT, on: ["customMessageBg"] },
	toolTitle: { family: "neutral", contrast: TEXT, on: TOOL_PANELS },
	accent: { family: "cyan", contrast: READABLE, on: ["selectedBg", ...TOOL_PANELS] },
	border: { family: "blue", contrast: SECONDARY, on: [] },
	borderAccent: { family: "cyan", contrast: SECONDARY, on: [] },
	borderMuted: { family: "neutral", contrast: FAINT, on: [] },
	success: { family: "green", contrast: READABLE, on: ["selectedBg", ...TOOL_PANELS] },
	error: { family: "red", contrast: READABLE, on: ["selectedBg", ...TOOL_PANELS] },
	warning: { family: "yellow", contrast: READABLE, on: ["selectedBg", ...TOOL_PANELS] },
	muted: { family: "neutral", contrast: READABLE, on: ["selectedBg", "customMessageBg", ...TOOL_PANELS] },
	dim: { family: "neutral", contrast: SECONDARY, on: ["selectedBg", ...TOOL_PANELS] },
	thinkingText: { family: "neutral", contrast: READABLE, on: [] },
	customMessageLabel: { family: "violet", contrast: READABLE, on: ["customMessageBg", ...TOOL_PANELS] },
	toolOutput: { family: "neutral", contrast: READABLE, on: TOOL_PANELS },
	mdHeading: { family: "yellow", contrast: READABLE, on: MESSAGE_PANELS },
	mdLink: { family: "blue", contrast: READABLE, on: MESSAGE_PANELS },
	mdLinkUrl: { family: "neutral", contrast: SECONDARY, on: MESSAGE_PANELS },
	mdCode: { family: "cyan", contrast: READABLE, on: MESSAGE_PANELS },
	mdCodeBlock: { family: "green", contrast: READABLE, on: CODE_ON },
	mdCodeBlockBorder: { family: "neutral", contrast: SECONDARY, on: MESSAGE_PANELS },
	mdQuote: { family: "neutral", contrast: READABLE, on: MESSAGE_PANELS },
	mdQuoteBorder: { family: "neutral", contrast: SECONDARY, on: MESSAGE_PANELS },
	mdHr: { family: "neutral", contrast: SECONDARY, on: MESSAGE_PANELS },
	mdListBullet: { family: "cyan", contrast: READABLE, on: MESSAGE_PANELS },
	toolDiffAdded: { family: "green", contrast: READABLE, on: TOOL_PANELS },
	toolDiffRemoved: { family: "red", contrast: READABLE, on: TOOL_PANELS },
	toolDiffContext: { family: "neutral", contrast: READABLE, on: TOOL_PANELS },
	syntaxComment: { family: "neutral", contrast: SECONDARY, on: CODE_ON },
	syntaxKeyword: { family: "blue", contrast: READABLE, on: CODE_ON },
	syntaxFunction: { family: "yellow", contrast: READABLE, on: CODE_ON },
	syntaxVariable: { family: "cyan", contrast: READABLE, on: CODE_ON },
	syntaxString: { family: "green", contrast: READABLE, on: CODE_ON },
	syntaxNumber: { family: "violet", contrast: READABLE, on: CODE_ON },
	syntaxType: { family: "cyan", contrast: READABLE, on: CODE_ON },
	syntaxOperator: { family: "neutral", contrast: READABLE, on: CODE_ON },
	syntaxPunctuation: { family: "neutral", contrast: READABLE, on: CODE_ON },
	// The thinking-level editor borders grow stronger and warmer with the level.
	thinkingOff: { family: "neutral", contrast: FAINT, on: [] },
	thinkingMinimal: { family: "neutral", contrast: SECONDARY, on: [] },
	thinkingLow: { family: "blue", contrast: 3.5, on: [] },
	thinkingMedium: { family: "cyan", contrast: 4.5, on: [] },
	thinkingHigh: { family: "violet", contrast: 5.5, on: [] },
	thinkingXhigh: { family: "magenta", contrast: 6.5, on: [] },
	bashMode: { family: "green", contrast: SECONDARY, on: [] },
};

/** Tokens drawn faint in the tier without colours (pi: secondary text is faint rather than bright black). */
const FAINT_TOKENS: Foreground[] = [
	"muted",
	"dim",
	"borderMuted",
	"thinkingText",
	"toolOutput",
	"mdLinkUrl",
	"mdQuote",
	"mdQuoteBorder",
	"mdHr",
	"mdCodeBlockBorder",
	"toolDiffContext",
	"syntaxComment",
	"thinkingOff",
	"thinkingMinimal",
];

export interface SystemTheme {
	palette: ThemePalette;
	/** Tokens drawn with SGR 2 (faint) instead of a colour. */
	faint: ThemeColor[];
	/** Undefined when the terminal did not report its background. */
	appearance: Appearance | undefined;
}

/** Dark when the terminal's foreground is lighter than its background, else by which of white/black reads better. */
export function terminalAppearance(background: Rgb, foreground?: Rgb): Appearance {
	if (foreground) {
		const difference = rgbToOklch(foreground).l - rgbToOklch(background).l;
		if (Math.abs(difference) > 0.05) return difference > 0 ? "dark" : "light";
	}
	const white = { r: 255, g: 255, b: 255 };
	const black = { r: 0, g: 0, b: 0 };
	return contrastRatio(white, background) >= contrastRatio(black, background) ? "dark" : "light";
}

export function buildSystemTheme(report: TerminalColorReport): SystemTheme {
	const { background, foreground, palette } = report;
	if (!background) return indexedTheme();
	const appearance = terminalAppearance(background, foreground);
	const lighter = appearance === "dark";
	const base = rgbToOklch(background);

	/** The family's colour as the terminal has it (palette, or the foreground for neutrals), else our own. */
	const source = (family: FamilyName): Oklch => {
		const spec: Family = FAMILIES[family];
		if (family === "neutral") {
			if (!foreground) return ownHue(spec);
			const text = rgbToOklch(foreground);
			return { ...text, c: Math.min(text.c, 0.03) };
		}
		const reported = palette?.[spec.slot];
		return reported ? rgbToOklch(reported) : ownHue(spec);
	};
	const ownHue = (spec: Family): Oklch => ({ l: lighter ? 0.75 : 0.5, c: spec.chroma, h: spec.hue });

	const result = {} as Record<ThemeColor, Color>;
	const surfaces: Partial<Record<Panel, Rgb>> = {};
	for (const panel of ALL_PANELS) {
		const family = source(PANELS[panel]);
		// A tint of the background, a little lighter on dark terminals and a little darker on light ones.
		const tint = { ...family, l: base.l, c: Math.min(family.c, panel === "toolPendingBg" ? 0.012 : 0.035) };
		const color = placed(tint, PANEL_CONTRAST[panel], [background], lighter, true);
		surfaces[panel] = color;
		result[panel] = rgbToHex(color);
	}

	for (const [token, rule] of Object.entries(RULES) as [Foreground, Rule][]) {
		const on = [background, ...rule.on.map((panel) => surfaces[panel] ?? background)];
		if (BODY_TEXT.includes(token) && foreground && on.every((s) => contrastRatio(foreground, s) >= TEXT)) {
			result[token] = ""; // the terminal's own foreground
			continue;
		}
		result[token] = rgbToHex(placed(source(rule.family), rule.contrast, on, lighter, rule.family === "neutral"));
	}
	return { palette: result, faint: [], appearance };
}

/**
 * The colour with the source's hue and (at most) its chroma that reaches the target contrast on every surface:
 * the source itself when it does (the terminal's own colour), else — and always for shades (`exact`: greys,
 * panels) — the lightness at which it just does.
 */
function placed(source: Oklch, target: number, surfaces: Rgb[], lighter: boolean, exact = false): Rgb {
	const at = (l: number) => oklchToRgb({ ...source, l });
	const weakest = (color: Rgb) => Math.min(...surfaces.map((surface) => contrastRatio(color, surface)));
	if (!exact && weakest(oklchToRgb(source)) >= target) return oklchToRgb(source);
	const extreme = lighter ? 1 : 0;
	if (weakest(at(extreme)) < target) return at(extreme);
	// Between the surface nearest the extreme and the extreme, contrast grows with the distance: the first
	// lightness that reaches the target.
	const surfaceLs = surfaces.map((surface) => rgbToOklch(surface).l);
	let near = lighter ? Math.max(...surfaceLs) : Math.min(...surfaceLs);
	let far: number = extreme;
	for (let i = 0; i < 24; i++) {
		const middle = (near + far) / 2;
		if (weakest(at(middle)) >= target) far = middle;
		else near = middle;
	}
	return at(far);
}

/** The tier for terminals that reported nothing: ANSI indices, default colours, faint secondary text. */
function indexedTheme(): SystemTheme {
	const result = {} as Record<ThemeColor, Color>;
	for (const panel of ALL_PANELS) result[panel] = "";
	for (const [token, rule] of Object.entries(RULES) as [Foreground, Rule][]) {
		result[token] = rule.family === "neutral" ? "" : FAMILIES[rule.family].slot;
	}
	return { palette: result, faint: [...FAINT_TOKENS], appearance: undefined };
}
