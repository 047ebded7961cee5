import { afterEach, describe, expect, test } from "bun:test";
import {
	darkThemeColors,
	detectColorMode,
	getColorMode,
	lightThemeColors,
	rgbTo256,
	setColorMode,
	theme,
} from "../../src/tui/theme.ts";
import { ansi256ToHex, hexTo256 } from "../../src/tui/themes/ansi256.ts";
import { DARK_THEME, LIGHT_THEME } from "../../src/tui/themes/builtin.ts";
import {
	defaultThemeName,
	initTheme,
	setRegisteredThemes,
	themeCssColors,
	themeExportColors,
} from "../../src/tui/themes/manager.ts";
import { resolveColorValue, resolveThemePalette } from "../../src/tui/themes/resolve.ts";
import { parseThemeJson, parseThemeText } from "../../src/tui/themes/schema.ts";
import { THEME_COLOR_TOKENS } from "../../src/tui/themes/tokens.ts";

const initialMode = getColorMode();
afterEach(() => {
	setColorMode(initialMode);
	setRegisteredThemes([]);
	initTheme("dark");
});

describe("built-in themes", () => {
	test("dark and light resolve to pi 0.73.1's values", () => {
		expect(darkThemeColors.accent).toBe("#8abeb7");
		expect(darkThemeColors.borderMuted).toBe("#505050");
		expect(darkThemeColors.userMessageBg).toBe("#343541");
		expect(darkThemeColors.mdHeading).toBe("#f0c674");
		expect(darkThemeColors.text).toBe("");
		expect(lightThemeColors.accent).toBe("#5a8080");
		expect(lightThemeColors.borderMuted).toBe("#b0b0b0");
		expect(lightThemeColors.userMessageBg).toBe("#e8e8e8");
		expect(lightThemeColors.mdHeading).toBe("#9a7326");
		expect(lightThemeColors.mdListBullet).toBe("#588458");
		expect(lightThemeColors.thinkingXhigh).toBe("#8b008b");
		expect(lightThemeColors.syntaxKeyword).toBe("#0000FF");
	});

	test("every token is defined by both built-ins and the schema accepts them", () => {
		for (const json of [DARK_THEME, LIGHT_THEME]) {
			expect(Object.keys(json.colors).sort()).toEqual([...THEME_COLOR_TOKENS].sort());
			expect(parseThemeJson(json.name, JSON.parse(JSON.stringify(json)))).toEqual(json);
		}
		expect(THEME_COLOR_TOKENS.length).toBe(51);
	});

	test("export colours come from the export section", () => {
		expect(themeExportColors("dark")).toEqual({ pageBg: "#18181e", cardBg: "#1e1e24", infoBg: "#3c3728" });
		expect(themeExportColors("light")).toEqual({ pageBg: "#f8f8f8", cardBg: "#ffffff", infoBg: "#fffae6" });
	});

	test("CSS colours for export: defaults stand in for the terminal colour, indices become hex", () => {
		const dark = themeCssColors("dark");
		expect(dark.text).toBe("#e5e5e7");
		expect(dark.accent).toBe("#8abeb7");
		expect(themeCssColors("light").text).toBe("#000000");
		expect(themeCssColors("light").mdHeading).toBe("#9a7326");
	});

	test("initTheme switches the shared theme object in place; unknown names fall back to dark", () => {
		setColorMode("truecolor");
		expect(initTheme("light")).toEqual({ success: true });
		expect(theme.name).toBe("light");
		expect(theme.fg("accent", "x")).toBe("\x1b[38;2;90;128;128mx\x1b[39m");
		const result = initTheme("no-such-theme");
		expect(result).toEqual({ success: false, error: "Theme not found: no-such-theme" });
		expect(theme.name).toBe("dark");
		expect(theme.fg("accent", "x")).toBe("\x1b[38;2;138;190;183mx\x1b[39m");
	});

	test("default theme follows COLORFGBG's background index", () => {
		expect(defaultThemeName({})).toBe("dark");
		expect(defaultThemeName({ COLORFGBG: "15;0" })).toBe("dark");
		expect(defaultThemeName({ COLORFGBG: "0;15" })).toBe("light");
		expect(defaultThemeName({ COLORFGBG: "0;default;15" })).toBe("dark");
		expect(defaultThemeName({ COLORFGBG: "garbage" })).toBe("dark");
	});
});

describe("theme validation", () => {
	const minimal = () => ({ name: "mine", colors: { ...DARK_THEME.colors }, vars: { ...DARK_THEME.vars } });

	test("missing colour tokens are listed by name", () => {
		const json = minimal();
		const { accent: _a, mdHr: _h, ...colors } = json.colors;
		expect(() => parseThemeJson("/x/mine.json", { ...json, colors })).toThrow(
			/Invalid theme "\/x\/mine.json":\n\nMissing required color tokens:\n {2}- accent\n {2}- mdHr/,
		);
	});

	test("wrong types are reported with their path", () => {
		expect(() => parseThemeJson("t", { ...minimal(), colors: { ...DARK_THEME.colors, accent: true } })).toThrow(
			/Other errors:\n {2}- \/colors\/accent: /,
		);
		expect(() => parseThemeJson("t", { ...minimal(), colors: { ...DARK_THEME.colors, accent: 300 } })).toThrow(
			/\/colors\/accent/,
		);
		expect(() => parseThemeJson("t", { ...minimal(), name: 5 })).toThrow(/\/name: /);
		expect(() => parseThemeJson("t", { ...minimal(), export: { pageBg: [] } })).toThrow(/\/export\/pageBg/);
	});

	test("broken JSON names the file", () => {
		expect(() => parseThemeText("/x/bad.json", "{ nope")).toThrow(/^Failed to parse theme \/x\/bad.json: /);
	});

	test("variables resolve through chains; unknown, circular and malformed values are errors", () => {
		const vars = { a: "b", b: "#112233", loop1: "loop2", loop2: "loop1", idx: 42, bad: "#12345" };
		expect(resolveColorValue("a", vars)).toBe("#112233");
		expect(resolveColorValue("idx", vars)).toBe(42);
		expect(resolveColorValue("", vars)).toBe("");
		expect(resolveColorValue(7, vars)).toBe(7);
		expect(() => resolveColorValue("nope", vars)).toThrow("Variable reference not found: nope");
		expect(() => resolveColorValue("loop1", vars)).toThrow("Circular variable reference detected: loop1");
		expect(() => resolveColorValue("bad", vars)).toThrow("Invalid hex color: #12345");
		const palette = resolveThemePalette({ ...minimal(), colors: { ...DARK_THEME.colors, accent: 33 } });
		expect(palette.accent).toBe(33);
	});
});

describe("colour modes", () => {
	test("pi's truecolor detection from COLORTERM, WT_SESSION, TERM and TERM_PROGRAM", () => {
		expect(detectColorMode({ COLORTERM: "truecolor", TERM: "dumb" })).toBe("truecolor");
		expect(detectColorMode({ COLORTERM: "24bit" })).toBe("truecolor");
		expect(detectColorMode({ WT_SESSION: "1" })).toBe("truecolor");
		expect(detectColorMode({})).toBe("256color");
		expect(detectColorMode({ TERM: "dumb" })).toBe("256color");
		expect(detectColorMode({ TERM: "linux" })).toBe("256color");
		expect(detectColorMode({ TERM: "xterm-256color", TERM_PROGRAM: "Apple_Terminal" })).toBe("256color");
		expect(detectColorMode({ TERM: "screen-256color" })).toBe("256color");
		expect(detectColorMode({ TERM: "screen.xterm-256color" })).toBe("256color");
		expect(detectColorMode({ TERM: "screen" })).toBe("256color");
		expect(detectColorMode({ TERM: "screen", COLORTERM: "truecolor" })).toBe("truecolor");
		expect(detectColorMode({ TERM: "xterm-256color" })).toBe("truecolor");
		expect(detectColorMode({ TERM: "xterm-kitty" })).toBe("truecolor");
	});

	test("256-colour fallback picks pi's palette entries for the built-in colours", () => {
		// Expected indices were produced by pi 0.73.1's own conversion.
		const expected: Record<string, number> = {
			"#8abeb7": 109,
			"#5f87ff": 69,
			"#505050": 239,
			"#808080": 244,
			"#3a3a4a": 59,
			"#343541": 59,
			"#f0c674": 222,
			"#9a7326": 94,
			"#e8e8e8": 254,
			"#5a8080": 66,
			"#d0d0e0": 188,
			"#000000": 16,
			"#ffffff": 231,
			"#6c6c6c": 242,
			"#767676": 243,
		};
		for (const [hex, index] of Object.entries(expected)) expect([hex, hexTo256(hex)]).toEqual([hex, index]);
		// A tinted dark grey keeps its hue (cube) although a ramp grey is nearer; a neutral one takes the ramp.
		expect(rgbTo256(58, 58, 74)).toBe(59);
		expect(rgbTo256(58, 58, 58)).toBe(237);
	});

	test("theme output follows the colour mode", () => {
		setColorMode("256color");
		expect(theme.fg("accent", "x")).toBe("\x1b[38;5;109mx\x1b[39m");
		expect(theme.bg("userMessageBg", "x")).toBe("\x1b[48;5;59mx\x1b[49m");
		setColorMode("truecolor");
		expect(theme.bg("userMessageBg", "x")).toBe("\x1b[48;2;52;53;65mx\x1b[49m");
		expect(theme.fg("text", "x")).toBe("x");
	});

	test("palette indices map back to hex for export", () => {
		expect(ansi256ToHex(1)).toBe("#800000");
		expect(ansi256ToHex(16)).toBe("#000000");
		expect(ansi256ToHex(109)).toBe("#87afaf");
		expect(ansi256ToHex(231)).toBe("#ffffff");
		expect(ansi256ToHex(244)).toBe("#808080");
	});
});
