/**
 * Which theme is active (pi's initTheme / setTheme): `system` (pi 1.x's default, built from the colours the terminal
 * reports), built-ins, custom themes registered from discovery, or a `<name>.json` in the agent's themes folder;
 * "light/dark" picks one of two by the terminal's appearance. A theme that cannot be loaded leaves the dark theme
 * active. The active custom theme's file is watched and re-applied when it changes.
 */
import { existsSync, type FSWatcher, readdirSync, watch } from "node:fs";
import { basename, dirname, join } from "node:path";
import { agentDir } from "../../config/paths.ts";
import { errorMessage } from "../../util/errors.ts";
import type { TerminalColorReport } from "../terminal-colors.ts";
import { theme } from "../theme.ts";
import { ansi256ToHex } from "./ansi256.ts";
import { BUILTIN_THEMES, DARK_THEME } from "./builtin.ts";
import { type LoadedTheme, loadThemeFile } from "./loader.ts";
import { resolveColorValue, resolveThemePalette } from "./resolve.ts";
import type { ThemeJson } from "./schema.ts";
import { type Appearance, buildSystemTheme, SYSTEM_THEME_NAME, terminalAppearance } from "./system-theme.ts";
import { THEME_COLOR_TOKENS, type ThemeColor, type ThemeExportKey, type ThemePalette } from "./tokens.ts";

export type ThemeResult = { success: true } | { success: false; error: string };

const registered = new Map<string, LoadedTheme>();
const listeners = new Set<() => void>();
let currentName = "dark";
/** What the terminal reported about its colours (none yet: the `system` theme uses ANSI indices). */
let terminalReport: TerminalColorReport = {};
/** Whether the active theme's file is to be watched (kept when a light/dark pair switches with the terminal). */
let watchRequested = false;
let watcher: FSWatcher | undefined;
let reloadTimer: ReturnType<typeof setTimeout> | undefined;

/** Custom themes found by discovery; they win over built-ins and files of the same name. */
export function setRegisteredThemes(themes: readonly LoadedTheme[]): void {
	registered.clear();
	for (const loaded of themes) registered.set(loaded.name, loaded);
}

export function getRegisteredThemes(): LoadedTheme[] {
	return [...registered.values()];
}

/** The appearance from COLORFGBG (its background index below 8 means dark); dark when unknown. */
export function defaultThemeName(env: Record<string, string | undefined> = process.env): "dark" | "light" {
	const parts = (env.COLORFGBG ?? "").split(";");
	if (parts.length >= 2) {
		const background = Number.parseInt(parts[1] ?? "", 10);
		if (!Number.isNaN(background)) return background < 8 ? "dark" : "light";
	}
	return "dark";
}

let agentThemesDirOverride: string | undefined;

/** Where `<name>.json` is looked up for names no discovered theme has; default `<agentDir>/themes`. */
export function setAgentThemesDir(dir: string | undefined): void {
	agentThemesDirOverride = dir;
}

function customThemesDir(): string {
	return agentThemesDirOverride ?? join(agentDir(), "themes");
}

/** Names offered by /settings: built-ins, registered themes and the agent themes folder's files, sorted. */
export function availableThemeNames(): string[] {
	const names = new Set([SYSTEM_THEME_NAME, ...Object.keys(BUILTIN_THEMES), ...registered.keys()]);
	const dir = customThemesDir();
	if (existsSync(dir)) {
		for (const file of readdirSync(dir)) if (file.endsWith(".json")) names.add(file.slice(0, -".json".length));
	}
	return [...names].sort();
}

/** The terminal's appearance: from its reported colours, else COLORFGBG, else dark (pi 1.6.0's order). */
export function currentAppearance(): Appearance {
	const { background, foreground } = terminalReport;
	return background ? terminalAppearance(background, foreground) : defaultThemeName();
}

/** "light/dark" (pi 1.6.0's automatic mode) names the theme for the current appearance; other names stand. */
function resolvePair(name: string): string {
	const slash = name.indexOf("/");
	if (slash === -1) return name;
	return currentAppearance() === "light" ? name.slice(0, slash) : name.slice(slash + 1);
}

function findTheme(requested: string): { json: ThemeJson; sourcePath?: string; faint?: ThemeColor[] } {
	const name = resolvePair(requested);
	// `system` is reserved: a custom theme of that name is ignored, as in pi.
	if (name === SYSTEM_THEME_NAME) {
		const built = buildSystemTheme(terminalReport);
		return { json: { name, colors: built.palette }, faint: built.faint };
	}
	const custom = registered.get(name);
	if (custom) return { json: custom.json, sourcePath: custom.sourcePath };
	const builtin = BUILTIN_THEMES[name];
	if (builtin) return { json: builtin };
	const file = join(customThemesDir(), `${name}.json`);
	if (!existsSync(file)) throw new Error(`Theme not found: ${name}`);
	const loaded = loadThemeFile(file);
	return { json: loaded.json, sourcePath: file };
}

/** A theme's colours by name, without switching to it (pi's ctx.ui.getTheme); undefined when there is none. */
export function themePalette(name: string): { palette: ThemePalette; sourcePath?: string } | undefined {
	try {
		const { json, sourcePath } = findTheme(name);
		return { palette: resolveThemePalette(json), sourcePath };
	} catch {
		return undefined;
	}
}

function activate(name: string, watchFile: boolean): ThemeResult {
	stopThemeWatcher();
	try {
		const { json, sourcePath, faint } = findTheme(name);
		theme.apply(resolveThemePalette(json), { name: resolvePair(name), sourcePath }, faint);
		currentName = name;
		watchRequested = watchFile;
		if (watchFile && sourcePath) startWatching(name, sourcePath);
		return { success: true };
	} catch (error) {
		theme.apply(resolveThemePalette(DARK_THEME), { name: "dark" });
		currentName = "dark";
		return { success: false, error: errorMessage(error) };
	}
}

/** Startup: the named theme (or pi 1.x's default, `system`), falling back to dark; listeners are not told. */
export function initTheme(name?: string, options: { watch?: boolean } = {}): ThemeResult {
	return activate(name || SYSTEM_THEME_NAME, options.watch ?? false);
}

/** Whether the active theme depends on the terminal's colours (`system`, or a light/dark pair). */
export function themeFollowsTerminal(name: string = currentName): boolean {
	return name === SYSTEM_THEME_NAME || name.includes("/");
}

/**
 * The terminal reported its colours (at startup, or later over a slow link): a theme that follows them is rebuilt
 * and listeners re-render.
 */
export function setTerminalColors(report: TerminalColorReport): void {
	terminalReport = report;
	if (!themeFollowsTerminal()) return;
	activate(currentName, watchRequested);
	notify();
}

/** Switch themes at runtime (/settings); listeners re-render. */
export function setTheme(name: string, options: { watch?: boolean } = {}): ThemeResult {
	const result = activate(name, options.watch ?? false);
	notify();
	return result;
}

export function currentThemeName(): string {
	return currentName;
}

/** Called after the palette changed (theme switch or the watched file was edited); returns an unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
	listeners.add(listener);
	return () => listeners.delete(listener);
}

function notify(): void {
	for (const listener of listeners) listener();
}

function startWatching(name: string, file: string): void {
	const fileName = basename(file);
	const reload = () => {
		reloadTimer = undefined;
		if (currentName !== name || !existsSync(file)) return; // keep the last good palette while a file is missing
		try {
			const loaded = loadThemeFile(file);
			if (registered.has(name)) registered.set(name, { ...loaded, name });
			theme.apply(loaded.palette, { name, sourcePath: file });
			notify();
		} catch {
			// Mid-edit files are often invalid for a moment; the next save will be picked up.
		}
	};
	try {
		watcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
			if (changed && changed !== fileName) return;
			if (reloadTimer) clearTimeout(reloadTimer);
			// Editors write in bursts; reload once they are done.
			reloadTimer = setTimeout(reload, 100);
		});
		watcher.on("error", () => stopThemeWatcher());
	} catch {
		watcher = undefined;
	}
}

export function stopThemeWatcher(): void {
	if (reloadTimer) clearTimeout(reloadTimer);
	reloadTimer = undefined;
	watcher?.close();
	watcher = undefined;
}

/** The theme's HTML-export colours as hex; keys the theme leaves out (or sets to "") are absent. */
export function themeExportColors(name: string = currentName): Partial<Record<ThemeExportKey, string>> {
	try {
		const { json } = findTheme(name);
		const result: Partial<Record<ThemeExportKey, string>> = {};
		for (const [key, value] of Object.entries(json.export ?? {})) {
			if (value === undefined || (key !== "pageBg" && key !== "cardBg" && key !== "infoBg")) continue;
			const resolved = resolveColorValue(value, json.vars ?? {});
			if (typeof resolved === "number") result[key] = ansi256ToHex(resolved);
			else if (resolved !== "") result[key] = resolved;
		}
		return result;
	} catch {
		return {};
	}
}

/**
 * Every token as a CSS colour for HTML export: palette indices become hex, and "" (the terminal's default)
 * becomes pi's stand-in text colour for the page (black for the light theme, #e5e5e7 otherwise).
 */
export function themeCssColors(name: string = currentName): Record<ThemeColor, string> {
	const { json } = findTheme(name);
	const palette = resolveThemePalette(json);
	const light = json.name === "light" || (json.name === SYSTEM_THEME_NAME && currentAppearance() === "light");
	const defaultText = light ? "#000000" : "#e5e5e7";
	// Filled for every token right below.
	const css = {} as Record<ThemeColor, string>;
	for (const token of THEME_COLOR_TOKENS) {
		const value = palette[token];
		css[token] = typeof value === "number" ? ansi256ToHex(value) : value === "" ? defaultText : value;
	}
	return css;
}
