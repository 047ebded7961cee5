/**
 * Styling for the interactive mode, through the TUI's theme (pi-spec §9.11), so every component follows the
 * active palette and colour mode.
 */
import { type ThemeColor, theme } from "../../tui/theme.ts";

export type ColorToken = ThemeColor;

export function fg(token: ColorToken, text: string): string {
	return theme.fg(token, text);
}

/** Background; re-opened after every full reset inside the text so nested styles keep the fill. */
export function bg(token: ColorToken, text: string): string {
	const reopen = theme.bgAnsi(token);
	if (!reopen) return text;
	return theme.bg(token, text.replaceAll("\x1b[0m", `\x1b[0m${reopen}`));
}

export const bold = (text: string): string => theme.bold(text);
export const italic = (text: string): string => theme.italic(text);

export function thinkingBorderToken(level: string): ColorToken {
	switch (level) {
		case "minimal":
			return "thinkingMinimal";
		case "low":
			return "thinkingLow";
		case "medium":
			return "thinkingMedium";
		case "high":
			return "thinkingHigh";
		case "xhigh":
		case "max":
			return "thinkingXhigh";
		default:
			return "thinkingOff";
	}
}
