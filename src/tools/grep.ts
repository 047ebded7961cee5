/** The `grep` tool (pi-spec §6.6): regex or literal search honouring .gitignore, via rg or built in. */
import { stat } from "node:fs/promises";
import { basename, relative } from "node:path";
import * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import { lazySchema } from "../util/lazy-schema.ts";
import { findExternalTool, type SearchBackend } from "./external-tools.ts";
import { type GrepLine, grepBuiltin, grepWithRipgrep } from "./grep-engines.ts";
import { listingResult } from "./listing-result.ts";
import { resolveToCwd } from "./path-utils.ts";
import { GREP_DEFAULT_LIMIT, GREP_SPEC } from "./schemas.ts";
import { argumentParser, vBoolean, vNumber, vObject, vString } from "./tool-args.ts";
import {
	DEFAULT_MAX_BYTES,
	GREP_MAX_LINE_LENGTH,
	type TruncationResult,
	truncateLine,
	utf8Length,
} from "./truncate.ts";

const grepArgsSchema = lazySchema(() =>
	vObject({
		pattern: vString(),
		path: v.optional(vString()),
		glob: v.optional(vString()),
		ignoreCase: v.optional(vBoolean()),
		literal: v.optional(vBoolean()),
		context: v.optional(vNumber()),
		limit: v.optional(vNumber()),
	}),
);
export type GrepArgs = v.InferOutput<typeof grepArgsSchema>;
export interface GrepDetails {
	matchLimitReached?: number;
	truncation?: TruncationResult;
	linesTruncated?: boolean;
}

export interface SearchToolOptions {
	backend?: SearchBackend;
}

/**
 * pi 1.6.0's output of the line stream: `path:n: text` for matches, `path-n- text` for context, each cut to 500
 * characters. It stops after the limit-th match and its trailing context (a match inside that context is shown as
 * context); only one more match proves the limit cut results off. Lines past the byte cap are counted, not kept.
 */
class GrepOutput {
	readonly lines: string[] = [];
	matchCount = 0;
	matchLimitReached = false;
	linesTruncated = false;
	/** Size of the whole output, a newline counted after each line, and its line count. */
	outputBytes = 0;
	outputLineCount = 0;
	private limitHit = false;
	private trailingContextEnd = 0;
	private lastFile: string | undefined;

	constructor(
		private readonly limit: number,
		private readonly context: number,
		private readonly formatPath: (filePath: string) => string,
	) {}

	/** True when nothing more is wanted. */
	add(line: GrepLine): boolean {
		if (!this.limitHit) {
			this.push(line, line.isMatch);
			if (!line.isMatch) return false;
			this.matchCount++;
			if (this.matchCount >= this.limit) {
				this.limitHit = true;
				this.trailingContextEnd = line.lineNumber + this.context;
			}
			return false;
		}
		const inWindow = line.filePath === this.lastFile && line.lineNumber <= this.trailingContextEnd;
		if (inWindow) this.push(line, false);
		if (line.isMatch) this.matchLimitReached = true;
		return this.matchLimitReached && !(inWindow && line.lineNumber < this.trailingContextEnd);
	}

	private push(line: GrepLine, asMatch: boolean): void {
		this.lastFile = line.filePath;
		const shown = this.formatPath(line.filePath);
		// Only the line terminator goes: a lone CR inside a line is content, as in the read tool.
		const cut = truncateLine(line.text.replace(/\r?\n?$/, ""));
		if (cut.wasTruncated) this.linesTruncated = true;
		const text = asMatch ? `${shown}:${line.lineNumber}: ${cut.text}` : `${shown}-${line.lineNumber}- ${cut.text}`;
		if (this.outputBytes - 1 <= DEFAULT_MAX_BYTES) this.lines.push(text);
		this.outputBytes += utf8Length(text) + 1;
		this.outputLineCount++;
	}
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
			const context = args.context && args.context > 0 ? Math.floor(args.context) : 0;
			const limit = Math.max(1, Math.floor(args.limit ?? GREP_DEFAULT_LIMIT));
			const formatPath = (filePath: string) => {
				if (isDirectory) {
					const rel = relative(searchPath, filePath);
					if (rel && !rel.startsWith("..")) return rel.replace(/\\/g, "/");
				}
				return basename(filePath);
			};
			const output = new GrepOutput(limit, context, formatPath);
			const query = { ...args, context, searchPath, isDirectory, signal, onLine: (line: GrepLine) => output.add(line) };
			const rg = options.backend === "builtin" ? undefined : findExternalTool("rg");
			await (rg ? grepWithRipgrep(rg, query) : grepBuiltin(query));
			if (signal.aborted) throw new Error("Operation aborted");
			if (output.matchCount === 0) {
				return { content: [{ type: "text", text: "No matches found" }], details: undefined };
			}
			const details: GrepDetails = {};
			const notices: { limit?: string; last?: string } = {};
			if (output.matchLimitReached) {
				notices.limit = `${limit} matches limit reached. Use limit=${limit * 2} for more, or refine pattern`;
				details.matchLimitReached = limit;
			}
			if (output.linesTruncated) {
				notices.last = `Some lines truncated to ${GREP_MAX_LINE_LENGTH} chars. Use read tool to see full lines`;
				details.linesTruncated = true;
			}
			return listingResult(output.lines, details, notices, {
				totalLines: output.outputLineCount,
				totalBytes: output.outputBytes - 1,
			});
		},
	};
}
