/**
 * Recursive folder walk for the built-in grep/find: honours .gitignore/.ignore files (including those of
 * parent folders up to the git root, as rg and fd do), includes hidden files, never enters `.git`, and does
 * not follow symlinks (reported as entries, never descended into).
 */
import type { Dirent } from "node:fs";
import { existsSync, readFileSync } from "node:fs";
import { readdir } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { IgnoreFile, IgnoreStack, parseIgnoreFile } from "./gitignore.ts";

export type EntryKind = "file" | "directory" | "symlink" | "other";

export interface WalkEntry {
	/** Relative to the walk root, POSIX separators. */
	path: string;
	absolutePath: string;
	kind: EntryKind;
}

const IGNORE_FILE_NAMES = [".gitignore", ".ignore"];

function loadIgnoreFile(dir: string): IgnoreFile {
	const rules = IGNORE_FILE_NAMES.flatMap((name) => {
		try {
			return parseIgnoreFile(readFileSync(join(dir, name), "utf-8"));
		} catch {
			return [];
		}
	});
	return new IgnoreFile(rules);
}

/** Rules from folders above `root`, up to the enclosing git repository's root (none outside a repository). */
function ancestorIgnores(root: string): IgnoreStack {
	const ancestors: string[] = [];
	let dir = root;
	let inRepo = existsSync(join(root, ".git"));
	while (!inRepo) {
		const parent = dirname(dir);
		if (parent === dir) break;
		dir = parent;
		ancestors.unshift(dir);
		inRepo = existsSync(join(dir, ".git"));
	}
	if (!inRepo) return new IgnoreStack();
	let stack = new IgnoreStack();
	for (const ancestor of ancestors) {
		stack = stack.pushAncestor(relative(ancestor, root).split(sep).join("/"), loadIgnoreFile(ancestor));
	}
	return stack;
}

function kindOf(entry: Dirent): EntryKind {
	if (entry.isSymbolicLink()) return "symlink";
	if (entry.isDirectory()) return "directory";
	if (entry.isFile()) return "file";
	return "other";
}

export interface WalkOptions {
	signal?: AbortSignal;
	/** Return true to stop the walk early (a result limit was reached). */
	visit: (entry: WalkEntry) => boolean | undefined;
}

/** Walk depth-first in name order so results are stable. Unreadable folders are skipped. */
export async function walkTree(root: string, options: WalkOptions): Promise<void> {
	let stopped = false;
	const walk = async (dir: string, relDir: string, inherited: IgnoreStack): Promise<void> => {
		if (stopped) return;
		if (options.signal?.aborted) throw new Error("Operation aborted");
		let entries: Dirent[];
		try {
			entries = await readdir(dir, { withFileTypes: true });
		} catch {
			return;
		}
		const ignores = inherited.push(relDir, loadIgnoreFile(dir));
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		for (const entry of entries) {
			if (stopped) return;
			const kind = kindOf(entry);
			if (kind === "directory" && entry.name === ".git") continue;
			const path = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
			if (ignores.ignores(path, kind === "directory")) continue;
			const absolutePath = join(dir, entry.name);
			if (options.visit({ path, absolutePath, kind })) {
				stopped = true;
				return;
			}
			if (kind === "directory") await walk(absolutePath, path, ignores);
		}
	};
	await walk(root, "", ancestorIgnores(root));
}
