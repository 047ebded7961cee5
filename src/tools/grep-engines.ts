/**
 * The two ways grep searches: ripgrep (pi's flags, JSON output) or a built-in search over the .gitignore-aware
 * walk. Both report the same stream of lines — matches and their context, each line once and in file order, as
 * rg's --context does — to a consumer that says when it has enough.
 */
import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { resolve as resolvePath } from "node:path";
import { createInterface } from "node:readline";
import * as v from "valibot";
import { errorMessage } from "../util/errors.ts";
import { lazySchema } from "../util/lazy-schema.ts";
import { walkTree } from "./file-walker.ts";
import { parseIgnoreLine } from "./gitignore.ts";

/** A matching line or a line of context around one. */
export interface GrepLine {
	filePath: string;
	lineNumber: number;
	/** The line as read, possibly with its line terminator. */
	text: string;
	isMatch: boolean;
}

export interface GrepQuery {
	pattern: string;
	searchPath: string;
	isDirectory: boolean;
	glob?: string;
	ignoreCase?: boolean;
	literal?: boolean;
	/** Lines of context before and after each match. */
	context: number;
	signal: AbortSignal;
	/** Receives the lines in order; returns true to stop the search. */
	onLine: (line: GrepLine) => boolean;
}

/** rg never matches a leading "./" ("./src/*.ts" finds nothing): pi 1.6.0 drops it, keeping a leading "!". */
export function normalizeGlob(glob: string): string {
	return glob.replace(/^(!?)(?:\.\/)+/, "$1");
}

/** rg reports text that is not UTF-8 as base64 `bytes`. */
const rgTextSchema = () => v.union([v.object({ text: v.string() }), v.object({ bytes: v.string() })]);
const rgLineEvent = lazySchema(() => {
	const rgText = rgTextSchema();
	return v.object({
		type: v.picklist(["match", "context"]),
		data: v.object({ path: rgText, line_number: v.number(), lines: v.optional(rgText) }),
	});
});

function decodeRgText(value: v.InferOutput<ReturnType<typeof rgTextSchema>> | undefined): string {
	if (!value) return "";
	return "text" in value ? value.text : Buffer.from(value.bytes, "base64").toString("utf-8");
}

export function grepWithRipgrep(rgPath: string, query: GrepQuery): Promise<void> {
	return new Promise((resolve, reject) => {
		// --no-config: the tool's behaviour must not depend on RIPGREP_CONFIG_PATH (pi 1.6.0).
		const args = ["--no-config", "--json", "--line-number", "--color=never", "--hidden"];
		if (query.ignoreCase) args.push("--ignore-case");
		if (query.literal) args.push("--fixed-strings");
		if (query.glob) args.push("--glob", normalizeGlob(query.glob));
		if (query.context > 0) args.push("--context", String(Math.min(query.context, Number.MAX_SAFE_INTEGER)));
		// rg roots --glob at its working folder: a folder search runs inside it and searches "." (pi 1.6.0).
		args.push("--", query.pattern, query.isDirectory ? "." : query.searchPath);
		const child = spawn(rgPath, args, {
			cwd: query.isDirectory ? query.searchPath : undefined,
			stdio: ["ignore", "pipe", "pipe"],
		});
		const lines = createInterface({ input: child.stdout });
		let stderr = "";
		let stopped = false;
		const onAbort = () => child.kill();
		query.signal.addEventListener("abort", onAbort, { once: true });
		child.stderr.on("data", (chunk: Buffer) => {
			stderr += chunk.toString();
		});
		lines.on("line", (line) => {
			if (stopped || !line.trim()) return;
			let json: unknown;
			try {
				json = JSON.parse(line);
			} catch {
				return;
			}
			const event = v.safeParse(rgLineEvent, json);
			if (!event.success) return;
			const { data, type } = event.output;
			const relativeOrAbsolute = decodeRgText(data.path);
			const filePath = query.isDirectory ? resolvePath(query.searchPath, relativeOrAbsolute) : relativeOrAbsolute;
			const text = decodeRgText(data.lines);
			if (query.onLine({ filePath, lineNumber: data.line_number, text, isMatch: type === "match" })) {
				stopped = true;
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
			else if (!stopped && code !== 0 && code !== 1)
				reject(new Error(stderr.trim() || `ripgrep exited with code ${code}`));
			else resolve();
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

export async function grepBuiltin(query: GrepQuery): Promise<void> {
	const regex = compilePattern(query);
	const load = async (filePath: string): Promise<Uint8Array | undefined> => {
		try {
			return await readFile(filePath);
		} catch {
			return undefined;
		}
	};
	/** Report one file's matches with their merged context; true when the consumer has enough. */
	const scan = (filePath: string, bytes: Uint8Array | undefined, skipBinary: boolean): boolean => {
		if (!bytes || (skipBinary && looksBinary(bytes))) return false;
		const lines = Buffer.from(bytes).toString("utf-8").split("\n");
		if (lines.at(-1) === "") lines.pop();
		let shownUpTo = 0;
		for (let i = 0; i < lines.length; i++) {
			if (!regex.test(lines[i] ?? "")) continue;
			const from = Math.max(shownUpTo, i - query.context);
			for (let n = from; n < i; n++) {
				if (query.onLine({ filePath, lineNumber: n + 1, text: lines[n] ?? "", isMatch: false })) return true;
			}
			if (query.onLine({ filePath, lineNumber: i + 1, text: lines[i] ?? "", isMatch: true })) return true;
			shownUpTo = i + 1;
			// Context after: lines up to the window's end that do not match (a match starts its own window).
			const end = Math.min(lines.length, i + 1 + query.context);
			for (let n = i + 1; n < end && !regex.test(lines[n] ?? ""); n++) {
				if (query.onLine({ filePath, lineNumber: n + 1, text: lines[n] ?? "", isMatch: false })) return true;
				shownUpTo = n + 1;
			}
		}
		return false;
	};

	if (!query.isDirectory) {
		scan(query.searchPath, await load(query.searchPath), false);
		return;
	}
	const files: { path: string; absolutePath: string }[] = [];
	const accept = globFilter(query.glob === undefined ? undefined : normalizeGlob(query.glob));
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
			if (file && scan(file.absolutePath, contents[i], true)) return;
		}
	}
}
