/** How tools turn the model's path argument into an absolute path (pi-spec §6.1). */
import { accessSync, constants } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";

const UNICODE_SPACES = /[\u00A0\u2000-\u200A\u202F\u205F\u3000]/g;
const NARROW_NO_BREAK_SPACE = "\u202F";

function exists(path: string): boolean {
	try {
		accessSync(path, constants.F_OK);
		return true;
	} catch {
		return false;
	}
}

/** Strip a leading `@` (models copy `@file` mentions), turn exotic spaces into ASCII ones, expand `~`. */
function expandPath(path: string): string {
	const withoutAt = path.startsWith("@") ? path.slice(1) : path;
	const normalized = withoutAt.replace(UNICODE_SPACES, " ");
	if (normalized === "~") return homedir();
	if (normalized.startsWith("~/")) return homedir() + normalized.slice(1);
	return normalized;
}

export function resolveToCwd(path: string, cwd: string): string {
	const expanded = expandPath(path);
	return isAbsolute(expanded) ? expanded : resolve(cwd, expanded);
}

/**
 * Like resolveToCwd, but when the file does not exist try the spellings macOS uses in file names the user
 * cannot easily type: a narrow no-break space before AM/PM in screenshot names, NFD-decomposed accents and
 * U+2019 instead of an apostrophe.
 */
export function resolveReadPath(path: string, cwd: string): string {
	const resolved = resolveToCwd(path, cwd);
	if (exists(resolved)) return resolved;
	const nfd = resolved.normalize("NFD");
	const candidates = [
		resolved.replace(/ (AM|PM)\./gi, `${NARROW_NO_BREAK_SPACE}$1.`),
		nfd,
		resolved.replace(/'/g, "\u2019"),
		nfd.replace(/'/g, "\u2019"),
	];
	for (const candidate of candidates) {
		if (candidate !== resolved && exists(candidate)) return candidate;
	}
	return resolved;
}
