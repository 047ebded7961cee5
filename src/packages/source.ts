/**
 * What a package source string means (pi 1.6.0, docs/packages.md "Choose a source"): `npm:name[@version]`, a git
 * source (git-source.ts), or a local path. Also a package's identity — npm name, git host/path, or absolute path —
 * which makes two spellings of one package the same entry (`pi remove`, project-over-user precedence).
 */
import { isAbsolute, resolve } from "node:path";
import { expandHome } from "../config/paths.ts";
import { type GitSource, parseGitSource } from "./git-source.ts";

export type { GitSource } from "./git-source.ts";

export interface NpmSource {
	type: "npm";
	/** What the package manager installs, e.g. "@scope/pkg@^1". */
	spec: string;
	name: string;
	version?: string;
	/** A semver range to compare installed versions with (undefined for dist-tags such as "next"). */
	range?: string;
	/** An exact version: never updated. */
	pinned: boolean;
}

export interface LocalSource {
	type: "local";
	path: string;
}

export type PackageSource = NpmSource | GitSource | LocalSource;

/** Settings scope of a package; "temporary" is `-e npm:…` for one run. */
export type PackageScope = "user" | "project" | "temporary";

const EXACT_VERSION = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** A dist-tag ("latest", "next") rather than a version or range. */
const DIST_TAG = /^[A-Za-z][\w.-]*$/;

function parseNpmSpec(spec: string): { name: string; version?: string } {
	const match = /^(@?[^@]+(?:\/[^@]+)?)(?:@(.+))?$/.exec(spec);
	if (!match?.[1]) return { name: spec };
	return match[2] ? { name: match[1], version: match[2] } : { name: match[1] };
}

/** Sources that are not paths, as pi decides (anything else, `file:` included, is a local path). */
export function isLocalPathSource(source: string): boolean {
	const trimmed = source.trim();
	return !/^(npm|git|github|http|https|ssh|builtin):/.test(trimmed);
}

/** An npm or git source (not a path, not one of pi's `builtin:` names): something to install. */
export function isRemotePackageSource(source: string): boolean {
	return !isLocalPathSource(source) && !source.trim().startsWith("builtin:");
}

export function parsePackageSource(source: string): PackageSource {
	if (source.startsWith("npm:")) {
		const spec = source.slice(4).trim();
		const { name, version } = parseNpmSpec(spec);
		const exact = version !== undefined && EXACT_VERSION.test(version);
		const range = version !== undefined && !DIST_TAG.test(version) ? version : undefined;
		return { type: "npm", spec, name, ...(version ? { version } : {}), ...(range ? { range } : {}), pinned: exact };
	}
	if (isLocalPathSource(source)) return { type: "local", path: source };
	return parseGitSource(source) ?? { type: "local", path: source };
}

/** A local source's absolute path: `~` expanded, relative to `baseDir` (the folder of the settings file). */
export function resolveLocalPath(path: string, baseDir: string): string {
	const trimmed = path.trim();
	const plain = trimmed.startsWith("file://") ? new URL(trimmed).pathname : trimmed;
	const expanded = expandHome(plain);
	return isAbsolute(expanded) ? resolve(expanded) : resolve(baseDir, expanded);
}

function comparable(path: string): string {
	return process.platform === "win32" ? path.toLowerCase() : path;
}

/** `npm:<name>`, `git:<host>/<path>`, or `local:<absolute path>` — equal for two spellings of one package. */
export function packageIdentity(source: string, baseDir: string): string {
	const parsed = parsePackageSource(source);
	if (parsed.type === "npm") return `npm:${parsed.name}`;
	if (parsed.type === "git") return `git:${parsed.host}/${parsed.path}`;
	return `local:${comparable(resolveLocalPath(parsed.path, baseDir))}`;
}
