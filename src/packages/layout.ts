/**
 * Where packages live on disk — pi 1.6.0's layout, so packages pi installed are found and the other way round:
 *
 *   npm, user      <agentDir>/npm/node_modules/<name>          (an npm project: package.json "pi-extensions")
 *   npm, project   <cwd>/.pi/npm/node_modules/<name>
 *   git, user      <agentDir>/git/<host>/<path>
 *   git, project   <cwd>/.pi/git/<host>/<path>
 *   -e (one run)   <agentDir>/tmp/extensions/npm/<hash>/node_modules/<name>
 *                  <agentDir>/tmp/extensions/git-<host>/<hash>/<path>
 *
 * The hashes are pi's: the first 8 hex digits of sha256 over "npm-" / "git-<host>-<path>[@ref]".
 */
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync } from "node:fs";
import { join, resolve, sep } from "node:path";
import { CONFIG_DIR_NAME } from "../config/paths.ts";
import type { GitSource, NpmSource, PackageScope } from "./source.ts";

export interface LayoutRoots {
	agentDir: string;
	cwd: string;
}

/** `root` joined with `parts`, refusing anything that would land outside it. */
function inside(root: string, ...parts: string[]): string {
	const base = resolve(root);
	const path = resolve(base, ...parts);
	if (path !== base && !path.startsWith(`${base}${sep}`)) {
		throw new Error(`Refusing to use path outside package install root: ${path}`);
	}
	return path;
}

function shortHash(text: string): string {
	return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/** `<agentDir>/tmp/extensions`, private to the user (0700), as pi keeps it. */
export function temporaryRoot(agentDir: string): string {
	const dir = join(agentDir, "tmp", "extensions");
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	try {
		chmodSync(dir, 0o700);
	} catch {
		// Windows has no such modes.
	}
	return dir;
}

function temporaryDir(agentDir: string, prefix: string, suffix?: string, ref?: string): string {
	const root = inside(temporaryRoot(agentDir), prefix);
	return inside(root, shortHash(`${prefix}-${suffix ?? ""}${ref ? `@${ref}` : ""}`), suffix ?? "");
}

/** The npm project folder packages of this scope are installed into. */
export function npmInstallRoot(roots: LayoutRoots, scope: PackageScope): string {
	if (scope === "temporary") return temporaryDir(roots.agentDir, "npm");
	if (scope === "project") return join(roots.cwd, CONFIG_DIR_NAME, "npm");
	return join(roots.agentDir, "npm");
}

export function npmInstallPath(roots: LayoutRoots, source: NpmSource, scope: PackageScope): string {
	return join(npmInstallRoot(roots, scope), "node_modules", source.name);
}

export function gitInstallRoot(roots: LayoutRoots, scope: "user" | "project"): string {
	return scope === "project" ? join(roots.cwd, CONFIG_DIR_NAME, "git") : join(roots.agentDir, "git");
}

export function gitInstallPath(roots: LayoutRoots, source: GitSource, scope: PackageScope): string {
	if (scope === "temporary") return temporaryDir(roots.agentDir, `git-${source.host}`, source.path, source.ref);
	return inside(gitInstallRoot(roots, scope), source.host, source.path);
}

/** Left next to a git checkout while an update is half done; the next update cleans up after it. */
export function gitUpdateMarker(targetDir: string): string {
	const parts = targetDir.split(sep);
	const name = parts.pop() ?? "";
	return join(parts.join(sep) || sep, `.${name}.pi-update-incomplete`);
}
