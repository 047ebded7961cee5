/** The `find` tool (pi-spec §6.7): files by glob honouring .gitignore, via fd or built in. */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, relative, sep } from "node:path";
import { createInterface } from "node:readline";
import * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import { findExternalTool } from "./external-tools.ts";
import { walkTree } from "./file-walker.ts";
import { globToRegexSource } from "./gitignore.ts";
import type { SearchToolOptions } from "./grep.ts";
import { listingResult } from "./listing-result.ts";
import { resolveToCwd } from "./path-utils.ts";
import { FIND_DEFAULT_LIMIT, FIND_SPEC } from "./schemas.ts";
import { argumentParser, vNumber, vObject, vString } from "./tool-args.ts";
import type { TruncationResult } from "./truncate.ts";

const findArgsSchema = vObject({ pattern: vString(), path: v.optional(vString()), limit: v.optional(vNumber()) });
export type FindArgs = v.InferOutput<typeof findArgsSchema>;
export interface FindDetails {
	resultLimitReached?: number;
	truncation?: TruncationResult;
}

const toPosix = (path: string) => path.split(sep).join("/");

/**
 * fd's --glob semantics: a pattern without `/` matches the entry's name; with `/` it matches the absolute
 * path (pi prefixes `**\/` so that a relative pattern like `src/**\/*.ts` can match).
 */
function fdStylePattern(pattern: string): { fullPath: boolean; pattern: string } {
	if (!pattern.includes("/")) return { fullPath: false, pattern };
	const needsPrefix = !pattern.startsWith("/") && !pattern.startsWith("**/") && pattern !== "**";
	return { fullPath: true, pattern: needsPrefix ? `**/${pattern}` : pattern };
}

/**
 * fd older than 8.7 (e.g. Debian 12's fd-find 8.6) rejects `--no-require-git`, which pi passes; the built-in
 * search answers instead (the failed spawn costs a few milliseconds per call).
 */
class FdTooOldError extends Error {}

function isFdTooOld(stderr: string): boolean {
	return /no-require-git/.test(stderr) && /(wasn't expected|unexpected argument|unrecognized|unknown)/i.test(stderr);
}

function findWithFd(fdPath: string, pattern: string, searchPath: string, limit: number, signal: AbortSignal) {
	return new Promise<string[]>((resolve, reject) => {
		const args = ["--glob", "--color=never", "--hidden", "--no-require-git", "--max-results", String(limit)];
		const effective = fdStylePattern(pattern);
		if (effective.fullPath) args.push("--full-path");
		args.push("--", effective.pattern, searchPath);
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

async function findBuiltin(pattern: string, searchPath: string, limit: number, signal: AbortSignal) {
	const effective = fdStylePattern(pattern);
	const regex = new RegExp(`^${globToRegexSource(effective.pattern)}$`);
	const results: string[] = [];
	if (limit <= 0) return results;
	await walkTree(searchPath, {
		signal,
		visit: (entry) => {
			const subject = effective.fullPath ? toPosix(entry.absolutePath) : basename(entry.absolutePath);
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
			const effectiveLimit = limit ?? FIND_DEFAULT_LIMIT;
			if (!existsSync(searchPath)) throw new Error(`Path not found: ${searchPath}`);
			const fd = options.backend === "builtin" ? undefined : findExternalTool("fd");
			let results: string[] | undefined;
			if (fd) {
				try {
					results = await findWithFd(fd, pattern, searchPath, effectiveLimit, signal);
				} catch (error) {
					if (!(error instanceof FdTooOldError)) throw error;
				}
			}
			results ??= await findBuiltin(pattern, searchPath, effectiveLimit, signal);
			if (signal.aborted) throw new Error("Operation aborted");
			if (results.length === 0) {
				return { content: [{ type: "text", text: "No files found matching pattern" }], details: undefined };
			}
			if (results.length < effectiveLimit) return listingResult<FindDetails>(results, {}, {});
			return listingResult<FindDetails>(
				results,
				{ resultLimitReached: effectiveLimit },
				{
					limit: `${effectiveLimit} results limit reached. Use limit=${effectiveLimit * 2} for more, or refine pattern`,
				},
			);
		},
	};
}
