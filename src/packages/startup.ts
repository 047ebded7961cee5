/**
 * Packages at startup and on /reload (pi 1.6.0): every configured package's resources, installing the ones that
 * are missing first, and the packages named by `-e npm:…` / `-e git:…` for this run only (installed into a cache,
 * never into settings). Project packages count only in a trusted project (the settings manager knows). In interactive
 * mode the tools' output is kept off the screen and each install is announced on stderr before the screen starts;
 * elsewhere their output goes to stderr. A package that fails to install is reported and skipped.
 */
import type { SettingsManager } from "../config/settings.ts";
import { formatInstallFailure, PackageManager, type ResolvedPackages } from "./manager.ts";

export type { PackageResource, ResolvedPackages } from "./manager.ts";

function emptyPackages(): ResolvedPackages {
	return { extensions: [], skills: [], prompts: [], themes: [], installFailures: [] };
}

export async function loadConfiguredPackages(options: {
	cwd: string;
	agentDir: string;
	settings: SettingsManager;
	/** `-e` sources that are packages (npm:, git:, URLs), in command-line order. */
	cliSources?: readonly string[];
	/** The interactive screen is (or is about to be) on the terminal: no tool output there. */
	quiet: boolean;
	/** Install announcements and failures; undefined: say nothing (the screen is up). */
	report?: (message: string) => void;
}): Promise<ResolvedPackages> {
	const manager = new PackageManager({
		cwd: options.cwd,
		agentDir: options.agentDir,
		settings: options.settings,
		output: options.quiet ? "capture" : "inherit",
		onProgress: (event) => {
			if (event.type === "start" && event.message) options.report?.(event.message);
		},
	});
	const { settings } = options;
	const configured =
		settings.getGlobalSettings().packages?.length || settings.getProjectSettings().packages?.length
			? await manager.resolveConfigured()
			: emptyPackages();
	const cli = options.cliSources?.length ? await manager.resolveSources(options.cliSources) : emptyPackages();
	// The command line's come first, as pi orders them.
	const resolved: ResolvedPackages = {
		extensions: [...cli.extensions, ...configured.extensions],
		skills: [...cli.skills, ...configured.skills],
		prompts: [...cli.prompts, ...configured.prompts],
		themes: [...cli.themes, ...configured.themes],
		installFailures: [...cli.installFailures, ...configured.installFailures],
	};
	for (const failure of resolved.installFailures) options.report?.(`Warning: ${formatInstallFailure(failure)}`);
	return resolved;
}
