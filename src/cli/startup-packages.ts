/**
 * The pi packages of a run, kept out of start.ts: the user's packages and the `-e npm:…` / `-e git:…` ones are
 * resolved before the project trust decision (their extensions load with the user's own, as in pi 1.6.0), the
 * project's join once the project is trusted, and all are resolved again on /reload. Nothing of src/packages is
 * imported unless a package is configured or named with -e.
 */
import type { SettingsManager } from "../config/settings.ts";
import type { PackageResource, ResolvedPackages } from "../packages/startup.ts";

export class StartupPackages {
	/** What was last resolved; undefined while no package is configured or named. */
	resolved: ResolvedPackages | undefined;
	private readonly reported = new Set<string>();

	constructor(
		private readonly options: {
			cwd: string;
			agentDir: string;
			settings: SettingsManager;
			/** `-e` values that are packages, in command-line order. */
			cliSources: readonly string[];
			/** The interactive screen will be on the terminal: tools' output is captured, not shown. */
			quiet: boolean;
		},
	) {}

	private get configured(): boolean {
		const { settings } = this.options;
		return (
			(settings.getGlobalSettings().packages?.length ?? 0) > 0 ||
			(settings.getProjectSettings().packages?.length ?? 0) > 0 ||
			this.options.cliSources.length > 0
		);
	}

	/**
	 * Resolves (and installs what is missing). `atStartup`: announcements and failures go to stderr, each failure
	 * once; later (the screen is up) nothing is written around it.
	 */
	async load(atStartup: boolean): Promise<ResolvedPackages | undefined> {
		if (!this.configured) {
			this.resolved = undefined;
			return undefined;
		}
		const { loadConfiguredPackages } = await import("../packages/startup.ts");
		this.resolved = await loadConfiguredPackages({
			cwd: this.options.cwd,
			agentDir: this.options.agentDir,
			settings: this.options.settings,
			cliSources: this.options.cliSources,
			quiet: this.options.quiet,
			report: atStartup
				? (message) => {
						if (this.reported.has(message)) return;
						this.reported.add(message);
						process.stderr.write(`${message}\n`);
					}
				: undefined,
		});
		return this.resolved;
	}

	get extensions(): readonly PackageResource[] {
		return this.resolved?.extensions ?? [];
	}

	get themePaths(): string[] | undefined {
		return this.resolved?.themes.filter((theme) => theme.enabled).map((theme) => theme.path);
	}
}
