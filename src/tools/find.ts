/** The `find` tool (pi-spec §6.7): files by glob honouring .gitignore, via fd or built in. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, sep } from "node:path";
import { createInterface } from "node:readline";
import * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import { lazySchema } from "../util/lazy-schema.ts";
import { findExternalTool } from "./external-tools.ts";
import { walkTree } from "./file-walker.ts";
import { globToRegexSource } from "./gitignore.ts";
import type { SearchToolOptions } from "./grep.ts";
import { listingResult } from "./listing-result.ts";
import { resolveToCwd } from "./path-utils.ts";
import { FIND_DEFAULT_LIMIT, FIND_SPEC } from "./schemas.ts";
import { argumentParser, vNumber, vObject, vString } from "./tool-args.ts";
import type { TruncationResult } from "./truncate.ts";

const findArgsSchema = lazySchema(() =>
	vObject({ pattern: vString(), path: v.optional(vString()), limit: v.optional(vNumber()) }),
);
export type FindArgs = v.InferOutput<typeof findArgsSchema>;
export interface FindDetails {
	resultLimitReached?: number;
	truncation?: TruncationResult;
}

const toPosix = (path: string) => path.split(sep).join("/");

/**
 * How pi 1.6.0 reads a pattern: leading `./` dropped; without `/` it matches entry names at any depth; a relative
 * path pattern is anchored at the search folder (`src/*.ts` finds `src/a.ts`, not `pkg/src/b.ts`); an absolute
 * one matches absolute paths. fd's smart case: an all-lowercase pattern ignores case.
 */
interface FindPattern {
	pattern: string;
	kind: "name" | "relativePath" | "absolutePath";
	ignoreCase: boolean;
}

function parsePattern(raw: string): FindPattern {
	const pattern = raw.replace(/^(?:\.\/)+/, "");
	const kind = !pattern.includes("/") ? "name" : isAbsolute(pattern) ? "absolutePath" : "relativePath";
	return { pattern, kind, ignoreCase: pattern === pattern.toLowerCase() };
}

/** Whether `dir` is inside a git work tree (fd then applies .gitignore as git does, without --no-require-git). */
function insideGitRepo(dir: string): boolean {
	for (let current = dir; ; current = dirname(current)) {
		if (existsSync(join(current, ".git"))) return true;
		if (dirname(current) === current) return false;
	}
}

/**
 * fd older than 8.7 (e.g. Debian 12's fd-find 8.6) rejects `--no-require-git`, which pi passes; the built-in
 * search answers instead (the failed spawn costs a few milliseconds per call).
 */
class FdTooOldError extends Error {}

function isFdTooOld(stderr: string): boolean {
	return /no-require-git/.test(stderr) && /(wasn't expected|unexpected argument|unrecognized|unknown)/i.test(stderr);
}

/** Up to `limit` results (pass one more than wanted to tell "exactly N" from "more than N"). */
function findWithFd(fdPath: string, find: FindPattern, searchPath: string, limit: number, signal: AbortSignal) {
	return new Promise<string[]>((resolve, reject) => {
		const args = ["--color=never", "--hidden"];
		if (!insideGitRepo(searchPath)) args.push("--no-require-git");
		args.push("--glob", "--max-results", String(limit));
		let pattern = find.pattern;
		if (find.kind !== "name") args.push("--full-path");
		if (find.kind === "relativePath") {
			// fd matches the absolute path: prefix the glob-escaped search folder. Its letters must not turn smart
			// case off, so case is set explicitly.
			const escapedRoot = searchPath.replace(/\/+$/, "").replace(/[\\*?[\]{}]/g, "\\$&");
			pattern = `${escapedRoot}/${pattern}`;
			if (find.ignoreCase) args.push("--ignore-case");
		}
		args.push("--", pattern, searchPath);
		const child = spawn(fdPath, args, { stdio: ["ignore", "pipe", "pipe"] });
		const reader = createInterface({ input: child.stdout });
		const lines: string[] = [];
		let stderr = "";
		const onAbort = () => child.kill();
		signal.addEventListener("abort", onAbort, { once: true });
		child.stderr.on("data", (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		reader.on("line", (line) => lines.push(line));
		child.on("error", (error) => {
			signal.removeEventListener("abort", onAbort);
			reject(new Error(`Failed to run fd: ${error.message}`));
		});
		child.on("close", (code) => {
			reader.close();
			signal.removeEventListener("abort", onAbort);
			if (signal.aborted) return reject(new Error("Operation aborted"));
			if (code !== 0 && lines.length === 0) {
				const message = stderr.trim() || `fd exited with code ${code}`;
				return reject(isFdTooOld(message) ? new FdTooOldError(message) : new Error(message));
			}
			const results: string[] = [];
			for (const raw of lines) {
				const line = raw.replace(/\r$/, "").trim();
				if (!line) continue;
				const isDir = line.endsWith("/") || line.endsWith("\\");
				let rel = line.startsWith(searchPath) ? line.slice(searchPath.length + 1) : relative(searchPath, line);
				if (isDir && !rel.endsWith("/")) rel += "/";
				results.push(toPosix(rel));
			}
			resolve(results);
		});
	});
}

async function findBuiltin(find: FindPattern, searchPath: string, limit: number, signal: AbortSignal) {
	if (!existsSync(searchPath)) throw new Error(`Path not found: ${searchPath}`);
	const regex = new RegExp(`^${globToRegexSource(find.pattern)}$`, find.ignoreCase ? "i" : "");
	const results: string[] = [];
	if (limit <= 0) return results;
	await walkTree(searchPath, {
		signal,
		visit: (entry) => {
			const subject =
				find.kind === "name"
					? basename(entry.absolutePath)
					: find.kind === "relativePath"
						? toPosix(entry.path)
						: toPosix(entry.absolutePath);
			if (!regex.test(subject)) return false;
			results.push(entry.kind === "directory" ? `${entry.path}/` : entry.path);
			return results.length >= limit;
		},
	});
	return results;
}

export function createFindTool(
	cwd: string,
	options: SearchToolOptions = {},
): AgentTool<FindArgs, FindDetails | undefined> {
	return {
		...FIND_SPEC,
		label: "find",
		parseArgs: argumentParser(FIND_SPEC.name, FIND_SPEC.parameters, findArgsSchema),
		async execute(_id, { pattern, path, limit }, signal) {
			if (signal.aborted) throw new Error("Operation aborted");
			const searchPath = resolveToCwd(path || ".", cwd);
			// fd reads --max-results 0 as unlimited; pi 1.6.0 makes any limit below 1 one.
			const effectiveLimit = Math.max(1, Math.floor(limit ?? FIND_DEFAULT_LIMIT));
			const find = parsePattern(pattern);
			const fd = options.backend === "builtin" ? undefined : findExternalTool("fd");
			// One result past the limit tells "exactly N matches" from "more than N" (pi 1.6.0).
			let found: string[] | undefined;
			if (fd) {
				try {
					found = await findWithFd(fd, find, searchPath, effectiveLimit + 1, signal);
				} catch (error) {
					if (!(error instanceof FdTooOldError)) throw error;
				}
			}
			found ??= await findBuiltin(find, searchPath, effectiveLimit + 1, signal);
			if (signal.aborted) throw new Error("Operation aborted");
			if (found.length === 0) {
				return { content: [{ type: "text", text: "No files found matching pattern" }], details: undefined };
			}
			if (found.length <= effectiveLimit) return listingResult<FindDetails>(found, {}, {});
			return listingResult<FindDetails>(
				found.slice(0, effectiveLimit),
				{ resultLimitReached: effectiveLimit },
				{
					limit: `${effectiveLimit} results limit reached. Use limit=${effectiveLimit * 2} for more, or refine pattern`,
				},
			);
		},
	};
}
