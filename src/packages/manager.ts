/**
 * pi packages (pi 1.6.0, docs/packages.md): installing, removing and updating npm and git packages where pi keeps
 * them (layout.ts), the settings `packages` entries that name them, and resolving every configured package to the
 * resource files it contributes.
 *
 * API for the rest of the program:
 *   const packages = new PackageManager({ cwd, agentDir, settings, output });
 *   await packages.resolveConfigured()          → extensions/skills/prompts/themes of the settings' packages
 *                                                 (missing ones installed first; project ones only when trusted)
 *   await packages.resolveSources(["npm:x"])    → the same for `-e npm:…` / `-e git:…` (cached for one-run use)
 *   install / remove / update / list            → the `pi install|remove|update|list` commands (cli.ts)
 *
 * Security: project-scope storage and settings (`.pi/npm`, `.pi/git`, `.pi/settings.json`) are only touched when
 * `settings.isProjectTrusted()`; nothing from a repository is installed or run without that consent.
 */
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { CONFIG_DIR_NAME } from "../config/paths.ts";
import type { SettingsManager } from "../config/settings.ts";
import type { Settings } from "../config/settings-schema.ts";
import type { SourceInfo } from "../resources/types.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { collectPackageResources, type PackageFilter } from "./collect.ts";
import {
	type CommandOutput,
	installArgs,
	type PackageManagerCommand,
	packageManagerCommand,
	runCommand,
	uninstallArgs,
} from "./commands.ts";
import { cloneGitPackage, type GitCheckoutTools, gitHead, updateGitCheckout } from "./git-checkout.ts";
import {
	gitInstallPath,
	gitInstallRoot,
	gitUpdateMarker,
	type LayoutRoots,
	npmInstallPath,
	npmInstallRoot,
} from "./layout.ts";
import type { ResourceType } from "./manifest.ts";
import { installedVersion, latestVersion, legacyGlobalNpmRoot, satisfies } from "./npm-versions.ts";
import {
	type GitSource,
	type NpmSource,
	type PackageScope,
	packageIdentity,
	parsePackageSource,
	resolveLocalPath,
} from "./source.ts";

type SettingsEntry = NonNullable<Settings["packages"]>[number];
type InstalledScope = "user" | "project";

export interface PackageResource {
	path: string;
	enabled: boolean;
	/** Where it came from, as resources report it (origin "package", `source` the settings entry). */
	sourceInfo: SourceInfo;
}

export interface PackageInstallFailure {
	source: string;
	scope: PackageScope;
	message: string;
}

export interface ResolvedPackages {
	extensions: PackageResource[];
	skills: PackageResource[];
	prompts: PackageResource[];
	themes: PackageResource[];
	/** Packages skipped because installing them failed (startup goes on without them). */
	installFailures: PackageInstallFailure[];
}

export interface ConfiguredPackage {
	source: string;
	scope: InstalledScope;
	filtered: boolean;
	installedPath?: string;
}

/** `start` is followed by `complete` or `error`; `warning` is advice; `updated` names a changed package. */
export interface PackageProgress {
	type: "start" | "complete" | "error" | "warning" | "updated";
	source: string;
	message?: string;
}

export interface PackageManagerOptions {
	cwd: string;
	agentDir: string;
	settings: SettingsManager;
	/** Where git and package-manager output goes (commands.ts). Default "inherit". */
	output?: CommandOutput;
	onProgress?: (event: PackageProgress) => void;
}

export function isOffline(): boolean {
	return ["1", "true", "yes"].includes((process.env.PI_OFFLINE ?? "").toLowerCase());
}

/** One line for a package that could not be installed at startup, with how to drop it (pi's words). */
export function formatInstallFailure(failure: PackageInstallFailure): string {
	const hint =
		failure.scope === "temporary"
			? "Check the source and try again."
			: `Run "pi remove ${failure.source}${failure.scope === "project" ? " --local" : ""}" to remove it from settings.json.`;
	return `Extension package "${failure.source}": failed to install (${failure.message}). ${hint}`;
}

function entrySource(entry: SettingsEntry): string {
	return typeof entry === "string" ? entry : entry.source;
}

function entryFilter(entry: SettingsEntry): PackageFilter | undefined {
	if (typeof entry === "string") return undefined;
	const filter: PackageFilter = {};
	for (const type of ["extensions", "skills", "prompts", "themes"] as const) {
		const value = entry[type];
		if (value !== undefined) filter[type] = value;
	}
	if (entry.autoload === false) filter.autoload = false;
	return filter;
}

export class PackageManager {
	private readonly roots: LayoutRoots;
	private readonly settings: SettingsManager;
	private readonly output: CommandOutput;
	private readonly onProgress: (event: PackageProgress) => void;
	private legacyNpmRoot: string | null | undefined;

	constructor(options: PackageManagerOptions) {
		this.roots = { cwd: resolve(options.cwd), agentDir: resolve(options.agentDir) };
		this.settings = options.settings;
		this.output = options.output ?? "inherit";
		this.onProgress = options.onProgress ?? (() => {});
	}

	// ------------------------------------------------------------------------------ settings entries

	private manager(): PackageManagerCommand {
		return packageManagerCommand(this.settings.settings.npmCommand);
	}

	private requireTrustedFor(scope: PackageScope): void {
		if (scope === "project" && !this.settings.isProjectTrusted()) {
			throw new Error("Project is not trusted; refusing to access project package storage");
		}
	}

	/** The folder relative local sources are resolved from: the settings file's folder (or cwd for `-e`). */
	private baseDir(scope: PackageScope): string {
		if (scope === "project") return join(this.roots.cwd, CONFIG_DIR_NAME);
		if (scope === "user") return this.roots.agentDir;
		return this.roots.cwd;
	}

	private entries(scope: InstalledScope): SettingsEntry[] {
		const settings = scope === "project" ? this.settings.getProjectSettings() : this.settings.getGlobalSettings();
		return settings.packages ?? [];
	}

	private writeEntries(scope: InstalledScope, entries: SettingsEntry[]): void {
		if (scope === "project") this.settings.setProject("packages", entries);
		else this.settings.set("packages", entries);
	}

	/** A local source as stored: relative to the settings file's folder. */
	private sourceForSettings(source: string, scope: InstalledScope): string {
		const parsed = parsePackageSource(source);
		if (parsed.type !== "local") return source;
		return relative(this.baseDir(scope), resolveLocalPath(parsed.path, this.roots.cwd)) || ".";
	}

	/** Settings entries are compared by identity: a local path typed on the command line is relative to cwd. */
	private sameSource(entry: SettingsEntry, input: string, scope: InstalledScope): boolean {
		const inputBase = parsePackageSource(input).type === "local" ? this.roots.cwd : this.baseDir(scope);
		return packageIdentity(entrySource(entry), this.baseDir(scope)) === packageIdentity(input, inputBase);
	}

	/** Adds (or re-points) the settings entry; false when it was already there as given. */
	addToSettings(source: string, scope: InstalledScope): boolean {
		this.requireTrustedFor(scope);
		const current = this.entries(scope);
		const stored = this.sourceForSettings(source, scope);
		const index = current.findIndex((entry) => this.sameSource(entry, source, scope));
		if (index === -1) {
			this.writeEntries(scope, [...current, stored]);
			return true;
		}
		const existing = current[index];
		if (existing === undefined || entrySource(existing) === stored) return false;
		const next = [...current];
		next[index] = typeof existing === "string" ? stored : { ...existing, source: stored };
		this.writeEntries(scope, next);
		return true;
	}

	removeFromSettings(source: string, scope: InstalledScope): boolean {
		this.requireTrustedFor(scope);
		const current = this.entries(scope);
		const next = current.filter((entry) => !this.sameSource(entry, source, scope));
		if (next.length === current.length) return false;
		this.writeEntries(scope, next);
		return true;
	}

	// ------------------------------------------------------------------------------ install locations

	/** npm's global folder, where pi before 0.74 installed packages; looked up once. */
	private legacyGlobalNpmRoot(): string | undefined {
		if (this.legacyNpmRoot === undefined) {
			const configured = this.settings.settings.npmCommand;
			this.legacyNpmRoot = legacyGlobalNpmRoot(configured?.length ? this.manager() : undefined) ?? null;
		}
		return this.legacyNpmRoot ?? undefined;
	}

	private npmPath(source: NpmSource, scope: PackageScope): string {
		this.requireTrustedFor(scope);
		const managed = npmInstallPath(this.roots, source, scope);
		if (scope !== "user" || existsSync(managed)) return managed;
		const legacyRoot = this.legacyGlobalNpmRoot();
		const legacy = legacyRoot ? join(legacyRoot, source.name) : undefined;
		return legacy && existsSync(legacy) ? legacy : managed;
	}

	private gitPath(source: GitSource, scope: PackageScope): string {
		this.requireTrustedFor(scope);
		return gitInstallPath(this.roots, source, scope);
	}

	/** Where a configured source is on disk, if it is there. */
	installedPath(source: string, scope: InstalledScope): string | undefined {
		const parsed = parsePackageSource(source);
		const path =
			parsed.type === "npm"
				? this.npmPath(parsed, scope)
				: parsed.type === "git"
					? this.gitPath(parsed, scope)
					: resolveLocalPath(parsed.path, this.baseDir(scope));
		return existsSync(path) ? path : undefined;
	}

	// ------------------------------------------------------------------------------ commands

	private async step(source: string, message: string, work: () => Promise<void>): Promise<void> {
		this.onProgress({ type: "start", source, message });
		try {
			await work();
		} catch (error) {
			this.onProgress({ type: "error", source, message: error instanceof Error ? error.message : String(error) });
			throw error;
		}
		this.onProgress({ type: "complete", source });
	}

	private run(command: PackageManagerCommand | "git", args: string[], cwd?: string): Promise<void> {
		if (command === "git") return runCommand("git", args, this.output, { cwd });
		return runCommand(command.command, [...command.args, ...args], this.output, {
			cwd,
			env: command.env,
			label: command.name,
		});
	}

	/** The install folder as an npm project of its own, ignored by git and cloud sync. */
	private prepareNpmRoot(root: string): string {
		mkdirSync(root, { recursive: true });
		ignoreFolder(root);
		const packageJson = join(root, "package.json");
		if (!existsSync(packageJson)) {
			writeFileAtomicSync(packageJson, JSON.stringify({ name: "pi-extensions", private: true }, null, 2));
		}
		// npm writes broken nested lock paths when --prefix goes through a symlink.
		return realpathSync(root);
	}

	private async installNpm(specs: string[], scope: PackageScope, fresh = false): Promise<void> {
		this.requireTrustedFor(scope);
		const root = this.prepareNpmRoot(npmInstallRoot(this.roots, scope));
		await this.run(this.manager(), installArgs(this.manager(), specs, root, { fresh }));
	}

	private gitTools(): GitCheckoutTools {
		return { run: (command, args, cwd) => this.run(command, args, cwd), manager: this.manager() };
	}

	/** Clones the package, or updates the checkout that is already there. */
	private async installGit(source: GitSource, scope: PackageScope): Promise<void> {
		const target = this.gitPath(source, scope);
		if (existsSync(target)) return updateGitCheckout(source, target, this.gitTools());
		if (scope === "temporary") return cloneGitPackage(source, target, this.gitTools());
		const root = gitInstallRoot(this.roots, scope);
		ignoreFolder(root);
		try {
			await cloneGitPackage(source, target, this.gitTools());
		} catch (error) {
			// The clone is gone already; its empty <host>/<owner> folders must not look like an install either.
			pruneEmptyParents(target, root);
			throw error;
		}
	}

	/** `pi install <source>`: fetches it (a local path must exist) without touching settings. */
	async install(source: string, scope: InstalledScope): Promise<void> {
		this.requireTrustedFor(scope);
		const parsed = parsePackageSource(source);
		await this.step(source, `Installing ${source}...`, async () => {
			if (parsed.type === "npm") await this.installNpm([requireNpmName(parsed).spec], scope);
			else if (parsed.type === "git") await this.installGit(parsed, scope);
			else {
				const path = resolveLocalPath(parsed.path, this.roots.cwd);
				if (!existsSync(path)) throw new Error(`Path does not exist: ${path}`);
			}
		});
	}

	async installAndPersist(source: string, scope: InstalledScope): Promise<void> {
		await this.install(source, scope);
		this.addToSettings(source, scope);
	}

	/** `pi remove <source>`: deletes what was installed; true when a settings entry was removed. */
	async removeAndPersist(source: string, scope: InstalledScope): Promise<boolean> {
		this.requireTrustedFor(scope);
		const parsed = parsePackageSource(source);
		await this.step(source, `Removing ${source}...`, async () => {
			if (parsed.type === "npm") {
				const root = npmInstallRoot(this.roots, scope);
				if (existsSync(join(root, "node_modules", parsed.name))) {
					await this.run(this.manager(), uninstallArgs(this.manager(), parsed.name, realpathSync(root)));
				}
			} else if (parsed.type === "git") {
				const target = this.gitPath(parsed, scope);
				rmSync(target, { recursive: true, force: true });
				rmSync(gitUpdateMarker(target), { force: true });
				pruneEmptyParents(target, gitInstallRoot(this.roots, scope));
			}
		});
		return this.removeFromSettings(source, scope);
	}

	/** Configured packages of both scopes (project ones only when trusted), as `pi list` shows them. */
	list(): ConfiguredPackage[] {
		const scopes: InstalledScope[] = this.settings.isProjectTrusted() ? ["user", "project"] : ["user"];
		return scopes.flatMap((scope) =>
			this.entries(scope).map((entry) => {
				const source = entrySource(entry);
				const installedPath = this.installedPath(source, scope);
				return { source, scope, filtered: typeof entry !== "string", ...(installedPath ? { installedPath } : {}) };
			}),
		);
	}

	/**
	 * `pi update <source>` / `pi update --extensions`: unpinned npm packages move to their newest version (within
	 * their range), git packages to their remote branch or configured ref. Reports each changed package as an
	 * `updated` progress event ("npm:foo 1.2.0 -> 1.3.0"). Throws when `source` matches no configured package.
	 */
	async update(source?: string): Promise<void> {
		const scopes: InstalledScope[] = this.settings.isProjectTrusted() ? ["user", "project"] : ["user"];
		const targets: { source: string; scope: InstalledScope }[] = [];
		for (const scope of scopes) {
			for (const entry of this.entries(scope)) {
				if (source && !this.sameSource(entry, source, scope)) continue;
				targets.push({ source: entrySource(entry), scope });
			}
		}
		if (source && targets.length === 0) throw new Error(`No matching package found for ${source}`);
		if (isOffline()) return;
		for (const target of targets) {
			const parsed = parsePackageSource(target.source);
			const label = `${target.source}${target.scope === "project" ? " (project)" : ""}`;
			if (parsed.type === "npm") {
				if (parsed.pinned) continue;
				const path = this.npmPath(parsed, target.scope);
				const before = existsSync(path) ? installedVersion(path) : undefined;
				let latest: string | undefined;
				if (before) {
					latest = await latestVersion(this.manager(), parsed, this.roots.cwd).catch(() => undefined);
					if (latest && Bun.semver.order(latest, before) <= 0) continue;
				}
				const spec = parsed.version ? parsed.spec : `${parsed.name}@latest`;
				await this.step(target.source, `Updating ${target.source}...`, () =>
					this.installNpm([spec], target.scope, true),
				);
				const after = installedVersion(npmInstallPath(this.roots, parsed, target.scope));
				if (after !== before) {
					this.onProgress({
						type: "updated",
						source: target.source,
						message: `${label} ${before ?? "(none)"} -> ${after ?? "(none)"}`,
					});
				} else if (latest) {
					this.onProgress({
						type: "warning",
						source: target.source,
						message: `${target.source} is still ${after} (registry reports ${latest}); npm registry metadata may be stale, try again in a few minutes`,
					});
				}
			} else if (parsed.type === "git") {
				const dir = this.gitPath(parsed, target.scope);
				const before = await gitHead(dir);
				await this.step(target.source, `Updating ${target.source}...`, () => this.installGit(parsed, target.scope));
				const after = await gitHead(dir);
				if (after !== before) {
					const short = (value: string | undefined) => value?.slice(0, 7) ?? "(none)";
					this.onProgress({
						type: "updated",
						source: target.source,
						message: `${label} ${short(before)} -> ${short(after)}`,
					});
				}
			}
		}
	}

	// ------------------------------------------------------------------------------ resolving

	/**
	 * The resources of every configured package: project entries first (they win over user entries of the same
	 * package), then user entries. Missing npm/git packages are installed first unless offline; a package that
	 * fails to install is reported in `installFailures` and skipped.
	 */
	async resolveConfigured(options: { installMissing?: boolean } = {}): Promise<ResolvedPackages> {
		const entries: { entry: SettingsEntry; scope: InstalledScope }[] = [];
		if (this.settings.isProjectTrusted()) {
			for (const entry of this.entries("project")) entries.push({ entry, scope: "project" });
		}
		for (const entry of this.entries("user")) entries.push({ entry, scope: "user" });
		return this.resolveEntries(this.dedupe(entries), options.installMissing ?? true);
	}

	/** `-e npm:…` / `-e git:…` / `-e ./path`: resolved like packages, npm and git ones cached under tmp/extensions. */
	resolveSources(sources: readonly string[]): Promise<ResolvedPackages> {
		return this.resolveEntries(
			sources.map((source) => ({ entry: source, scope: "temporary" as const })),
			true,
		);
	}

	/** Project wins over user for one package; a project `autoload: false` entry is a delta kept with the user one. */
	private dedupe(
		entries: { entry: SettingsEntry; scope: InstalledScope }[],
	): { entry: SettingsEntry; scope: InstalledScope; base?: { source: string; scope: InstalledScope } }[] {
		const result: { entry: SettingsEntry; scope: InstalledScope; base?: { source: string; scope: InstalledScope } }[] =
			[];
		const seen = new Map<string, number>();
		for (const item of entries) {
			const identity = packageIdentity(entrySource(item.entry), this.baseDir(item.scope));
			const index = seen.get(identity);
			if (index === undefined) {
				seen.set(identity, result.length);
				result.push(item);
				continue;
			}
			const existing = result[index];
			if (existing && typeof existing.entry !== "string" && existing.entry.autoload === false) {
				// The delta resolves against the user's package.
				existing.base = { source: entrySource(item.entry), scope: item.scope };
				result.push(item);
			}
		}
		return result;
	}

	private async resolveEntries(
		entries: { entry: SettingsEntry; scope: PackageScope; base?: { source: string; scope: InstalledScope } }[],
		installMissing: boolean,
	): Promise<ResolvedPackages> {
		const resolved: ResolvedPackages = { extensions: [], skills: [], prompts: [], themes: [], installFailures: [] };
		const seen = new Set<string>();
		for (const { entry, scope, base } of entries) {
			const source = entrySource(entry);
			const fromSource = base?.source ?? source;
			const fromScope = base?.scope ?? scope;
			const parsed = parsePackageSource(fromSource);
			let root: string | undefined;
			try {
				root = await this.ensureAvailable(fromSource, parsed, fromScope, installMissing);
			} catch (error) {
				resolved.installFailures.push({
					source: fromSource,
					scope: fromScope,
					message: error instanceof Error ? error.message : String(error),
				});
				continue;
			}
			if (!root) continue;
			const add = (type: ResourceType, path: string, enabled: boolean) => {
				if (seen.has(`${type}:${path}`)) return;
				seen.add(`${type}:${path}`);
				const sourceInfo: SourceInfo = { path, source, scope, origin: "package", baseDir: root };
				resolved[type].push({ path, enabled, sourceInfo });
			};
			if (statSync(root).isFile()) {
				add("extensions", root, true);
				continue;
			}
			const found = collectPackageResources(root, entryFilter(entry), add);
			// A local folder with nothing conventional is one extension (its index.ts), as pi loads it.
			if (!found && parsed.type === "local") add("extensions", root, true);
		}
		return resolved;
	}

	/** The package's folder (or file), installing it when missing; undefined when it cannot be had now. */
	private async ensureAvailable(
		source: string,
		parsed: ReturnType<typeof parsePackageSource>,
		scope: PackageScope,
		installMissing: boolean,
	): Promise<string | undefined> {
		if (parsed.type === "local") {
			const path = resolveLocalPath(parsed.path, this.baseDir(scope));
			return existsSync(path) ? path : undefined;
		}
		if (parsed.type === "npm") {
			const path = this.npmPath(parsed, scope);
			const version = existsSync(path) ? installedVersion(path) : undefined;
			const fits = version !== undefined && (!parsed.range || satisfies(version, parsed.range));
			if (fits) return path;
			if (!installMissing || isOffline()) return undefined;
			await this.step(source, `Installing ${source}...`, () => this.installNpm([requireNpmName(parsed).spec], scope));
			return npmInstallPath(this.roots, parsed, scope);
		}
		const path = this.gitPath(parsed, scope);
		if (existsSync(path)) return path;
		if (!installMissing || isOffline()) return undefined;
		await this.step(source, `Installing ${source}...`, () => this.installGit(parsed, scope));
		return path;
	}
}

/** An npm source must name a package: the package manager would read an empty spec as "install everything". */
function requireNpmName(source: NpmSource): NpmSource {
	if (!source.name) throw new Error('"npm:" names no package; write npm:<name> or npm:<name>@<version>');
	return source;
}

/** A `.gitignore` that ignores the folder's contents (pi's: `*` and `!.gitignore`). */
function ignoreFolder(dir: string): void {
	mkdirSync(dir, { recursive: true });
	const path = join(dir, ".gitignore");
	if (!existsSync(path)) writeFileSync(path, "*\n!.gitignore\n");
}

/** Removes folders left empty between a removed checkout and its install root. */
function pruneEmptyParents(target: string, root: string): void {
	const stop = resolve(root);
	let dir = dirname(target);
	while (dir.startsWith(stop) && dir !== stop) {
		try {
			if (readdirSync(dir).length > 0) return;
			rmSync(dir, { recursive: true, force: true });
		} catch {
			return;
		}
		dir = dirname(dir);
	}
}
