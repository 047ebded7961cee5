/** Everything the CLI does about themes before the interactive mode draws its first frame. */
import { join } from "node:path";
import { agentDir } from "../../config/paths.ts";
import type { SettingsManager } from "../../config/settings.ts";
import { discoverThemes, formatThemeDiagnostic, type ThemeDiagnostic } from "./loader.ts";
import { initTheme, setAgentThemesDir, setRegisteredThemes } from "./manager.ts";

export interface ThemeStartupOptions {
	cwd: string;
	/** Defaults to `$PI_CODING_AGENT_DIR` or ~/.pi/agent. */
	agentDir?: string;
	settings: SettingsManager;
	/** `--theme` paths. */
	cliPaths?: readonly string[];
	/** `--no-themes`. */
	noThemes?: boolean;
	/** Watch the active custom theme file (interactive mode). */
	watch?: boolean;
	/** Theme files of installed pi packages. */
	packagePaths?: readonly string[];
	/** `--use-theme`: this run's theme, over the theme setting (not saved). */
	themeOverride?: string;
}

export interface ThemeStartup {
	diagnostics: ThemeDiagnostic[];
	/** Human-readable problems: bad files (naming the file) and a selected theme that fell back to dark. */
	warnings: string[];
}

export function setupThemes(options: ThemeStartupOptions): ThemeStartup {
	const dir = options.agentDir ?? agentDir();
	setAgentThemesDir(join(dir, "themes"));
	const { themes, diagnostics } = discoverThemes({
		cwd: options.cwd,
		agentDir: dir,
		globalSettingsPaths: options.settings.getGlobalSettings().themes,
		projectSettingsPaths: options.settings.getProjectSettings().themes,
		cliPaths: options.cliPaths,
		noThemes: options.noThemes,
		projectTrusted: options.settings.isProjectTrusted(),
		packagePaths: options.packagePaths,
	});
	setRegisteredThemes(themes);
	const warnings = diagnostics.map(formatThemeDiagnostic);
	const selected = options.themeOverride ?? options.settings.settings.theme;
	const result = initTheme(selected, { watch: options.watch });
	if (!result.success && selected) {
		// The file's own problem was reported above; do not repeat pi's long validation text.
		const alreadyReported = diagnostics.some((d) => d.message === result.error);
		const reason = alreadyReported ? "" : `: ${result.error}`;
		warnings.push(`Theme "${selected}" could not be loaded${reason}. Using the dark theme.`);
	}
	return { diagnostics, warnings };
}
