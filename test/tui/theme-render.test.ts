import { afterEach, describe, expect, test } from "bun:test";
import { UserMessageView } from "../../src/modes/interactive/components/messages.ts";
import { Markdown } from "../../src/tui/components/markdown.ts";
import { getColorMode, setColorMode } from "../../src/tui/theme.ts";
import { initTheme, onThemeChange, setTheme } from "../../src/tui/themes/manager.ts";
import { TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

const initialMode = getColorMode();
afterEach(() => {
	setColorMode(initialMode);
	initTheme("dark");
});

async function draw(mode: "truecolor" | "256color") {
	setColorMode(mode);
	const terminal = new VirtualTerminal(30, 12);
	const tui = new TUI(terminal);
	tui.addChild(new Markdown("# Title\n\n- item", 0, 0));
	tui.addChild(new UserMessageView("hello"));
	tui.start();
	const settle = async () => {
		tui.requestRender();
		await terminal.settle();
	};
	await settle();
	return { terminal, tui, settle };
}

/** Row of the first line containing the text, and the column where it starts. */
function find(terminal: VirtualTerminal, text: string): { row: number; col: number } {
	const lines = terminal.getViewport();
	const row = lines.findIndex((line) => line.includes(text));
	if (row < 0) throw new Error(`"${text}" not on screen:\n${lines.join("\n")}`);
	return { row, col: lines[row]?.indexOf(text) ?? 0 };
}

function fgOf(terminal: VirtualTerminal, text: string) {
	const { row, col } = find(terminal, text);
	const cell = terminal.getCell(row, col);
	return {
		rgb: cell?.isFgRGB() ? cell.getFgColor() : undefined,
		palette: cell?.isFgPalette() ? cell.getFgColor() : undefined,
	};
}

function bgOf(terminal: VirtualTerminal, text: string) {
	const { row, col } = find(terminal, text);
	const cell = terminal.getCell(row, col);
	return {
		rgb: cell?.isBgRGB() ? cell.getBgColor() : undefined,
		palette: cell?.isBgPalette() ? cell.getBgColor() : undefined,
	};
}

describe("dark and light themes on screen", () => {
	test("cells take pi's dark colours, then pi's light colours after a switch", async () => {
		initTheme("dark");
		const { terminal, tui, settle } = await draw("truecolor");
		expect(fgOf(terminal, "Title").rgb).toBe(0xf0c674); // mdHeading
		expect(fgOf(terminal, "-").rgb).toBe(0x8abeb7); // mdListBullet → accent
		expect(bgOf(terminal, "hello").rgb).toBe(0x343541); // userMessageBg

		const off = onThemeChange(() => tui.invalidate());
		setTheme("light");
		off();
		await settle();
		expect(fgOf(terminal, "Title").rgb).toBe(0x9a7326);
		expect(fgOf(terminal, "-").rgb).toBe(0x588458);
		expect(bgOf(terminal, "hello").rgb).toBe(0xe8e8e8);
		tui.stop();
	});

	test("on a 256-colour terminal the cells use pi's nearest palette entries", async () => {
		initTheme("light");
		const { terminal, tui } = await draw("256color");
		expect(fgOf(terminal, "Title")).toEqual({ rgb: undefined, palette: 94 });
		expect(bgOf(terminal, "hello")).toEqual({ rgb: undefined, palette: 254 });
		tui.stop();
		initTheme("dark");
		const dark = await draw("256color");
		expect(fgOf(dark.terminal, "Title")).toEqual({ rgb: undefined, palette: 222 });
		expect(bgOf(dark.terminal, "hello")).toEqual({ rgb: undefined, palette: 59 });
		dark.tui.stop();
	});
});
