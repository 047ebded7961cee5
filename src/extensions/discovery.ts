/**
 * Which extension files to load, in pi's order (pi 1.6 resource loader): the `-e` paths first, then the extensions of
 * the configured pi packages, then the settings `extensions` entries (project, then global), then the auto-discovered
 * folders (`.pi/extensions/` of a trusted
 * project, then `~/.pi/agent/extensions/`). A file is loaded once, at its first place. `--no-extensions` keeps only the
 * `-e` paths. Discovery goes one level deep: `*.ts` / `*.js` files, and folders with a `package.json` whose
 * `pi.extensions` lists entry files, or with an `index.ts` / `index.js`.
 *
 * Project-local code is never picked up unless the project is trusted (the caller decides; pi 1.6 docs/security.md).
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import * as v from "valibot";
import { isRemotePackageSource } from "../packages/source.ts";
import { resolveUserPath } from "../resources/dir-entries.ts";
import { isEnabledByOverrides, isPatternEntry } from "../resources/patterns.ts";
import type { SourceInfo } from "../resources/types.ts";
import { readTextFileSync } from "../util/text-file.ts";

export interface ExtensionSource {
	/** What the user wrote (for `-e` and settings) or the discovered file. */
	path: string;
	/** The file to import. */
	resolvedPath: string;
	sourceInfo: SourceInfo;
}

export interface DiscoveryOptions {
	cwd: string;
	agentDir: string;
	/** `-e/--extension` values, as typed. */
	cliPaths: readonly string[];
	/** settings.json `extensions` of the user and of the project. */
	globalEntries: readonly string[];
	projectEntries: readonly string[];
	/** `--no-extensions`: only the `-e` paths load. */
	noExtensions: boolean;
	/** Whether project-local extensions (`.pi/extensions/`, project settings entries) may load. */
	projectTrusted: boolean;
	/** The extensions of the configured pi packages (src/packages), enabled ones, project packages first. */
	packageExtensions?: readonly PackagedExtension[];
	/** `-e npm:…` / `-e git:…` values and the extension files their package offers (installed by src/packages). */
	cliPackages?: ReadonlyMap<string, readonly PackagedExtension[]>;
}

/** An extension file a pi package offers. */
export interface PackagedExtension {
	path: string;
	sourceInfo: SourceInfo;
}

export interface DiscoveryResult {
	sources: ExtensionSource[];
	/** `-e` paths that do not exist, reported like a failed load. */
	missing: { path: string; error: string }[];
	/** `.pi/extensions/` or project settings entries left out because the project is not trusted. */
	untrustedProjectPaths: string[];
}

const PiManifestSchema = v.looseObject({
	pi: v.optional(v.looseObject({ extensions: v.optional(v.array(v.string())) })),
});

/** `-e npm:…` / `-e git:…` (or a git URL): a pi package for this run, not a path (src/packages decides, as pi). */
export function isPackageSource(entry: string): boolean {
	return isRemotePackageSource(entry);
}

function isExtensionFile(name: string): boolean {
	return name.endsWith(".ts") || name.endsWith(".js");
}

function isDirectory(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}

function isFile(path: string): boolean {
	try {
		return statSync(path).isFile();
	} catch {
		return false;
	}
}

/** The entry files of an extension folder: its package.json `pi.extensions`, else index.ts, else index.js. */
export function folderEntries(dir: string): string[] | undefined {
	const manifestPath = join(dir, "package.json");
	if (isFile(manifestPath)) {
		try {
			const manifest = v.safeParse(PiManifestSchema, JSON.parse(readTextFileSync(manifestPath)));
			const declared = manifest.success ? (manifest.output.pi?.extensions ?? []) : [];
			const entries = declared.map((entry) => resolve(dir, entry)).filter((entry) => existsSync(entry));
			if (entries.length > 0) return entries;
		} catch {
			// An unreadable package.json is treated like none: the index file may still be there.
		}
	}
	for (const index of ["index.ts", "index.js"]) {
		const path = join(dir, index);
		if (isFile(path)) return [path];
	}
	return undefined;
}

/** One level of a discovery folder: extension files and extension folders, in name order. */
export function discoverInFolder(dir: string): string[] {
	let names: string[];
	try {
		names = readdirSync(dir).sort();
	} catch {
		return [];
	}
	const found: string[] = [];
	for (const name of names) {
		if (name.startsWith(".") || name === "node_modules") continue;
		const path = join(dir, name);
		if (isExtensionFile(name) && isFile(path)) found.push(path);
		else if (isDirectory(path)) found.push(...(folderEntries(path) ?? []));
	}
	return found;
}

/** A configured path: a file, a folder with entries, or a folder of extension files. */
function expandConfiguredPath(path: string): string[] {
	if (!isDirectory(path)) return [path];
	return folderEntries(path) ?? discoverInFolder(path);
}

export function discoverExtensions(options: DiscoveryOptions): DiscoveryResult {
	const { cwd, agentDir } = options;
	const sources: ExtensionSource[] = [];
	const seen = new Set<string>();
	const missing: DiscoveryResult["missing"] = [];
	const untrustedProjectPaths: string[] = [];
	const add = (path: string, resolvedPath: string, info: Omit<SourceInfo, "path">) => {
		const key = resolve(resolvedPath);
		if (seen.has(key)) return;
		seen.add(key);
		sources.push({ path, resolvedPath: key, sourceInfo: { path: key, ...info } });
	};

	const addPackaged = (entry: string, file: PackagedExtension) => {
		const { path: _path, ...info } = file.sourceInfo;
		add(entry, file.path, info);
	};
	for (const entry of options.cliPaths) {
		// A package source (its install failure is reported by whoever installed it).
		if (isPackageSource(entry)) {
			for (const file of options.cliPackages?.get(entry) ?? []) addPackaged(entry, file);
			continue;
		}
		const resolved = resolveUserPath(entry, cwd);
		if (!existsSync(resolved)) {
			missing.push({ path: resolved, error: `Extension path does not exist: ${resolved}` });
			continue;
		}
		for (const file of expandConfiguredPath(resolved)) {
			add(entry, file, { source: "cli", scope: "temporary", origin: "top-level" });
		}
	}
	if (options.noExtensions) return { sources, missing, untrustedProjectPaths };
	// pi: packages' extensions come after the command line's, before the settings entries and the folders.
	for (const file of options.packageExtensions ?? []) addPackaged(file.path, file);

	const projectBase = join(cwd, ".pi");
	const settingsEntries = (entries: readonly string[], baseDir: string, scope: "project" | "user") => {
		for (const entry of entries) {
			if (isPatternEntry(entry)) continue;
			const resolved = resolveUserPath(entry, baseDir);
			if (!existsSync(resolved)) continue;
			for (const file of expandConfiguredPath(resolved)) {
				if (isEnabledByOverrides(file, entries, baseDir)) {
					add(entry, file, { source: "local", scope, origin: "top-level", baseDir });
				}
			}
		}
	};
	const autoDiscovered = (dir: string, entries: readonly string[], baseDir: string, scope: "project" | "user") => {
		for (const file of discoverInFolder(dir)) {
			if (isEnabledByOverrides(file, entries, baseDir)) {
				add(file, file, { source: "auto", scope, origin: "top-level", baseDir });
			}
		}
	};

	if (options.projectTrusted) {
		settingsEntries(options.projectEntries, projectBase, "project");
	} else if (options.projectEntries.some((entry) => !isPatternEntry(entry))) {
		untrustedProjectPaths.push(join(projectBase, "settings.json"));
	}
	settingsEntries(options.globalEntries, agentDir, "user");
	const projectDir = join(projectBase, "extensions");
	if (options.projectTrusted) autoDiscovered(projectDir, options.projectEntries, projectBase, "project");
	else if (discoverInFolder(projectDir).length > 0) untrustedProjectPaths.push(projectDir);
	autoDiscovered(join(agentDir, "extensions"), options.globalEntries, agentDir, "user");
	return { sources, missing, untrustedProjectPaths };
}
