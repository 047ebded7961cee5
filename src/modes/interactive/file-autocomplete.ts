/**
 * File references in the editor (pi 0.73.1): `@query` searches the project (respecting .gitignore) for files
 * and folders whose path contains the query; Tab completes the path before the cursor from the folder listing.
 */
import { readdirSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join } from "node:path";
import { walkTree } from "../../tools/file-walker.ts";

export interface PathSuggestion {
	/** Replaces the prefix in the editor. */
	value: string;
	label: string;
	description?: string;
	isDirectory: boolean;
}

const DELIMITERS = new Set([" ", "\t", '"', "'", "="]);
const SCAN_LIMIT = 100;
const SHOWN_LIMIT = 20;

function lastDelimiter(text: string): number {
	for (let i = text.length - 1; i >= 0; i--) if (DELIMITERS.has(text[i] ?? "")) return i;
	return -1;
}

/** The start of an unclosed `"` (or `@"`) that begins a token, else undefined. */
function quotedPrefix(text: string): string | undefined {
	let start = -1;
	let open = false;
	for (let i = 0; i < text.length; i++) {
		if (text[i] === '"') {
			open = !open;
			if (open) start = i;
		}
	}
	if (!open) return undefined;
	const from = start > 0 && text[start - 1] === "@" ? start - 1 : start;
	const tokenStart = from === 0 || DELIMITERS.has(text[from - 1] ?? "");
	return tokenStart ? text.slice(from) : undefined;
}

/** `@foo` or `@"my fo` ending at the cursor. */
export function extractAtPrefix(textBeforeCursor: string): string | undefined {
	const quoted = quotedPrefix(textBeforeCursor);
	if (quoted?.startsWith('@"')) return quoted;
	const start = lastDelimiter(textBeforeCursor) + 1;
	return textBeforeCursor[start] === "@" ? textBeforeCursor.slice(start) : undefined;
}

/** The path-like word before the cursor that Tab completes ("" at a word start). */
export function extractPathPrefix(textBeforeCursor: string): string {
	return quotedPrefix(textBeforeCursor) ?? textBeforeCursor.slice(lastDelimiter(textBeforeCursor) + 1);
}

function completionValue(path: string, at: boolean, quoted: boolean): string {
	const prefix = at ? "@" : "";
	return quoted || path.includes(" ") ? `${prefix}"${path}"` : `${prefix}${path}`;
}

function splitPrefix(prefix: string): { raw: string; at: boolean; quoted: boolean } {
	if (prefix.startsWith('@"')) return { raw: prefix.slice(2), at: true, quoted: true };
	if (prefix.startsWith('"')) return { raw: prefix.slice(1), at: false, quoted: true };
	if (prefix.startsWith("@")) return { raw: prefix.slice(1), at: true, quoted: false };
	return { raw: prefix, at: false, quoted: false };
}

/** Higher is better: exact name, name prefix, name substring, path substring; folders first on ties. */
function score(path: string, query: string, isDirectory: boolean): number {
	const name = basename(path).toLowerCase();
	const q = query.toLowerCase();
	let value = 0;
	if (name === q) value = 100;
	else if (name.startsWith(q)) value = 80;
	else if (name.includes(q)) value = 50;
	else if (path.toLowerCase().includes(q)) value = 30;
	return value > 0 && isDirectory ? value + 10 : value;
}

/** Suggestions for an `@` prefix: a fuzzy search under `cwd` (or under the folder named before the last `/`). */
export async function fuzzyFileSuggestions(
	cwd: string,
	atPrefix: string,
	signal?: AbortSignal,
): Promise<PathSuggestion[]> {
	const { raw, quoted } = splitPrefix(atPrefix);
	let root = cwd;
	let query = raw;
	let displayBase = "";
	const slash = raw.lastIndexOf("/");
	if (slash >= 0) {
		const base = raw.slice(0, slash + 1);
		const dir = base.startsWith("~/") ? join(homedir(), base.slice(2)) : base.startsWith("/") ? base : join(cwd, base);
		try {
			if (statSync(dir).isDirectory()) {
				root = dir;
				query = raw.slice(slash + 1);
				displayBase = base;
			}
		} catch {
			// Not a folder: search the whole project for the text with its slashes.
		}
	}
	const found: { path: string; isDirectory: boolean; score: number }[] = [];
	await walkTree(root, {
		signal,
		visit: (entry) => {
			if (entry.kind !== "file" && entry.kind !== "directory") return false;
			const isDirectory = entry.kind === "directory";
			const value = query ? score(entry.path, query, isDirectory) : 1;
			if (value > 0) found.push({ path: entry.path, isDirectory, score: value });
			return found.length >= SCAN_LIMIT;
		},
	});
	found.sort((a, b) => b.score - a.score);
	return found.slice(0, SHOWN_LIMIT).map(({ path, isDirectory }) => {
		const display = `${displayBase}${path}`;
		return {
			value: completionValue(isDirectory ? `${display}/` : display, true, quoted),
			label: `${basename(path)}${isDirectory ? "/" : ""}`,
			description: display,
			isDirectory,
		};
	});
}

function expandHome(path: string): string {
	if (path === "~") return homedir();
	return path.startsWith("~/") ? join(homedir(), path.slice(2)) : path;
}

/** Tab completion: entries of the prefix's folder whose names start with its last part; folders first. */
export function pathSuggestions(cwd: string, prefix: string): PathSuggestion[] {
	const { raw, at, quoted } = splitPrefix(prefix);
	const expanded = expandHome(raw);
	const absolute = (path: string) => (raw.startsWith("~") || path.startsWith("/") ? path : join(cwd, path));
	const listsFolder = raw === "" || raw.endsWith("/") || raw === "~" || raw === "." || raw === "..";
	const searchDir = listsFolder ? absolute(raw === "~" ? `${expanded}/` : expanded) : absolute(dirname(expanded));
	const namePrefix = listsFolder ? "" : basename(expanded);
	let entries: import("node:fs").Dirent[];
	try {
		entries = readdirSync(searchDir, { withFileTypes: true });
	} catch {
		return [];
	}
	const displayDir = listsFolder
		? raw === "~"
			? "~/"
			: raw
		: raw.includes("/")
			? raw.slice(0, raw.lastIndexOf("/") + 1)
			: "";
	const suggestions: PathSuggestion[] = [];
	for (const entry of entries) {
		if (!entry.name.toLowerCase().startsWith(namePrefix.toLowerCase())) continue;
		let isDirectory = entry.isDirectory();
		if (!isDirectory && entry.isSymbolicLink()) {
			try {
				isDirectory = statSync(join(searchDir, entry.name)).isDirectory();
			} catch {
				// A broken link completes as a file.
			}
		}
		const path = `${displayDir}${entry.name}${isDirectory ? "/" : ""}`;
		suggestions.push({
			value: completionValue(path, at, quoted),
			label: `${entry.name}${isDirectory ? "/" : ""}`,
			isDirectory,
		});
	}
	return suggestions.sort((a, b) =>
		a.isDirectory === b.isDirectory ? a.label.localeCompare(b.label) : a.isDirectory ? -1 : 1,
	);
}
