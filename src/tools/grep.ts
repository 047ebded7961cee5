/** The `grep` tool (pi-spec §6.6): regex or literal search honouring .gitignore, via rg or built in. */
import { readFile, stat } from "node:fs/promises";
import { basename, relative } from "node:path";
import * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import { findExternalTool, type SearchBackend } from "./external-tools.ts";
import { type GrepMatch, grepBuiltin, grepWithRipgrep } from "./grep-engines.ts";
import { listingResult } from "./listing-result.ts";
import { resolveToCwd } from "./path-utils.ts";
import { GREP_DEFAULT_LIMIT, GREP_SPEC } from "./schemas.ts";
import { argumentParser, vBoolean, vNumber, vObject, vString } from "./tool-args.ts";
import { GREP_MAX_LINE_LENGTH, type TruncationResult, truncateLine } from "./truncate.ts";

const grepArgsSchema = vObject({
	pattern: vString(),
	path: v.optional(vString()),
	glob: v.optional(vString()),
	ignoreCase: v.optional(vBoolean()),
	literal: v.optional(vBoolean()),
	context: v.optional(vNumber()),
	limit: v.optional(vNumber()),
});
export type GrepArgs = v.InferOutput<typeof grepArgsSchema>;
export interface GrepDetails {
	matchLimitReached?: number;
	truncation?: TruncationResult;
	linesTruncated?: boolean;
}

export interface SearchToolOptions {
	backend?: SearchBackend;
}

/** Output lines for the matches: `path:n: text`, context lines `path-n- text`, each cut to 500 chars. */
async function formatMatches(
	matches: readonly GrepMatch[],
	contextLines: number,
	formatPath: (filePath: string) => string,
): Promise<{ lines: string[]; linesTruncated: boolean }> {
	const cache = new Map<string, string[]>();
	const fileLines = async (filePath: string) => {
		let lines = cache.get(filePath);
		if (!lines) {
			try {
				lines = (await readFile(filePath, "utf-8")).replace(/\r\n/g, "\n").replace(/\r/g, "\n").split("\n");
			} catch {
				lines = [];
			}
			cache.set(filePath, lines);
		}
		return lines;
	};
	let linesTruncated = false;
	const cut = (text: string) => {
		const result = truncateLine(text);
		if (result.wasTruncated) linesTruncated = true;
		return result.text;
	};
	const out: string[] = [];
	for (const match of matches) {
		const shown = formatPath(match.filePath);
		if (contextLines === 0 && match.lineText !== undefined) {
			const text = match.lineText.replace(/\r\n/g, "\n").replace(/\r/g, "").replace(/\n$/, "");
			out.push(`${shown}:${match.lineNumber}: ${cut(text)}`);
			continue;
		}
		const lines = await fileLines(match.filePath);
		if (lines.length === 0) {
			out.push(`${shown}:${match.lineNumber}: (unable to read file)`);
			continue;
		}
		const start = Math.max(1, match.lineNumber - contextLines);
		const end = Math.min(lines.length, match.lineNumber + contextLines);
		for (let n = start; n <= end; n++) {
			const text = cut((lines[n - 1] ?? "").replace(/\r/g, ""));
			out.push(n === match.lineNumber ? `${shown}:${n}: ${text}` : `${shown}-${n}- ${text}`);
		}
	}
	return { lines: out, linesTruncated };
}

export function createGrepTool(
	cwd: string,
	options: SearchToolOptions = {},
): AgentTool<GrepArgs, GrepDetails | undefined> {
	return {
		...GREP_SPEC,
		label: "grep",
		parseArgs: argumentParser(GREP_SPEC.name, GREP_SPEC.parameters, grepArgsSchema),
		async execute(_id, args, signal) {
			if (signal.aborted) throw new Error("Operation aborted");
			const searchPath = resolveToCwd(args.path || ".", cwd);
			let isDirectory: boolean;
			try {
				isDirectory = (await stat(searchPath)).isDirectory();
			} catch {
				throw new Error(`Path not found: ${searchPath}`);
			}
			const contextLines = args.context && args.context > 0 ? args.context : 0;
			const limit = Math.max(1, args.limit ?? GREP_DEFAULT_LIMIT);
			const query = { ...args, searchPath, isDirectory, limit, signal };
			const rg = options.backend === "builtin" ? undefined : findExternalTool("rg");
			const { matches, limitReached } = rg ? await grepWithRipgrep(rg, query) : await grepBuiltin(query);
			if (signal.aborted) throw new Error("Operation aborted");
			if (matches.length === 0) return { content: [{ type: "text", text: "No matches found" }], details: undefined };

			const formatPath = (filePath: string) => {
				if (isDirectory) {
					const rel = relative(searchPath, filePath);
					if (rel && !rel.startsWith("..")) return rel.replace(/\\/g, "/");
				}
				return basename(filePath);
			};
			const { lines, linesTruncated } = await formatMatches(matches, contextLines, formatPath);
			const details: GrepDetails = {};
			const notices: { limit?: string; last?: string } = {};
			if (limitReached) {
				notices.limit = `${limit} matches limit reached. Use limit=${limit * 2} for more, or refine pattern`;
				details.matchLimitReached = limit;
			}
			if (linesTruncated) {
				notices.last = `Some lines truncated to ${GREP_MAX_LINE_LENGTH} chars. Use read tool to see full lines`;
				details.linesTruncated = true;
			}
			return listingResult(lines, details, notices);
		},
	};
}
