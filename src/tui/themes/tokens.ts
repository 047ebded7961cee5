/** The colour tokens every pi theme defines (theme-schema.json's required "colors" keys), in pi's order. */
export const THEME_COLOR_TOKENS = [
	// Core UI
	"accent",
	"border",
	"borderAccent",
	"borderMuted",
	"success",
	"error",
	"warning",
	"muted",
	"dim",
	"text",
	"thinkingText",
	// Backgrounds and message text
	"selectedBg",
	"userMessageBg",
	"userMessageText",
	"customMessageBg",
	"customMessageText",
	"customMessageLabel",
	"toolPendingBg",
	"toolSuccessBg",
	"toolErrorBg",
	"toolTitle",
	"toolOutput",
	// Markdown
	"mdHeading",
	"mdLink",
	"mdLinkUrl",
	"mdCode",
	"mdCodeBlock",
	"mdCodeBlockBorder",
	"mdQuote",
	"mdQuoteBorder",
	"mdHr",
	"mdListBullet",
	// Tool diffs
	"toolDiffAdded",
	"toolDiffRemoved",
	"toolDiffContext",
	// Syntax highlighting
	"syntaxComment",
	"syntaxKeyword",
	"syntaxFunction",
	"syntaxVariable",
	"syntaxString",
	"syntaxNumber",
	"syntaxType",
	"syntaxOperator",
	"syntaxPunctuation",
	// Thinking-level editor borders
	"thinkingOff",
	"thinkingMinimal",
	"thinkingLow",
	"thinkingMedium",
	"thinkingHigh",
	"thinkingXhigh",
	// Bash mode editor border
	"bashMode",
] as const;

export type ThemeColor = (typeof THEME_COLOR_TOKENS)[number];

/** A resolved colour: "#rrggbb", a 256-palette index, or "" for the terminal's default. */
export type Color = string | number;

export type ThemePalette = Record<ThemeColor, Color>;

/** The export section's optional keys (HTML export page colours). */
export const THEME_EXPORT_KEYS = ["pageBg", "cardBg", "infoBg"] as const;
export type ThemeExportKey = (typeof THEME_EXPORT_KEYS)[number];
