/**
 * Which files of a package are extensions, skills, prompt templates and themes (pi 1.6.0, docs/packages.md):
 * the `pi` manifest's entries (paths and globs, `!`/`+`/`-` patterns), else the conventional `extensions/`,
 * `skills/`, `prompts/`, `themes/` folders; a settings entry's filter narrows that further (`[]` = none of a kind,
 * `autoload: false` = only what the filter names).
 */
import { existsSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { IgnoreStack, listDir, withIgnoreRules } from "../resources/dir-entries.ts";
import { findFilesBelow } from "../resources/discovery.ts";
import { applyPatterns, matchesAnyExactPattern, matchesAnyPattern } from "../resources/patterns.ts";
import { findSkillFiles } from "../resources/skills.ts";
import { listsResources, type PiManifest, RESOURCE_TYPES, type ResourceType, readPiManifest } from "./manifest.ts";

/** The object form of a settings `packages` entry, less its source. */
export interface PackageFilter {
	autoload?: boolean;
	extensions?: string[];
	skills?: string[];
	prompts?: string[];
	themes?: string[];
}

/** Files of one kind, each with whether it loads. */
export type ResourceSink = (type: ResourceType, path: string, enabled: boolean) => void;

const isOverride = (entry: string) => /^[!+-]/.test(entry);
const hasGlob = (entry: string) => entry.includes("*") || entry.includes("?");

/** The extension entry points a folder offers: its manifest's, else index.ts / index.js; null if none. */
function extensionEntries(dir: string): string[] | null {
	const manifest = readPiManifest(join(dir, "package.json"));
	const declared = (manifest?.extensions ?? []).map((entry) => resolve(dir, entry)).filter((path) => existsSync(path));
	if (declared.length > 0) return declared;
	for (const index of ["index.ts", "index.js"]) if (existsSync(join(dir, index))) return [join(dir, index)];
	return null;
}

/** An `extensions/` folder: its own entry points, else each .ts/.js file and each subfolder's entry points. */
function findExtensions(dir: string): string[] {
	if (!existsSync(dir)) return [];
	const own = extensionEntries(dir);
	if (own) return own;
	const ignore = withIgnoreRules(new IgnoreStack(), dir, "");
	const found: string[] = [];
	for (const entry of listDir(dir, "")) {
		if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
		if (ignore.ignores(entry.relPath, entry.isDirectory)) continue;
		if (entry.isFile && /\.(ts|js)$/.test(entry.name)) found.push(entry.fullPath);
		else if (entry.isDirectory) found.push(...(extensionEntries(entry.fullPath) ?? []));
	}
	return found;
}

function filesInFolder(dir: string, type: ResourceType): string[] {
	if (type === "skills") return findSkillFiles(dir, true);
	if (type === "extensions") return findExtensions(dir);
	return findFilesBelow(dir, type === "prompts" ? ".md" : ".json");
}

function filesAt(paths: readonly string[], type: ResourceType): string[] {
	return paths.flatMap((path) => {
		try {
			const stats = statSync(path);
			if (stats.isFile()) return [path];
			if (stats.isDirectory()) return filesInFolder(path, type);
		} catch {
			// Missing entries are skipped, as in pi.
		}
		return [];
	});
}

/** Glob entries find visible paths only (no dot segments); exact entries may name dot paths or symlinked trees. */
function expandGlob(pattern: string, root: string): string[] {
	const matches: string[] = [];
	try {
		for (const match of new Bun.Glob(pattern).scanSync({ cwd: root, onlyFiles: false, dot: false })) {
			matches.push(resolve(root, match));
		}
	} catch {
		return [];
	}
	return matches
		.filter((path) =>
			relative(root, path)
				.split(sep)
				.every((segment) => segment === ".." || !segment.startsWith(".")),
		)
		.sort();
}

function manifestFiles(entries: readonly string[], root: string, type: ResourceType): string[] {
	const paths = entries
		.filter((entry) => !isOverride(entry))
		.flatMap((entry) => (hasGlob(entry) ? expandGlob(entry, root) : [resolve(root, entry)]));
	return filesAt(paths, type);
}

/** Everything the package offers of one kind (its manifest's patterns applied), before any settings filter. */
function offered(root: string, manifest: PiManifest | null, type: ResourceType): string[] {
	const entries = manifest?.[type];
	if (entries && entries.length > 0) {
		const files = manifestFiles(entries, root, type);
		const patterns = entries.filter(isOverride);
		return patterns.length > 0 ? [...applyPatterns(files, patterns, root)] : files;
	}
	const folder = join(root, type);
	return existsSync(folder) ? filesInFolder(folder, type) : [];
}

/** `autoload: false` filters only switch what they name: `+x`/`x` on, `-x`/`!x` off. */
function deltaFilter(files: readonly string[], patterns: readonly string[], root: string): Map<string, boolean> {
	const result = new Map<string, boolean>();
	for (const pattern of patterns) {
		const target = isOverride(pattern) ? pattern.slice(1) : pattern;
		const enabled = !pattern.startsWith("-") && !pattern.startsWith("!");
		const exact = pattern.startsWith("+") || pattern.startsWith("-");
		for (const file of files) {
			const hit = exact ? matchesAnyExactPattern(file, [target], root) : matchesAnyPattern(file, [target], root);
			if (hit) result.set(file, enabled);
		}
	}
	return result;
}

/**
 * Reports the package's files to `sink`. False when a folder offers nothing at all (no manifest resources, no
 * conventional folders): pi then treats a local folder as one extension.
 */
export function collectPackageResources(root: string, filter: PackageFilter | undefined, sink: ResourceSink): boolean {
	const manifest = readPiManifest(join(root, "package.json"));
	if (filter) {
		for (const type of RESOURCE_TYPES) {
			const patterns = filter[type];
			if (filter.autoload === false) {
				if (!patterns?.length) continue;
				for (const [file, enabled] of deltaFilter(offered(root, manifest, type), patterns, root)) {
					sink(type, file, enabled);
				}
			} else if (patterns !== undefined) {
				const files = offered(root, manifest, type);
				// [] switches the kind off entirely.
				const enabled = patterns.length === 0 ? new Set<string>() : applyPatterns(files, patterns, root);
				for (const file of files) sink(type, file, enabled.has(file));
			} else {
				for (const file of offered(root, manifest, type)) sink(type, file, true);
			}
		}
		return true;
	}
	if (manifest && listsResources(manifest)) {
		for (const type of RESOURCE_TYPES) {
			const entries = manifest[type];
			if (!entries) continue;
			const files = manifestFiles(entries, root, type);
			const enabled = applyPatterns(files, entries.filter(isOverride), root);
			for (const file of files) if (enabled.has(file)) sink(type, file, true);
		}
		return true;
	}
	let any = false;
	for (const type of RESOURCE_TYPES) {
		const folder = join(root, type);
		if (!existsSync(folder)) continue;
		any = true;
		for (const file of filesInFolder(folder, type)) sink(type, file, true);
	}
	return any;
}
