// The `system` theme: colours built from what the terminal reports (OSC 10/11/4), the reply parsing, and the TUI
// asking for them before its first frame.
import { afterEach, describe, expect, test } from "bun:test";
import { parseColorReply, TerminalColorCollector } from "../../src/tui/terminal-colors.ts";
import { getColorMode, setColorMode, theme } from "../../src/tui/theme.ts";
import { hexToRgb } from "../../src/tui/themes/ansi256.ts";
import { contrastRatio, type Rgb, rgbToOklch } from "../../src/tui/themes/color-space.ts";
import { currentThemeName, initTheme, setTerminalColors } from "../../src/tui/themes/manager.ts";
import { buildSystemTheme } from "../../src/tui/themes/system-theme.ts";
import type { ThemeColor } from "../../src/tui/themes/tokens.ts";
import { TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

const initialMode = getColorMode();
afterEach(() => {
	setColorMode(initialMode);
	setTerminalColors({});
	initTheme("dark");
});

const rgb = (r: number, g: number, b: number): Rgb => ({ r, g, b });
const XTERM_PALETTE = [
	[0, 0, 0],
	[205, 0, 0],
	[0, 205, 0],
	[205, 205, 0],
	[0, 0, 238],
	[205, 0, 205],
	[0, 205, 205],
	[229, 229, 229],
	[127, 127, 127],
	[255, 0, 0],
	[0, 255, 0],
	[255, 255, 0],
	[92, 92, 255],
	[255, 0, 255],
	[0, 255, 255],
	[255, 255, 255],
].map(([r = 0, g = 0, b = 0]) => rgb(r, g, b));

const TERMINALS = {
	"xterm black": { background: rgb(0, 0, 0), foreground: rgb(229, 229, 229), palette: XTERM_PALETTE },
	"plain white": { background: rgb(255, 255, 255), foreground: rgb(0, 0, 0), palette: XTERM_PALETTE },
	"solarized light (low-contrast foreground)": { background: rgb(253, 246, 227), foreground: rgb(101, 123, 131) },
	"gruvbox dark, background only": { background: rgb(40, 40, 40) },
};

function colorOf(value: string | number, fallback: Rgb): Rgb {
	if (value === "") return fallback;
	if (typeof value === "number") throw new Error(`unexpected index ${value}`);
	const [r, g, b] = hexToRgb(value);
	return rgb(r, g, b);
}

describe("the system theme's colours", () => {
	for (const [name, report] of Object.entries(TERMINALS)) {
		test(`${name}: body text reaches 4.5:1 on the background and its panels; readable colours on the background`, () => {
			const built = buildSystemTheme(report);
			const { palette } = built;
			const background = report.background;
			const foreground = "foreground" in report ? report.foreground : undefined;
			const fallbackText = foreground ?? rgb(128, 128, 128);
			const on = (token: ThemeColor, surface: Rgb) => contrastRatio(colorOf(palette[token], fallbackText), surface);
			const panel = (token: ThemeColor) => colorOf(palette[token], background);
			expect(on("text", background)).toBeGreaterThanOrEqual(4.5);
			expect(on("text", panel("selectedBg"))).toBeGreaterThanOrEqual(4.5);
			expect(on("userMessageText", panel("userMessageBg"))).toBeGreaterThanOrEqual(4.5);
			for (const tool of ["toolPendingBg", "toolSuccessBg", "toolErrorBg"] as const) {
				expect(on("toolTitle", panel(tool))).toBeGreaterThanOrEqual(4.5);
				expect(on("toolOutput", panel(tool))).toBeGreaterThanOrEqual(4.5);
			}
			for (const token of ["error", "success", "warning", "accent", "muted", "mdLink", "syntaxKeyword"] as const) {
				expect(on(token, background)).toBeGreaterThanOrEqual(4.5);
			}
			// Panels stand out from the background, on the side away from the text.
			expect(contrastRatio(panel("userMessageBg"), background)).toBeGreaterThan(1.2);
			const lighter = rgbToOklch(panel("userMessageBg")).l > rgbToOklch(background).l;
			expect(lighter).toBe(built.appearance === "dark");
			// Secondary text is weaker than muted text.
			expect(on("dim", background)).toBeLessThan(on("muted", background));
			expect(built.faint).toEqual([]);
		});
	}

	test("appearance: light terminals are light, dark ones dark", () => {
		expect(buildSystemTheme(TERMINALS["plain white"]).appearance).toBe("light");
		expect(buildSystemTheme(TERMINALS["solarized light (low-contrast foreground)"]).appearance).toBe("light");
		expect(buildSystemTheme(TERMINALS["xterm black"]).appearance).toBe("dark");
		expect(buildSystemTheme(TERMINALS["gruvbox dark, background only"]).appearance).toBe("dark");
	});

	test("a readable foreground is the terminal's own (the default colour); a weak one is strengthened", () => {
		expect(buildSystemTheme(TERMINALS["xterm black"]).palette.text).toBe("");
		expect(buildSystemTheme(TERMINALS["solarized light (low-contrast foreground)"]).palette.text).not.toBe("");
	});

	test("hues come from the terminal's palette: a palette colour that is readable is used as it is", () => {
		const purple = rgb(200, 120, 255);
		const palette = XTERM_PALETTE.map((color, index) => (index === 1 ? purple : color));
		const built = buildSystemTheme({ background: rgb(0, 0, 0), foreground: rgb(229, 229, 229), palette });
		// "red" in this palette is purple: errors follow the terminal's colour.
		expect(built.palette.error).toBe("#c878ff");
		const darker = buildSystemTheme({ background: rgb(255, 255, 255), foreground: rgb(0, 0, 0), palette });
		const error = colorOf(darker.palette.error, rgb(0, 0, 0));
		expect(Math.abs(rgbToOklch(error).h - rgbToOklch(purple).h)).toBeLessThan(8);
	});

	test("nothing reported: ANSI indices the terminal draws itself, faint secondary text, no panel backgrounds", () => {
		const built = buildSystemTheme({});
		expect(built.palette.error).toBe(1);
		expect(built.palette.success).toBe(2);
		expect(built.palette.userMessageBg).toBe("");
		expect(built.palette.text).toBe("");
		expect(built.faint).toContain("muted");
		initTheme("system");
		expect(theme.fg("muted", "x")).toBe("\x1b[2mx\x1b[22m");
		expect(theme.fg("error", "x")).toBe("\x1b[38;5;1mx\x1b[39m");
	});
});

describe("terminal colour replies", () => {
	test("OSC 10/11/4 replies in the forms terminals send", () => {
		expect(parseColorReply("\x1b]11;rgb:1e1e/2020/3030\x1b\\")).toEqual({
			target: "background",
			rgb: rgb(30, 32, 48),
		});
		expect(parseColorReply("\x1b]10;rgb:ff/80/00\x07")).toEqual({ target: "foreground", rgb: rgb(255, 128, 0) });
		expect(parseColorReply("\x1b]4;9;#ff0000\x07")).toEqual({ target: 9, rgb: rgb(255, 0, 0) });
		expect(parseColorReply("\x1b]4;3;rgba:ffff/ffff/0000/ffff\x1b\\")).toEqual({ target: 3, rgb: rgb(255, 255, 0) });
		expect(parseColorReply("\x1b]11;nonsense\x07")).toEqual({ target: "background", rgb: undefined });
		expect(parseColorReply("\x1b[A")).toBeUndefined();
	});

	test("the palette counts only when all 16 colours were reported", () => {
		const collector = new TerminalColorCollector();
		collector.take("\x1b]11;rgb:0000/0000/0000\x07");
		for (let i = 0; i < 15; i++) collector.take(`\x1b]4;${i};rgb:10/20/30\x07`);
		expect(collector.report()).toEqual({ background: rgb(0, 0, 0) });
		collector.take("\x1b]4;15;rgb:ff/ff/ff\x07");
		expect(collector.report().palette).toHaveLength(16);
	});
});

/** A terminal that answers the colour queries with the given colours (xterm.js itself answers only DA1). */
class ColorAnsweringTerminal extends VirtualTerminal {
	constructor(private readonly answer: string) {
		super(40, 6);
		this.answerQueries = false;
	}
	override write(data: string): void {
		super.write(data);
		if (data.includes("\x1b]11;?")) this.reply(this.answer);
	}
	reply(data: string): void {
		// Delivered like a TTY read: later, as one chunk.
		setTimeout(() => this.sendInput(data), 5);
	}
}

describe("the TUI asks for the colours", () => {
	const line = { render: () => [theme.fg("error", "E") + theme.fg("text", "T")], invalidate() {} };

	test("the first frame waits for the reply and is drawn in the terminal's colours; replies never reach the editor", async () => {
		setColorMode("truecolor");
		initTheme("system");
		const palette = XTERM_PALETTE.map(
			(c, i) => `\x1b]4;${i};rgb:${[c.r, c.g, c.b].map((v) => v.toString(16).padStart(2, "0")).join("/")}\x1b\\`,
		).join("");
		const terminal = new ColorAnsweringTerminal(
			`\x1b]10;rgb:e5e5/e5e5/e5e5\x1b\\\x1b]11;rgb:0000/0000/0000\x1b\\${palette}\x1b[?62;22c`,
		);
		const keys: string[] = [];
		const tui = new TUI(terminal, { onTerminalColors: setTerminalColors, waitForColors: true });
		tui.addChild(line);
		tui.onInput = (data) => {
			keys.push(data);
			return true;
		};
		tui.start();
		await waitFor(() => terminal.writes.join("").includes("E"));
		// Held until the colours came: no frame in the ANSI fallback colours before the one in the terminal's.
		const drawn = terminal.writes.join("");
		expect(drawn).not.toContain("\x1b[38;5;1mE");
		// biome-ignore lint/suspicious/noControlCharactersInRegex: a truecolor foreground
		expect(drawn).toMatch(/\x1b\[38;2;\d+;\d+;\d+mE/);
		expect(keys).toEqual([]);
		expect(currentThemeName()).toBe("system");
		tui.stop();
	});

	test("a terminal that reports no colours: the frame is drawn once it answered DA1, in ANSI colours", async () => {
		initTheme("system");
		const terminal = new VirtualTerminal(40, 6);
		const tui = new TUI(terminal, { onTerminalColors: setTerminalColors, waitForColors: true });
		tui.addChild(line);
		tui.start();
		await waitFor(() => terminal.writes.join("").includes("E"));
		expect(terminal.writes.join("")).toContain("\x1b[38;5;1mE");
		tui.stop();
	});
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error("condition not met in time");
		await Bun.sleep(5);
	}
}
