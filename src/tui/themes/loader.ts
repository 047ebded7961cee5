/**
 * Finding and reading custom theme files (pi's resource loader, themes part): paths listed in settings, then
 * `.pi/themes/*.json`, then `~/.pi/agent/themes/*.json`, then `--theme` paths. The first theme of a name wins;
 * every unreadable or invalid file becomes a diagnostic that names the file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { CONFIG_DIR_NAME, expandHome } from "../../config/paths.ts";
import { isEnabledByOverrides } from "../../resources/patterns.ts";
import { errorMessage } from "../../util/errors.ts";
import { resolveThemePalette } from "./resolve.ts";
import { parseThemeText, type ThemeJson } from "./schema.ts";
import type { ThemePalette } from "./tokens.ts";

export interface LoadedTheme {
	name: string;
	sourcePath: string;
	json: ThemeJson;
	palette: ThemePalette;
}

export interface ThemeDiagnostic {
	type: "warning" | "error" | "collision";
	message: string;
	path: string;
}

/** Reads, validates and resolves one theme file; throws with pi's message on any problem. */
export function loadThemeFile(path: string): LoadedTheme {
	const json = parseThemeText(path, readFileSync(path, "utf8"));
	return { name: json.name, sourcePath: path, json, palette: resolveThemePalette(json) };
}

export interface ThemeDiscoveryOptions {
	cwd: string;
	agentDir: string;
	/** `themes` from the global settings file (relative to agentDir) and the project one (relative to .pi). */
	globalSettingsPaths?: readonly string[];
	projectSettingsPaths?: readonly string[];
	/** `--theme` arguments (relative to cwd). */
	cliPaths?: readonly string[];
	/** `--no-themes`: skip settings and auto-discovery, keep explicit --theme paths. */
	noThemes?: boolean;
	/** Only a trusted project's `.pi/themes` is searched (config/project-trust.ts). */
	projectTrusted?: boolean;
	/** Theme files of installed pi packages (enabled ones), after the user's own. */
	packagePaths?: readonly string[];
}

export interface ThemeDiscovery {
	themes: LoadedTheme[];
	diagnostics: ThemeDiagnostic[];
}

function jsonFilesIn(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true })
		.filter((entry) => !entry.name.startsWith(".") && entry.name.endsWith(".json"))
		.map((entry) => join(dir, entry.name))
		.filter((path) => {
			try {
				return statSync(path).isFile(); // follows symlinks, as pi does
			} catch {
				return false;
			}
		})
		.sort();
}

/** Settings entries may carry pi's "+"/"-"/"!" override prefixes: they switch files on or off, they add no path. */
function settingsEntryPath(entry: string, baseDir: string): string | undefined {
	if (/^[!+-]/.test(entry)) return undefined;
	return resolve(baseDir, expandHome(entry));
}

export function discoverThemes(options: ThemeDiscoveryOptions): ThemeDiscovery {
	const files: string[] = [];
	const diagnostics: ThemeDiagnostic[] = [];
	/** `enabled` filters the files of a folder (pi's `+`/`-`/`!` settings entries, e.g. from `pi config`). */
	const addPath = (path: string, explicit: boolean, enabled: (file: string) => boolean = () => true) => {
		if (!existsSync(path)) {
			if (explicit) diagnostics.push({ type: "warning", message: "theme path does not exist", path });
			return;
		}
		try {
			const stats = statSync(path);
			if (stats.isDirectory()) files.push(...jsonFilesIn(path).filter(enabled));
			else if (stats.isFile() && path.endsWith(".json")) files.push(path);
			else diagnostics.push({ type: "warning", message: "theme path is not a json file", path });
		} catch (error) {
			diagnostics.push({ type: "warning", message: errorMessage(error), path });
		}
	};

	const projectDir = join(options.cwd, CONFIG_DIR_NAME);
	if (!options.noThemes) {
		const projectEntries = options.projectSettingsPaths ?? [];
		const globalEntries = options.globalSettingsPaths ?? [];
		const byProject = (file: string) => isEnabledByOverrides(file, projectEntries, projectDir);
		const byUser = (file: string) => isEnabledByOverrides(file, globalEntries, options.agentDir);
		for (const entry of projectEntries) {
			const path = settingsEntryPath(entry, projectDir);
			if (path) addPath(path, true, byProject);
		}
		for (const entry of globalEntries) {
			const path = settingsEntryPath(entry, options.agentDir);
			if (path) addPath(path, true, byUser);
		}
		if (options.projectTrusted) addPath(join(projectDir, "themes"), false, byProject);
		addPath(join(options.agentDir, "themes"), false, byUser);
		for (const path of options.packagePaths ?? []) addPath(path, false);
	}
	for (const entry of options.cliPaths ?? []) addPath(resolve(options.cwd, expandHome(entry)), true);

	const themes: LoadedTheme[] = [];
	const byName = new Map<string, LoadedTheme>();
	const seenFiles = new Set<string>();
	for (const file of files) {
		if (seenFiles.has(file)) continue;
		seenFiles.add(file);
		let loaded: LoadedTheme;
		try {
			loaded = loadThemeFile(file);
		} catch (error) {
			diagnostics.push({
				type: "warning",
				message: errorMessage(error),
				path: file,
			});
			continue;
		}
		const winner = byName.get(loaded.name);
		if (winner) {
			diagnostics.push({
				type: "collision",
				message: `name "${loaded.name}" collision (${winner.sourcePath} wins)`,
				path: file,
			});
			continue;
		}
		byName.set(loaded.name, loaded);
		themes.push(loaded);
	}
	return { themes, diagnostics };
}

/**
 * One line per problem for stderr: "<file>: <problem>", with pi's multi-line validation text folded
 * ("Missing required color tokens: a, b") and its advice lines dropped.
 */
export function formatThemeDiagnostic(diagnostic: ThemeDiagnostic): string {
	const parts: string[] = [];
	for (const raw of diagnostic.message.split("\n")) {
		const line = raw.trim();
		if (!line || line.startsWith("Please add these colors") || line.startsWith("See the built-in themes")) continue;
		const last = parts.length - 1;
		const previous = parts[last];
		if (line.startsWith("- ") && previous !== undefined) {
			parts[last] = `${previous}${previous.endsWith(":") ? " " : ", "}${line.slice(2)}`;
			continue;
		}
		parts.push(line);
	}
	const message = parts.join(" ");
	return message.includes(diagnostic.path) ? message : `Theme ${diagnostic.path}: ${message}`;
}
