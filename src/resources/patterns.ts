/**
 * The filter syntax of the settings `skills` / `prompts` arrays (pi-spec §2.2): plain entries are paths, entries
 * with `*` or `?` select among the files those paths give, `!pattern` excludes, `+path` force-includes and `-path`
 * force-excludes an exact path. A pattern is tried against the path relative to the settings folder, the file name
 * and the absolute path; for a SKILL.md also against its folder in the same three forms.
 */
import { basename, dirname, relative } from "node:path";

function globMatch(candidate: string, pattern: string): boolean {
	try {
		return new Bun.Glob(pattern).match(candidate);
	} catch {
		return false;
	}
}

function candidateForms(filePath: string, baseDir: string): { file: string[]; skillDir: string[] } {
	const file = [relative(baseDir, filePath), basename(filePath), filePath];
	if (basename(filePath) !== "SKILL.md") return { file, skillDir: [] };
	const dir = dirname(filePath);
	return { file, skillDir: [relative(baseDir, dir), basename(dir), dir] };
}

export function matchesAnyPattern(filePath: string, patterns: readonly string[], baseDir: string): boolean {
	const forms = candidateForms(filePath, baseDir);
	return patterns.some((pattern) => [...forms.file, ...forms.skillDir].some((form) => globMatch(form, pattern)));
}

/** Exact matching for `+` / `-`: the relative or absolute path (a leading `./` ignored), or a SKILL.md's folder. */
export function matchesAnyExactPattern(filePath: string, patterns: readonly string[], baseDir: string): boolean {
	const rel = relative(baseDir, filePath);
	const isSkillFile = basename(filePath) === "SKILL.md";
	const dir = dirname(filePath);
	return patterns.some((pattern) => {
		const normalized = pattern.startsWith("./") ? pattern.slice(2) : pattern;
		if (normalized === rel || normalized === filePath) return true;
		return isSkillFile && (normalized === relative(baseDir, dir) || normalized === dir);
	});
}

export function isPatternEntry(entry: string): boolean {
	return /^[!+-]/.test(entry) || entry.includes("*") || entry.includes("?");
}

function prefixed(patterns: readonly string[], prefix: string): string[] {
	return patterns.filter((p) => p.startsWith(prefix)).map((p) => p.slice(1));
}

/** For auto-discovered files only the `!`, `+` and `-` entries of the settings array apply. */
export function isEnabledByOverrides(filePath: string, entries: readonly string[], baseDir: string): boolean {
	let enabled = true;
	const excludes = prefixed(entries, "!");
	const forceIncludes = prefixed(entries, "+");
	const forceExcludes = prefixed(entries, "-");
	if (excludes.length > 0 && matchesAnyPattern(filePath, excludes, baseDir)) enabled = false;
	if (forceIncludes.length > 0 && matchesAnyExactPattern(filePath, forceIncludes, baseDir)) enabled = true;
	if (forceExcludes.length > 0 && matchesAnyExactPattern(filePath, forceExcludes, baseDir)) enabled = false;
	return enabled;
}

/** Which of `files` (collected from the plain entries) the pattern entries leave enabled. */
export function applyPatterns(files: readonly string[], patterns: readonly string[], baseDir: string): Set<string> {
	const includes = patterns.filter((p) => !/^[!+-]/.test(p));
	const excludes = prefixed(patterns, "!");
	const forceIncludes = prefixed(patterns, "+");
	const forceExcludes = prefixed(patterns, "-");
	let result = includes.length === 0 ? [...files] : files.filter((f) => matchesAnyPattern(f, includes, baseDir));
	if (excludes.length > 0) result = result.filter((f) => !matchesAnyPattern(f, excludes, baseDir));
	for (const f of files) {
		if (forceIncludes.length > 0 && !result.includes(f) && matchesAnyExactPattern(f, forceIncludes, baseDir)) {
			result.push(f);
		}
	}
	if (forceExcludes.length > 0) result = result.filter((f) => !matchesAnyExactPattern(f, forceExcludes, baseDir));
	return new Set(result);
}
