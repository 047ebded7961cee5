/**
 * Extensions during startup, in pi 1.6's order: the user's and the command line's extensions load first (the project
 * is not trusted yet), they may decide project trust (`project_trust`), and once the project is trusted its own
 * extensions join. Their flags are then known, so the command line can be read a second time.
 */
import * as v from "valibot";
import type { ProjectTrustVerdict } from "../config/project-trust.ts";
import type { SettingsManager } from "../config/settings.ts";
import { exitWhenShutDown } from "../util/shutdown.ts";
import { discoverExtensions, type PackagedExtension } from "./discovery.ts";
import { ExtensionHost } from "./host.ts";
import { guardStdoutFromExtensions } from "./output-guard.ts";
import { ProjectTrustResultSchema } from "./schemas.ts";
import type { ExtensionLoadFailure, ExtensionMode } from "./types.ts";

export interface StartupExtensionOptions {
	cwd: string;
	agentDir: string;
	settings: SettingsManager;
	cliPaths: readonly string[];
	noExtensions: boolean;
	mode: ExtensionMode;
	/** The configured packages' extensions as last resolved (read at every discovery: startup, trust, /reload). */
	packageExtensions: () => readonly PackagedExtension[];
	/**
	 * `-e npm:…` / `-e git:…` values and the extension files their package offers, installed for this run (or reused)
	 * by src/packages before the extensions load (cli/startup-packages.ts; a failed install is reported there).
	 */
	cliPackages: () => ReadonlyMap<string, readonly PackagedExtension[]>;
}

export async function loadStartupExtensions(options: StartupExtensionOptions): Promise<ExtensionHost> {
	const { cwd, agentDir, settings } = options;
	if (options.mode !== "tui") guardStdoutFromExtensions();
	exitWhenShutDown();
	return ExtensionHost.load({
		cwd,
		mode: options.mode,
		discover: () => {
			const trusted = settings.isProjectTrusted();
			const found = discoverExtensions({
				cwd,
				agentDir,
				cliPaths: options.cliPaths,
				noExtensions: options.noExtensions,
				globalEntries: settings.getGlobalSettings().extensions ?? [],
				projectEntries: trusted ? (settings.getProjectSettings().extensions ?? []) : [],
				projectTrusted: trusted,
				packageExtensions: options.packageExtensions(),
				cliPackages: options.cliPackages(),
			});
			return { sources: found.sources, missing: found.missing };
		},
	});
}

/** "Failed to load extension …" lines, as pi prints them (once per failure). */
export function formatLoadFailure(failure: ExtensionLoadFailure): string {
	return failure.error.startsWith("Extension path does not exist")
		? failure.error
		: `Failed to load extension "${failure.path}": ${failure.error}`;
}

/**
 * Extensions' `project_trust` handlers: the first that answers yes or no decides. Their context is pi's limited
 * trust context: cwd, mode, and no dialogs (the screen is not up yet).
 */
export async function decideProjectTrust(host: ExtensionHost, cwd: string): Promise<ProjectTrustVerdict | undefined> {
	const runner = host.currentRunner;
	for (const extension of runner.extensions) {
		for (const handler of extension.handlers.get("project_trust") ?? []) {
			try {
				const ctx = {
					cwd,
					mode: host.mode,
					hasUI: false,
					ui: {
						select: async () => undefined,
						confirm: async () => false,
						input: async () => undefined,
						notify: () => {},
					},
				};
				const parsed = v.safeParse(ProjectTrustResultSchema, await handler({ type: "project_trust", cwd }, ctx));
				if (!parsed.success)
					throw new Error('A project_trust handler must return { trusted: "yes" | "no" | "undecided" }');
				if (parsed.output.trusted === "undecided") continue;
				return { trusted: parsed.output.trusted === "yes", remember: parsed.output.remember };
			} catch (error) {
				runner.reportThrown(extension, "project_trust", error);
			}
		}
	}
	return undefined;
}
