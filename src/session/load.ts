/**
 * Reading a session file: malformed lines are skipped with a warning (a crash can leave a half-written last
 * line), old versions are migrated in memory, and the header is validated as pi does.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync } from "node:fs";
import { errorMessage, FileError } from "../util/errors.ts";
import { isSpecialFile } from "../util/special-file.ts";
import { migrateRecords } from "./migrate.ts";
import { isRecord, parseEntry, parseHeader } from "./schema.ts";
import { CURRENT_SESSION_VERSION, type SessionEntry, type SessionHeader } from "./types.ts";

export interface LoadedSession {
	/** undefined: the file is missing, empty, or its first record is not a session header. */
	header: SessionHeader | undefined;
	entries: SessionEntry[];
	warnings: string[];
	/** The version found on disk (before migration). */
	originalVersion: number;
	/** Lines that could not be used (bad JSON or invalid entries). */
	skippedLines: number;
	/** The file's bytes do not end in a newline (a torn last write); the next append must start a new line. */
	endsWithoutNewline: boolean;
	/** The file has non-blank content. */
	hasContent: boolean;
}

const EMPTY: LoadedSession = {
	header: undefined,
	entries: [],
	warnings: [],
	originalVersion: CURRENT_SESSION_VERSION,
	skippedLines: 0,
	endsWithoutNewline: false,
	hasContent: false,
};

export function parseSessionText(text: string, label: string): LoadedSession {
	const warnings: string[] = [];
	const records: Record<string, unknown>[] = [];
	const lineNumbers: number[] = [];
	let skippedLines = 0;
	let lineStart = 0;
	let lineNumber = 0;
	while (lineStart < text.length) {
		let lineEnd = text.indexOf("\n", lineStart);
		if (lineEnd === -1) lineEnd = text.length;
		lineNumber++;
		const line = text.slice(lineStart, lineEnd);
		lineStart = lineEnd + 1;
		if (line.trim() === "") continue;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			skippedLines++;
			warnings.push(`${label}:${lineNumber}: skipped a line that is not valid JSON`);
			continue;
		}
		if (!isRecord(value)) {
			skippedLines++;
			warnings.push(`${label}:${lineNumber}: skipped a line that is not a JSON object`);
			continue;
		}
		records.push(value);
		lineNumbers.push(lineNumber);
	}
	const hasContent = text.trim() !== "";
	const endsWithoutNewline = text.length > 0 && !text.endsWith("\n");
	const header = records[0] ? parseHeader(records[0]) : undefined;
	if (!header) {
		if (hasContent) warnings.push(`${label}: not a session file (the first record is not a session header)`);
		return { ...EMPTY, warnings, skippedLines, endsWithoutNewline, hasContent };
	}
	const originalVersion = migrateRecords(records);
	const migratedHeader = parseHeader(records[0]) ?? header;
	const entries: SessionEntry[] = [];
	for (let i = 1; i < records.length; i++) {
		const record = records[i];
		if (record?.type === "session") {
			skippedLines++;
			warnings.push(`${label}:${lineNumbers[i]}: skipped an extra session header`);
			continue;
		}
		const parsed = parseEntry(record);
		if (parsed.ok) {
			entries.push(parsed.entry);
		} else {
			skippedLines++;
			const type = typeof record?.type === "string" ? record.type : "?";
			warnings.push(`${label}:${lineNumbers[i]}: skipped an invalid "${type}" entry (${parsed.problem})`);
		}
	}
	return { header: migratedHeader, entries, warnings, originalVersion, skippedLines, endsWithoutNewline, hasContent };
}

export function loadSessionFile(path: string): LoadedSession {
	if (!existsSync(path)) return EMPTY;
	if (isSpecialFile(path)) throw new FileError(`Cannot read session file ${path}: it is not a regular file`);
	let text: string;
	try {
		text = readFileSync(path, "utf8");
	} catch (error) {
		throw new FileError(`Cannot read session file ${path}: ${errorMessage(error)}`, { cause: error });
	}
	return parseSessionText(text, path);
}

/** Cheap validity check reading only the start of the file (as pi's isValidSessionFile). */
export function readHeaderOnly(path: string): SessionHeader | undefined {
	// Opening a FIFO blocks until a writer appears: a stray one among the sessions would hang `pi -c`.
	if (isSpecialFile(path)) return undefined;
	let fd: number | undefined;
	try {
		fd = openSync(path, "r");
		const buffer = Buffer.alloc(4096);
		const read = readSync(fd, buffer, 0, buffer.length, 0);
		const firstLine = buffer.toString("utf8", 0, read).split("\n")[0];
		if (!firstLine) return undefined;
		return parseHeader(JSON.parse(firstLine));
	} catch {
		return undefined;
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}
