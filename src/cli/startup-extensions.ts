/**
 * The extension steps of startup, kept out of start.ts: load the user's and the command line's extensions before the
 * trust decision (they may take part in it), the project's after, and read the command line again with the flags
 * they registered. Nothing of the extension host is imported unless an extension is configured.
 */

import { existsSync } from "node:fs";
import { join } from "node:path";
import { agentDir, CONFIG_DIR_NAME } from "../config/paths.ts";
import type { ProjectTrustDecider } from "../config/project-trust.ts";
import type { SettingsManager } from "../config/settings.ts";
import { extensionsMayLoad } from "../extensions/configured.ts";
import type { PackagedExtension } from "../extensions/discovery.ts";
import type { ExtensionHost } from "../extensions/host.ts";
import type { ExtensionFlag, ExtensionMode } from "../extensions/types.ts";
import type { PackageResource } from "../packages/manager.ts";
import type { ModelRegistry } from "../registry/model-registry.ts";
import { PiError } from "../util/errors.ts";
import { type ParsedArgs, parseArgs } from "./args.ts";

type StartupModule = typeof import("../extensions/startup.ts");

export function extensionModeOf(args: ParsedArgs): ExtensionMode {
	if (args.mode === "rpc") return "rpc";
	if (args.mode === "json") return "json";
	if (args.print || args.mode === "text") return "print";
	return "tui";
}

export class StartupExtensions {
	private host: ExtensionHost | undefined;
	private module: StartupModule | undefined;
	/** The configured pi packages' extensions (enabled ones): the user's before the trust decision, all after. */
	private packageExtensions: readonly PackagedExtension[] = [];
	/** `-e npm:…` / `-e git:…` values and the extensions their packages offer (installed for this run). */
	private cliPackages = new Map<string, PackagedExtension[]>();

	constructor(
		private readonly cwd: string,
		private readonly settings: SettingsManager,
		private readonly registry: ModelRegistry,
		private readonly firstPass: ParsedArgs,
		private readonly argv: readonly string[],
	) {}

	/**
	 * What the packages offer, as src/packages resolved them (startup, trust, /reload): the settings' packages, and
	 * those of `-e` package sources (scope "temporary", their `-e` value as source). Only enabled files load.
	 */
	setPackageExtensions(extensions: readonly PackageResource[]): void {
		const enabled = extensions.filter((extension) => extension.enabled);
		this.packageExtensions = enabled.filter((extension) => extension.sourceInfo.scope !== "temporary");
		this.cliPackages = new Map();
		for (const extension of enabled) {
			if (extension.sourceInfo.scope !== "temporary") continue;
			const source = extension.sourceInfo.source;
			this.cliPackages.set(source, [...(this.cliPackages.get(source) ?? []), extension]);
		}
	}

	private mayLoad(): boolean {
		if (this.cliPackages.size > 0) return true;
		if (this.packageExtensions.length > 0 && this.firstPass.noExtensions !== true) return true;
		return extensionsMayLoad({
			cwd: this.cwd,
			agentDir: agentDir(),
			cliPaths: this.firstPass.extensions ?? [],
			noExtensions: this.firstPass.noExtensions === true,
			globalEntries: this.settings.getGlobalSettings().extensions ?? [],
			projectEntries: this.settings.isProjectTrusted() ? (this.settings.getProjectSettings().extensions ?? []) : [],
		});
	}

	private async load(): Promise<ExtensionHost> {
		this.module ??= await import("../extensions/startup.ts");
		this.host = await this.module.loadStartupExtensions({
			cwd: this.cwd,
			agentDir: agentDir(),
			settings: this.settings,
			cliPaths: this.firstPass.extensions ?? [],
			noExtensions: this.firstPass.noExtensions === true,
			mode: extensionModeOf(this.firstPass),
			packageExtensions: () => this.packageExtensions,
			cliPackages: () => this.cliPackages,
		});
		this.host.applyPendingProviders(this.registry);
		return this.host;
	}

	/** The command line read again with the extensions' flags; their values go to the extensions. */
	private secondPass(host: ExtensionHost): ParsedArgs {
		const types = new Map(host.flags().map((flag): [string, "boolean" | "string"] => [flag.name, flag.type]));
		const args = parseArgs([...this.argv], types);
		host.setFlagValues(args.extensionFlagValues);
		return args;
	}

	/** The user's and `-e` extensions (project not trusted yet). Returns the command line as far as known now. */
	async loadBeforeTrust(): Promise<ParsedArgs> {
		if (this.mayLoad()) return this.secondPass(await this.load());
		// No extension can claim a flag, not even the project's after trust: report unknown flags right away.
		if (!existsSync(join(this.cwd, CONFIG_DIR_NAME))) this.rejectUnknownFlags(this.firstPass);
		return this.firstPass;
	}

	private rejectUnknownFlags(args: ParsedArgs): void {
		const unknown = args.unknownFlags[0];
		if (unknown) throw new PiError(`Unknown option: ${unknown}`);
	}

	/** Extensions' `project_trust` handlers, when any extension is loaded. */
	trustDecider(): ProjectTrustDecider | undefined {
		const host = this.host;
		const module = this.module;
		if (!host || !module) return undefined;
		return (folder) => module.decideProjectTrust(host, folder);
	}

	/**
	 * After the trust decision: the project's extensions join a trusted run, then every flag must be claimed.
	 * `warn` prints load failures (interactive mode shows them on its first screen instead).
	 */
	async loadAfterTrust(trusted: boolean, warn?: (message: string) => void): Promise<ExtensionHost | undefined> {
		await this.joinProject(trusted);
		this.rejectUnknownFlags(this.host ? this.secondPass(this.host) : this.firstPass);
		if (this.host && this.module && warn) {
			for (const failure of this.host.failures) warn(this.module.formatLoadFailure(failure));
		}
		return this.host;
	}

	/** A trusted project's extensions, and its packages' (resolved after the trust decision), join now. */
	private async joinProject(trusted: boolean): Promise<void> {
		if (this.host && (trusted || this.packageExtensions.length > 0)) {
			await this.host.refreshSources();
			this.host.applyPendingProviders(this.registry);
		} else if (!this.host && this.mayLoad()) await this.load();
	}

	/** `pi --help`, first step: the user's and `-e` extensions, without complaining about unclaimed flags. */
	async loadForHelp(): Promise<void> {
		if (this.mayLoad()) await this.load();
	}

	/**
	 * `pi --help`, after the trust decision (taken without asking): the flags every extension a run would load
	 * registered, the project's included when trusted, as pi 1.6.0 lists them.
	 */
	async flagsForHelp(trusted: boolean): Promise<ExtensionFlag[]> {
		await this.joinProject(trusted);
		return this.host?.flags() ?? [];
	}
}
