/**
 * Which skill and template files pi would consider, before they are parsed (pi-spec §11.1): settings entries and
 * the auto-discovered folders of the project and the user, ordered so that the first file of a name is the one pi
 * keeps (project settings, project folders, user settings, user folders).
 */
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { canonical, homeDir, IgnoreStack, listDir, resolveUserPath, withIgnoreRules } from "./dir-entries.ts";
import { applyPatterns, isEnabledByOverrides, isPatternEntry } from "./patterns.ts";
import { findSkillFiles } from "./skills.ts";
import type { SourceInfo } from "./types.ts";

export type ResourceKind = "skills" | "prompts";

export interface ResolvedResource {
	path: string;
	enabled: boolean;
	metadata: Omit<SourceInfo, "path">;
}

export interface DiscoveryInput {
	cwd: string;
	agentDir: string;
	globalEntries: readonly string[];
	projectEntries: readonly string[];
	/** False until the project is trusted: `.pi/skills`, `.pi/prompts` and project `.agents/skills` are skipped. */
	projectTrusted: boolean;
	/** Files of this kind from pi packages (src/packages); they rank below every other place. */
	packageResources?: readonly { path: string; enabled: boolean; sourceInfo: SourceInfo }[];
}

/** Every file ending in `suffix` below `dir` (dot entries, node_modules and ignored paths skipped). */
export function findFilesBelow(dir: string, suffix: string): string[] {
	const found: string[] = [];
	const walk = (current: string, relDir: string, inherited: IgnoreStack): void => {
		const ignore = withIgnoreRules(inherited, current, relDir);
		for (const entry of listDir(current, relDir)) {
			if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
			if (ignore.ignores(entry.relPath, entry.isDirectory)) continue;
			if (entry.isDirectory) walk(entry.fullPath, entry.relPath, ignore);
			else if (entry.isFile && entry.name.endsWith(suffix)) found.push(entry.fullPath);
		}
	};
	if (existsSync(dir)) walk(dir, "", new IgnoreStack());
	return found;
}

/** The `*.md` files directly in a prompts folder. */
function findTemplateFiles(dir: string): string[] {
	if (!existsSync(dir)) return [];
	const ignore = withIgnoreRules(new IgnoreStack(), dir, "");
	return listDir(dir, "")
		.filter((entry) => !entry.name.startsWith(".") && entry.name !== "node_modules")
		.filter((entry) => !ignore.ignores(entry.relPath, entry.isDirectory))
		.filter((entry) => entry.isFile && entry.name.endsWith(".md"))
		.map((entry) => entry.fullPath);
}

function filesUnder(paths: readonly string[], kind: ResourceKind): string[] {
	return paths.flatMap((path) => {
		if (!existsSync(path)) return [];
		try {
			const stats = statSync(path);
			if (stats.isFile()) return [path];
			if (stats.isDirectory()) return kind === "skills" ? findSkillFiles(path, true) : findFilesBelow(path, ".md");
		} catch {
			// Unreadable entries are skipped, as in pi.
		}
		return [];
	});
}

/** `.agents/skills` in cwd and each parent, up to the git repository root (or the file system root). */
function ancestorAgentsSkillDirs(cwd: string): string[] {
	const start = resolve(cwd);
	let gitRoot: string | undefined;
	for (let dir = start; ; dir = dirname(dir)) {
		if (existsSync(join(dir, ".git"))) {
			gitRoot = dir;
			break;
		}
		if (dirname(dir) === dir) break;
	}
	const dirs: string[] = [];
	for (let dir = start; ; dir = dirname(dir)) {
		dirs.push(join(dir, ".agents", "skills"));
		if (dir === gitRoot || dirname(dir) === dir) break;
	}
	return dirs;
}

function rank(metadata: ResolvedResource["metadata"]): number {
	if (metadata.origin === "package") return 4;
	return (metadata.scope === "project" ? 0 : 2) + (metadata.source === "local" ? 0 : 1);
}

/** The candidate files of one kind, best first, each once (by real path), with whether settings enable it. */
export function discoverResources(kind: ResourceKind, input: DiscoveryInput): ResolvedResource[] {
	const found = new Map<string, ResolvedResource>();
	const add = (path: string, metadata: ResolvedResource["metadata"], enabled: boolean): void => {
		if (!found.has(path)) found.set(path, { path, enabled, metadata });
	};
	const projectBase = join(input.cwd, ".pi");
	const userBase = input.agentDir;

	const addSettingsEntries = (entries: readonly string[], scope: "project" | "user", baseDir: string): void => {
		const plain = entries.filter((entry) => !isPatternEntry(entry)).map((entry) => resolveUserPath(entry, baseDir));
		const patterns = entries.filter(isPatternEntry);
		const files = filesUnder(plain, kind);
		const enabled = applyPatterns(files, patterns, baseDir);
		for (const file of files) add(file, { source: "local", scope, origin: "top-level" }, enabled.has(file));
	};
	addSettingsEntries(input.projectEntries, "project", projectBase);
	addSettingsEntries(input.globalEntries, "user", userBase);

	const addAuto = (files: string[], scope: "project" | "user", baseDir: string, overrides: readonly string[]): void => {
		for (const file of files) {
			add(
				file,
				{ source: "auto", scope, origin: "top-level", baseDir },
				isEnabledByOverrides(file, overrides, baseDir),
			);
		}
	};
	if (kind === "skills") {
		const userAgentsDir = join(homeDir(), ".agents", "skills");
		if (input.projectTrusted) {
			const projectAgentsDirs = ancestorAgentsSkillDirs(input.cwd).filter(
				(dir) => resolve(dir) !== resolve(userAgentsDir),
			);
			addAuto(findSkillFiles(join(projectBase, "skills"), true), "project", projectBase, input.projectEntries);
			// As in pi 1.6.0, each .agents folder is its skills' base: their sourceInfo.baseDir, and where the
			// settings' ! and + patterns are matched from.
			for (const dir of projectAgentsDirs) {
				addAuto(findSkillFiles(dir, false), "project", dirname(dir), input.projectEntries);
			}
		}
		addAuto(findSkillFiles(join(userBase, "skills"), true), "user", userBase, input.globalEntries);
		addAuto(findSkillFiles(userAgentsDir, false), "user", dirname(userAgentsDir), input.globalEntries);
	} else {
		if (input.projectTrusted) {
			addAuto(findTemplateFiles(join(projectBase, "prompts")), "project", projectBase, input.projectEntries);
		}
		addAuto(findTemplateFiles(join(userBase, "prompts")), "user", userBase, input.globalEntries);
	}

	for (const resource of input.packageResources ?? []) {
		const { path: _path, ...metadata } = resource.sourceInfo;
		add(resource.path, metadata, resource.enabled);
	}

	const seen = new Set<string>();
	return [...found.values()]
		.sort((a, b) => rank(a.metadata) - rank(b.metadata))
		.filter((resource) => {
			const real = canonical(resource.path);
			if (seen.has(real)) return false;
			seen.add(real);
			return true;
		});
}
