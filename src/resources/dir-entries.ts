/**
 * Folder listing shared by skill and template discovery: symlinks are followed (broken ones skipped), and the
 * `.gitignore`, `.ignore` and `.fdignore` files of each visited folder are honoured, as pi does. Also the path
 * helpers (tilde, real path) that discovery and loading share.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { IgnoreFile, IgnoreStack, parseIgnoreFile } from "../tools/gitignore.ts";

const IGNORE_FILE_NAMES = [".gitignore", ".ignore", ".fdignore"];

export interface DirEntry {
	name: string;
	fullPath: string;
	/** Path relative to the walk root, POSIX separators. */
	relPath: string;
	isFile: boolean;
	isDirectory: boolean;
}

/** The ignore rules in force inside `dir` (`relDir` is its path relative to the walk root, "" for the root). */
export function withIgnoreRules(stack: IgnoreStack, dir: string, relDir: string): IgnoreStack {
	const rules = IGNORE_FILE_NAMES.flatMap((name) => {
		const path = join(dir, name);
		if (!existsSync(path)) return [];
		try {
			return parseIgnoreFile(readFileSync(path, "utf-8"));
		} catch {
			return [];
		}
	});
	return stack.push(relDir, new IgnoreFile(rules));
}

/**
 * Entries of one folder sorted by name, byte by byte; unreadable folders give nothing. pi runs on Node, whose
 * readdir (libuv's scandir) sorts so; Bun's gives the file system's order, which differs between machines and
 * would reorder the skills in the system prompt and the template commands.
 */
export function listDir(dir: string, relDir: string): DirEntry[] {
	let names: { name: string; isFile: () => boolean; isDirectory: () => boolean; isSymbolicLink: () => boolean }[];
	try {
		names = readdirSync(dir, { withFileTypes: true });
	} catch {
		return [];
	}
	names.sort((a, b) => Buffer.compare(Buffer.from(a.name), Buffer.from(b.name)));
	const entries: DirEntry[] = [];
	for (const entry of names) {
		const fullPath = join(dir, entry.name);
		let isFile = entry.isFile();
		let isDirectory = entry.isDirectory();
		if (entry.isSymbolicLink()) {
			try {
				const stats = statSync(fullPath);
				isFile = stats.isFile();
				isDirectory = stats.isDirectory();
			} catch {
				continue;
			}
		}
		const relPath = relDir === "" ? entry.name : `${relDir}/${entry.name}`;
		entries.push({ name: entry.name, fullPath, relPath, isFile, isDirectory });
	}
	return entries;
}

/** The real path (symlinks resolved), or the path itself when it does not exist. */
export function canonical(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path;
	}
}

export function homeDir(): string {
	return process.env.HOME || homedir();
}

/** `~`, `~/x` and (as pi) `~x` are under HOME; other paths are unchanged. */
export function expandTilde(path: string): string {
	if (path === "~") return homeDir();
	if (path.startsWith("~/")) return join(homeDir(), path.slice(2));
	if (path.startsWith("~")) return join(homeDir(), path.slice(1));
	return path;
}

/** A path from settings or the command line: trimmed, `~` expanded, relative ones resolved against `baseDir`. */
export function resolveUserPath(entry: string, baseDir: string): string {
	return resolve(baseDir, expandTilde(entry.trim()));
}

/** `target` is `root` or inside it (both absolute). */
export function isUnder(target: string, root: string): boolean {
	const normalizedRoot = resolve(root);
	return (
		target === normalizedRoot || target.startsWith(normalizedRoot.endsWith("/") ? normalizedRoot : `${normalizedRoot}/`)
	);
}

export { IgnoreStack };
