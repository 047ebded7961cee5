/**
 * What `pi config` lists and changes (pi 1.6.0's resource picker): every extension, skill, prompt template and theme
 * pi would consider — those of the settings' packages, those named by the settings arrays, and those found in the
 * conventional folders — each with whether it loads now; and switching one on or off, which pi records as a `+path`
 * or `-path` entry: in the settings array of its kind for the user's and the project's own resources, in the
 * package's entry (its object form) for a package's.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { CONFIG_DIR_NAME } from "../config/paths.ts";
import type { SettingsManager } from "../config/settings.ts";
import type { Settings } from "../config/settings-schema.ts";
import { discoverInFolder, folderEntries } from "../extensions/discovery.ts";
import { resolveUserPath } from "../resources/dir-entries.ts";
import { discoverResources } from "../resources/discovery.ts";
import { isEnabledByOverrides, isPatternEntry } from "../resources/patterns.ts";
import type { PackageInstallFailure, PackageManager } from "./manager.ts";
import type { ResourceType } from "./manifest.ts";
import { packageIdentity } from "./source.ts";

export interface ConfigResource {
	type: ResourceType;
	path: string;
	enabled: boolean;
	scope: "user" | "project";
	origin: "package" | "top-level";
	/** "auto" (a conventional folder), "local" (a settings entry), or the package's source. */
	source: string;
	/** The folder patterns are relative to: the package, the settings file's folder, or the discovery folder. */
	baseDir: string;
}

interface Roots {
	cwd: string;
	agentDir: string;
}

function projectBase(roots: Roots): string {
	return join(roots.cwd, CONFIG_DIR_NAME);
}

function scopeBase(roots: Roots, scope: "user" | "project"): string {
	return scope === "project" ? projectBase(roots) : roots.agentDir;
}

function isDirectory(path: string): boolean {
	try {
		return statSync(path).isDirectory();
	} catch {
		return false;
	}
}

/** `*.json` files of a themes folder. */
function themeFiles(dir: string): string[] {
	if (!isDirectory(dir)) return [];
	return readdirSync(dir)
		.filter((name) => !name.startsWith(".") && name.endsWith(".json"))
		.sort()
		.map((name) => join(dir, name));
}

/** Files a settings entry of this kind names (a file, or what a folder holds). */
function filesOfEntry(type: "extensions" | "themes", path: string): string[] {
	if (!existsSync(path)) return [];
	if (!isDirectory(path)) return [path];
	return type === "themes" ? themeFiles(path) : (folderEntries(path) ?? discoverInFolder(path));
}

/** Extensions or themes named by settings entries and found in the conventional folders of one scope. */
function topLevelFiles(
	type: "extensions" | "themes",
	entries: readonly string[],
	scope: "user" | "project",
	roots: Roots,
): ConfigResource[] {
	const base = scopeBase(roots, scope);
	const found: ConfigResource[] = [];
	for (const entry of entries) {
		if (isPatternEntry(entry)) continue;
		for (const path of filesOfEntry(type, resolveUserPath(entry, base))) {
			const enabled = isEnabledByOverrides(path, entries, base);
			found.push({ type, path, enabled, scope, origin: "top-level", source: "local", baseDir: base });
		}
	}
	const folder = join(base, type);
	const auto = type === "themes" ? themeFiles(folder) : discoverInFolder(folder);
	for (const path of auto) {
		const enabled = isEnabledByOverrides(path, entries, base);
		found.push({ type, path, enabled, scope, origin: "top-level", source: "auto", baseDir: base });
	}
	return found;
}

/**
 * Every resource of the user's settings and folders, the project's when `settings` trusts the project, and of the
 * configured packages (installed first when missing, as pi does).
 */
export async function listConfigResources(
	roots: Roots,
	settings: SettingsManager,
	packages: PackageManager,
): Promise<{ resources: ConfigResource[]; installFailures: PackageInstallFailure[] }> {
	const resources: ConfigResource[] = [];
	const trusted = settings.isProjectTrusted();
	const global = settings.getGlobalSettings();
	const project = trusted ? settings.getProjectSettings() : {};
	const resolved = await packages.resolveConfigured();
	for (const type of ["extensions", "skills", "prompts", "themes"] as const) {
		for (const resource of resolved[type]) {
			const { scope, source, baseDir } = resource.sourceInfo;
			if (scope === "temporary") continue;
			resources.push({
				type,
				path: resource.path,
				enabled: resource.enabled,
				scope,
				origin: "package",
				source,
				baseDir: baseDir ?? resource.path,
			});
		}
	}
	for (const type of ["skills", "prompts"] as const) {
		const candidates = discoverResources(type, {
			cwd: roots.cwd,
			agentDir: roots.agentDir,
			globalEntries: global[type] ?? [],
			projectEntries: project[type] ?? [],
			projectTrusted: trusted,
		});
		for (const candidate of candidates) {
			const { scope, source } = candidate.metadata;
			if (scope === "temporary") continue;
			const baseDir = candidate.metadata.baseDir ?? scopeBase(roots, scope);
			resources.push({
				type,
				path: candidate.path,
				enabled: candidate.enabled,
				scope,
				origin: "top-level",
				source,
				baseDir,
			});
		}
	}
	for (const type of ["extensions", "themes"] as const) {
		if (trusted) resources.push(...topLevelFiles(type, project[type] ?? [], "project", roots));
		resources.push(...topLevelFiles(type, global[type] ?? [], "user", roots));
	}
	return { resources, installFailures: resolved.installFailures };
}

/** The entry naming `target` without its `+`/`-`/`!` prefix. */
function entryTarget(entry: string): string {
	return /^[!+-]/.test(entry) ? entry.slice(1) : entry;
}

/** `entries` with every override of `pattern` replaced by one `+pattern` or `-pattern`. */
function withOverride(entries: readonly string[], pattern: string, enabled: boolean): string[] {
	const kept = entries.filter((entry) => !(/^[!+-]/.test(entry) && entryTarget(entry) === pattern));
	return [...kept, `${enabled ? "+" : "-"}${pattern}`];
}

type PackageEntry = NonNullable<Settings["packages"]>[number];

/**
 * Records that `resource` loads (or not) in the settings of its scope, as pi's picker does. Project resources
 * need a trusted project (the settings manager refuses otherwise).
 */
export function setResourceEnabled(
	roots: Roots,
	settings: SettingsManager,
	resource: ConfigResource,
	enabled: boolean,
): void {
	const scope = resource.scope;
	const current = scope === "project" ? settings.getProjectSettings() : settings.getGlobalSettings();
	const pattern = relative(resource.baseDir, resource.path) || resource.path;
	if (resource.origin === "top-level") {
		const updated = withOverride(current[resource.type] ?? [], pattern, enabled);
		if (scope === "project") settings.setProject(resource.type, updated);
		else settings.set(resource.type, updated);
		resource.enabled = enabled;
		return;
	}
	const base = scopeBase(roots, scope);
	const identity = packageIdentity(resource.source, base);
	const packages: PackageEntry[] = [...(current.packages ?? [])];
	const index = packages.findIndex(
		(entry) => packageIdentity(typeof entry === "string" ? entry : entry.source, base) === identity,
	);
	const entry = packages[index];
	if (entry === undefined) return;
	const object = typeof entry === "string" ? { source: entry } : { ...entry };
	const updated = withOverride(object[resource.type] ?? [], pattern, enabled);
	object[resource.type] = updated;
	packages[index] = object;
	if (scope === "project") settings.setProject("packages", packages);
	else settings.set("packages", packages);
	resource.enabled = enabled;
}
