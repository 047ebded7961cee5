/**
 * The two ways grep finds matches: ripgrep (pi's flags, JSON output) or a built-in search over the
 * .gitignore-aware walk. Both return the same list of matches in the same shape, stopping at `limit`.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import * as v from "valibot";
import { errorMessage } from "../util/errors.ts";
import { walkTree } from "./file-walker.ts";
import { parseIgnoreLine } from "./gitignore.ts";

export interface GrepMatch {
	filePath: string;
	lineNumber: number;
	/** The matching line without its newline (undefined when the engine did not report it). */
	lineText: string | undefined;
}

export interface GrepQuery {
	pattern: string;
	searchPath: string;
	isDirectory: boolean;
	glob?: string;
	ignoreCase?: boolean;
	literal?: boolean;
	limit: number;
	signal: AbortSignal;
}

export interface GrepEngineResult {
	matches: GrepMatch[];
	limitReached: boolean;
}

const rgMatchEvent = v.object({
	type: v.literal("match"),
	data: v.object({
		path: v.object({ text: v.string() }),
		line_number: v.number(),
		lines: v.optional(v.object({ text: v.optional(v.string()) })),
	}),
});

export function grepWithRipgrep(rgPath: string, query: GrepQuery): Promise<GrepEngineResult> {
	return new Promise((resolve, reject) => {
		const args = ["--json", "--line-number", "--color=never", "--hidden"];
		if (query.ignoreCase) args.push("--ignore-case");
		if (query.literal) args.push("--fixed-strings");
		if (query.glob) args.push("--glob", query.glob);
		args.push("--", query.pattern, query.searchPath);
		const child = spawn(rgPath, args, { stdio: ["ignore", "pipe", "pipe"] });
		const lines = createInterface({ input: child.stdout });
		const matches: GrepMatch[] = [];
		let stderr = "";
		let limitReached = false;
		const onAbort = () => child.kill();
		query.signal.addEventListener("abort", onAbort, { once: true });
		child.stderr.on("data", (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		lines.on("line", (line) => {
			if (limitReached || !line.trim()) return;
			let json: unknown;
			try {
				json = JSON.parse(line);
			} catch {
				return;
			}
			const event = v.safeParse(rgMatchEvent, json);
			if (!event.success) return;
			const { data } = event.output;
			matches.push({ filePath: data.path.text, lineNumber: data.line_number, lineText: data.lines?.text });
			if (matches.length >= query.limit) {
				limitReached = true;
				child.kill();
			}
		});
		child.on("error", (error) => {
			query.signal.removeEventListener("abort", onAbort);
			reject(new Error(`Failed to run ripgrep: ${error.message}`));
		});
		child.on("close", (code) => {
			lines.close();
			query.signal.removeEventListener("abort", onAbort);
			if (query.signal.aborted) reject(new Error("Operation aborted"));
			else if (!limitReached && code !== 0 && code !== 1) {
				reject(new Error(stderr.trim() || `ripgrep exited with code ${code}`));
			} else resolve({ matches, limitReached });
		});
	});
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function compilePattern(query: GrepQuery): RegExp {
	const source = query.literal ? escapeRegExp(query.pattern) : query.pattern;
	try {
		return new RegExp(source, query.ignoreCase ? "iu" : "u");
	} catch {
		try {
			return new RegExp(source, query.ignoreCase ? "i" : "");
		} catch (error) {
			throw new Error(`regex parse error: ${errorMessage(error)}`);
		}
	}
}

/** rg's --glob: gitignore-style, matched against the path relative to the search folder; `!` excludes. */
function globFilter(glob: string | undefined): (relativePath: string) => boolean {
	if (!glob) return () => true;
	const rule = parseIgnoreLine(glob);
	if (!rule) return () => true;
	return (relativePath) => rule.regex.test(relativePath) !== rule.negated;
}

/** Like rg, files with a NUL byte near the start are binary and skipped when searching a folder. */
function looksBinary(bytes: Uint8Array): boolean {
	return bytes.subarray(0, 8192).includes(0);
}

const READ_BATCH = 64;

export async function grepBuiltin(query: GrepQuery): Promise<GrepEngineResult> {
	const regex = compilePattern(query);
	const matches: GrepMatch[] = [];
	const load = async (filePath: string): Promise<Uint8Array | undefined> => {
		try {
			return await readFile(filePath);
		} catch {
			return undefined;
		}
	};
	/** Scan one file's content; true when the match limit is reached. */
	const scan = (filePath: string, bytes: Uint8Array | undefined, skipBinary: boolean): boolean => {
		if (!bytes || (skipBinary && looksBinary(bytes))) return false;
		const lines = Buffer.from(bytes).toString("utf-8").split("\n");
		if (lines.at(-1) === "") lines.pop();
		for (let i = 0; i < lines.length; i++) {
			const line = lines[i] ?? "";
			if (!regex.test(line)) continue;
			matches.push({ filePath, lineNumber: i + 1, lineText: line });
			if (matches.length >= query.limit) return true;
		}
		return false;
	};

	if (!query.isDirectory) {
		const limitReached = scan(query.searchPath, await load(query.searchPath), false);
		return { matches, limitReached };
	}
	const files: { path: string; absolutePath: string }[] = [];
	const accept = globFilter(query.glob);
	await walkTree(query.searchPath, {
		signal: query.signal,
		visit: (entry) => {
			if (entry.kind === "file" && accept(entry.path)) files.push(entry);
			return false;
		},
	});
	// Read a batch of files concurrently (I/O bound), scan them in walk order so results stay stable.
	for (let start = 0; start < files.length; start += READ_BATCH) {
		if (query.signal.aborted) throw new Error("Operation aborted");
		const batch = files.slice(start, start + READ_BATCH);
		const contents = await Promise.all(batch.map((file) => load(file.absolutePath)));
		for (let i = 0; i < batch.length; i++) {
			const file = batch[i];
			if (file && scan(file.absolutePath, contents[i], true)) return { matches, limitReached: true };
		}
	}
	return { matches, limitReached: false };
}
