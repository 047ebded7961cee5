import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SettingsManager } from "../../src/config/settings.ts";
import { getColorMode, setColorMode, theme } from "../../src/tui/theme.ts";
import { DARK_THEME } from "../../src/tui/themes/builtin.ts";
import { discoverThemes, formatThemeDiagnostic, loadThemeFile } from "../../src/tui/themes/loader.ts";
import {
	availableThemeNames,
	currentThemeName,
	initTheme,
	onThemeChange,
	setAgentThemesDir,
	setRegisteredThemes,
	setTheme,
	stopThemeWatcher,
} from "../../src/tui/themes/manager.ts";
import { setupThemes } from "../../src/tui/themes/startup.ts";

const initialMode = getColorMode();
afterEach(() => {
	stopThemeWatcher();
	setColorMode(initialMode);
	setRegisteredThemes([]);
	setAgentThemesDir(undefined);
	initTheme("dark");
});

function themeText(name: string, accent = "#123456"): string {
	return JSON.stringify({
		name,
		vars: { ...DARK_THEME.vars, mine: accent },
		colors: { ...DARK_THEME.colors, accent: "mine" },
	});
}

function dirs() {
	const root = mkdtempSync(join(tmpdir(), "pi-theme-files-"));
	const cwd = join(root, "project");
	const agentDir = join(root, "agent");
	mkdirSync(join(cwd, ".pi", "themes"), { recursive: true });
	mkdirSync(join(agentDir, "themes"), { recursive: true });
	return { root, cwd, agentDir };
}

describe("theme discovery", () => {
	test("loads project and agent theme folders, settings paths and --theme paths; first name wins", () => {
		const { root, cwd, agentDir } = dirs();
		writeFileSync(join(cwd, ".pi", "themes", "proj.json"), themeText("proj"));
		writeFileSync(join(agentDir, "themes", "user.json"), themeText("user"));
		writeFileSync(join(agentDir, "themes", "proj.json"), themeText("proj", "#000001"));
		writeFileSync(join(agentDir, "themes", "notes.txt"), "not a theme");
		writeFileSync(join(root, "cli.json"), themeText("cli", "#abcdef"));
		mkdirSync(join(agentDir, "extra"));
		writeFileSync(join(agentDir, "extra", "fromsettings.json"), themeText("fromsettings"));
		const found = discoverThemes({
			cwd,
			agentDir,
			globalSettingsPaths: ["extra", "!ignored"],
			cliPaths: [join(root, "cli.json")],
			projectTrusted: true,
		});
		expect(found.themes.map((t) => t.name)).toEqual(["fromsettings", "proj", "user", "cli"]);
		expect(found.themes.find((t) => t.name === "proj")?.sourcePath).toBe(join(cwd, ".pi", "themes", "proj.json"));
		expect(found.themes.find((t) => t.name === "cli")?.palette.accent).toBe("#abcdef");
		expect(found.diagnostics).toEqual([
			{
				type: "collision",
				message: `name "proj" collision (${join(cwd, ".pi", "themes", "proj.json")} wins)`,
				path: join(agentDir, "themes", "proj.json"),
			},
		]);
		// An untrusted project's .pi/themes is not searched: the agent dir's "proj" is the one.
		const untrusted = discoverThemes({ cwd, agentDir });
		expect(untrusted.themes.find((t) => t.name === "proj")?.sourcePath).toBe(join(agentDir, "themes", "proj.json"));
		expect(untrusted.diagnostics).toEqual([]);
	});

	test("--no-themes keeps only explicit --theme paths; missing and non-JSON paths are reported", () => {
		const { root, cwd, agentDir } = dirs();
		writeFileSync(join(agentDir, "themes", "user.json"), themeText("user"));
		writeFileSync(join(root, "cli.json"), themeText("cli"));
		writeFileSync(join(root, "theme.txt"), "x");
		const found = discoverThemes({
			cwd,
			agentDir,
			noThemes: true,
			cliPaths: [join(root, "cli.json"), join(root, "missing.json"), join(root, "theme.txt")],
		});
		expect(found.themes.map((t) => t.name)).toEqual(["cli"]);
		expect(found.diagnostics).toEqual([
			{ type: "warning", message: "theme path does not exist", path: join(root, "missing.json") },
			{ type: "warning", message: "theme path is not a json file", path: join(root, "theme.txt") },
		]);
	});

	test("a bad theme file becomes a warning naming the file and the problem", () => {
		const { cwd, agentDir } = dirs();
		const broken = join(agentDir, "themes", "broken.json");
		const incomplete = join(agentDir, "themes", "incomplete.json");
		const badVar = join(agentDir, "themes", "badvar.json");
		writeFileSync(broken, "{ not json");
		const { accent: _accent, mdHr: _mdHr, ...someColors } = DARK_THEME.colors;
		writeFileSync(
			incomplete,
			JSON.stringify({ name: "incomplete", vars: DARK_THEME.vars, colors: { ...someColors, border: true } }),
		);
		writeFileSync(badVar, JSON.stringify({ name: "badvar", colors: { ...DARK_THEME.colors } }));
		const found = discoverThemes({ cwd, agentDir });
		expect(found.themes).toEqual([]);
		const lines = found.diagnostics.map(formatThemeDiagnostic);
		expect(lines[0]).toStartWith(`Theme ${badVar}: Variable reference not found: `);
		expect(lines[1]).toStartWith(`Failed to parse theme ${broken}: `);
		expect(lines[2]).toStartWith(
			`Invalid theme "${incomplete}": Missing required color tokens: accent, mdHr Other errors: /colors/border: `,
		);
		expect(lines[2]).not.toContain("\n");
		// The full text (pi's wording) stays on the diagnostic itself.
		expect(found.diagnostics[2]?.message).toContain("\n\nMissing required color tokens:\n  - accent\n  - mdHr\n");
	});

	test("loadThemeFile returns the name, path and resolved palette", () => {
		const { root } = dirs();
		const file = join(root, "ocean.json");
		writeFileSync(file, themeText("ocean", "#0a0b0c"));
		const loaded = loadThemeFile(file);
		expect(loaded.name).toBe("ocean");
		expect(loaded.sourcePath).toBe(file);
		expect(loaded.palette.accent).toBe("#0a0b0c");
		expect(loaded.palette.border).toBe("#5f87ff");
	});
});

test("a theme file starting with a byte-order mark loads (pi 1.6.0)", () => {
	const { root } = dirs();
	const file = join(root, "notepad.json");
	writeFileSync(file, `\uFEFF${themeText("notepad", "#0a0b0c")}`);
	expect(loadThemeFile(file).palette.accent).toBe("#0a0b0c");
});

describe("selecting themes", () => {
	test("settings.theme selects a custom theme by its name", () => {
		const { cwd, agentDir } = dirs();
		writeFileSync(join(agentDir, "settings.json"), JSON.stringify({ theme: "ocean" }));
		writeFileSync(join(cwd, ".pi", "themes", "sea.json"), themeText("ocean", "#0a0b0c"));
		const settings = SettingsManager.create(cwd, agentDir, { projectTrusted: true });
		setColorMode("truecolor");
		const result = setupThemes({ cwd, agentDir, settings });
		expect(result.warnings).toEqual([]);
		expect(currentThemeName()).toBe("ocean");
		expect(theme.fg("accent", "x")).toBe("\x1b[38;2;10;11;12mx\x1b[39m");
		expect(availableThemeNames()).toEqual(["dark", "light", "ocean", "system"]);
	});

	test("a selected theme whose file is bad warns once and falls back to dark", () => {
		const { cwd, agentDir } = dirs();
		const file = join(cwd, ".pi", "themes", "ocean.json");
		writeFileSync(file, JSON.stringify({ name: "ocean", colors: {} }));
		writeFileSync(join(cwd, ".pi", "settings.json"), JSON.stringify({ theme: "ocean" }));
		const result = setupThemes({
			cwd,
			agentDir,
			settings: SettingsManager.create(cwd, agentDir, { projectTrusted: true }),
		});
		expect(result.warnings).toHaveLength(2);
		expect(result.warnings[0]).toContain(`Invalid theme "${file}"`);
		expect(result.warnings[1]).toBe('Theme "ocean" could not be loaded: Theme not found: ocean. Using the dark theme.');
		expect(theme.name).toBe("dark");
		expect(theme.colors.accent).toBe("#8abeb7");
	});

	test("a bad file in the agent themes folder selected by name reports its problem once", () => {
		const { cwd, agentDir } = dirs();
		writeFileSync(join(agentDir, "themes", "ocean.json"), "{");
		writeFileSync(join(agentDir, "settings.json"), JSON.stringify({ theme: "ocean" }));
		const result = setupThemes({
			cwd,
			agentDir,
			settings: SettingsManager.create(cwd, agentDir, { projectTrusted: true }),
		});
		expect(result.warnings[0]).toStartWith(`Failed to parse theme ${join(agentDir, "themes", "ocean.json")}`);
		expect(result.warnings[1]).toBe('Theme "ocean" could not be loaded. Using the dark theme.');
		expect(theme.name).toBe("dark");
	});

	test("setTheme tells listeners; a failed switch reports the error and leaves dark", () => {
		let calls = 0;
		const off = onThemeChange(() => calls++);
		expect(setTheme("light")).toEqual({ success: true });
		expect(theme.colors.accent).toBe("#5a8080");
		expect(setTheme("nope")).toEqual({ success: false, error: "Theme not found: nope" });
		expect(theme.colors.accent).toBe("#8abeb7");
		off();
		setTheme("light");
		expect(calls).toBe(2);
	});

	test("the active custom theme's file is watched and re-applied when it changes", async () => {
		const { cwd, agentDir } = dirs();
		const file = join(agentDir, "themes", "live.json");
		writeFileSync(file, themeText("live", "#010203"));
		setRegisteredThemes(discoverThemes({ cwd, agentDir }).themes);
		expect(initTheme("live", { watch: true })).toEqual({ success: true });
		expect(theme.colors.accent).toBe("#010203");
		const changed = new Promise<void>((resolve) => {
			const off = onThemeChange(() => {
				off();
				resolve();
			});
		});
		// An invalid intermediate save is ignored; the final one is applied.
		writeFileSync(file, "{");
		writeFileSync(file, themeText("live", "#040506"));
		await Promise.race([changed, Bun.sleep(2000)]);
		expect(theme.colors.accent).toBe("#040506");
		expect(theme.sourcePath).toBe(file);
	});
});
