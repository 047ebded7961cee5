import { afterEach, expect, test } from "bun:test";
import { getColorMode, setColorMode, theme } from "../../src/tui/theme.ts";
import { initTheme } from "../../src/tui/themes/manager.ts";
import { type Harness, startInteractive } from "../interactive/harness.ts";

const initialMode = getColorMode();
afterEach(() => {
	setColorMode(initialMode);
	initTheme("dark");
});

/** The first cell of some text on screen: its foreground and background as 0xRRGGBB (undefined if default). */
function cellColors(h: Harness, text: string): { fg?: number; bg?: number } {
	const rows = h.terminal.getViewport();
	const row = rows.findIndex((line) => line.includes(text));
	const cell = h.terminal.getCell(row, rows[row]?.indexOf(text) ?? 0);
	return { fg: cell?.isFgRGB() ? cell.getFgColor() : undefined, bg: cell?.isBgRGB() ? cell.getBgColor() : undefined };
}

test("/settings → Theme → light redraws the transcript and editor in pi's light colours and saves it", async () => {
	setColorMode("truecolor");
	initTheme("dark");
	const h = await startInteractive({ turns: [{ chunks: ["# Heading\n"] }] });
	h.type("hello there\r");
	await h.waitFor("Heading");
	await h.waitUntil(() => !h.session.isStreaming);
	await h.terminal.flush();
	expect(cellColors(h, "Heading").fg).toBe(0xf0c674); // dark mdHeading
	expect(cellColors(h, "hello there").bg).toBe(0x343541); // dark userMessageBg
	expect(cellColors(h, "────").fg).toBe(0x81a2be); // editor border: dark thinkingMedium

	h.type("/settings\r");
	await h.waitFor("Auto-compact");
	h.type("theme");
	await h.waitFor(/Theme\s+dark/);
	h.type("\r");
	await h.waitFor("esc back");
	h.type("light\r");
	await h.waitUntil(() => theme.name === "light");
	expect(h.session.settings.settings.theme).toBe("light");
	h.type("\x1b");
	// Renders are coalesced: poll until the settings list is gone and the editor border is redrawn.
	await h.waitUntil(() => {
		void h.terminal.flush();
		return !h.screen().includes("Auto-compact") && cellColors(h, "────").fg === 0x5a8080;
	});
	expect(cellColors(h, "Heading").fg).toBe(0x9a7326); // light mdHeading
	expect(cellColors(h, "hello there").bg).toBe(0xe8e8e8); // light userMessageBg
	expect(await h.quit()).toBe(0);
});
