/** The editor border shows the thinking level in the theme's colour, and bash mode for `!` input (pi-spec §9.1). */
import { afterEach, expect, test } from "bun:test";
import { getColorMode, setColorMode, type ThemeColor, theme } from "../../src/tui/theme.ts";
import { initTheme } from "../../src/tui/themes/manager.ts";
import { type Harness, startInteractive } from "./harness.ts";

const initialMode = getColorMode();
let current: Harness | undefined;
afterEach(async () => {
	if (current) await current.quit();
	current = undefined;
	setColorMode(initialMode);
	initTheme("dark");
});

/** The theme token's truecolor foreground as 0xRRGGBB. */
function tokenRgb(token: ThemeColor): number {
	const match = /38;2;(\d+);(\d+);(\d+)/.exec(theme.fgAnsi(token));
	if (!match) throw new Error(`${token} has no truecolor foreground`);
	return (Number(match[1]) << 16) | (Number(match[2]) << 8) | Number(match[3]);
}

/** Foreground of the editor's top border (the first row made of ─ after the chat). */
async function borderRgb(h: Harness): Promise<number | undefined> {
	await h.terminal.flush();
	const rows = h.terminal.getViewport();
	const row = rows.findIndex((line) => line.startsWith("──────────"));
	const cell = h.terminal.getCell(row, 0);
	return cell?.isFgRGB() ? cell.getFgColor() : undefined;
}

test("border colour follows the thinking level and turns to bash mode for ! input", async () => {
	setColorMode("truecolor");
	initTheme("dark");
	const h = await startInteractive({ turns: [] });
	current = h;
	expect(await borderRgb(h)).toBe(tokenRgb("thinkingMedium"));
	h.type("\x1b[Z"); // shift+tab: medium → high
	await h.waitFor("Thinking level: high");
	expect(await borderRgb(h)).toBe(tokenRgb("thinkingHigh"));
	expect(tokenRgb("thinkingHigh")).not.toBe(tokenRgb("thinkingMedium"));
	h.type("  !ls");
	await h.waitUntil(() => h.screen().includes("!ls"));
	expect(await borderRgb(h)).toBe(tokenRgb("bashMode"));
	h.type("\x15"); // ctrl+u clears the line: back to the thinking colour
	await h.waitUntil(() => !h.screen().includes("!ls"));
	expect(await borderRgb(h)).toBe(tokenRgb("thinkingHigh"));
});
