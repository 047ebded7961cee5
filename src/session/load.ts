/**
 * Reading a session file: malformed lines are skipped with a warning (a crash can leave a half-written last
 * line), old versions are migrated in memory, and the header is validated as pi does.
 */
import { closeSync, existsSync, openSync, readSync } from "node:fs";
import { errorMessage, FileError } from "../util/errors.ts";
import { isSpecialFile } from "../util/special-file.ts";
import { fileVersion, migrateRecords } from "./migrate.ts";
import { isRecord, parseEntry, parseHeader } from "./schema.ts";
import { CURRENT_SESSION_VERSION, type SessionEntry, type SessionHeader } from "./types.ts";
import { describeUnknown, unknownEntry } from "./unknown-entry.ts";

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

/**
 * `parsed` (validated, in the schema's key order) with the keys in the order the file had them: a file written by
 * pi, or migrated in place as pi migrates it (`version`, `id`, `parentId` appended), is written back byte for byte.
 */
function inRecordOrder<T extends object>(parsed: T, record: Record<string, unknown>): T {
	const ordered = Object.keys(record).filter((key) => key in parsed);
	const rest = Object.keys(parsed).filter((key) => !(key in record));
	const out = {} as T;
	for (const key of [...ordered, ...rest]) Reflect.set(out, key, Reflect.get(parsed, key));
	return out;
}

/** Lines of a session text, with their 1-based numbers. */
function* textLines(text: string): Generator<[string, number]> {
	let lineStart = 0;
	let lineNumber = 0;
	while (lineStart < text.length) {
		let lineEnd = text.indexOf("\n", lineStart);
		if (lineEnd === -1) lineEnd = text.length;
		lineNumber++;
		yield [text.slice(lineStart, lineEnd), lineNumber];
		lineStart = lineEnd + 1;
	}
}

/** How much of a session file is read at a time: the file is never held whole in memory. */
const READ_CHUNK_BYTES = 1024 * 1024;

/**
 * Lines of a session file, read a megabyte at a time and decoded one line at a time: a 10M-token session is never
 * one giant string (plus its copy as parsed objects) in memory, only the parsed entries are. `tail` reports how the
 * file ends, once it has been read.
 */
export function* fileLines(
	fd: number,
	tail: { endsWithNewline: boolean; empty: boolean },
): Generator<[string, number]> {
	const decoder = new TextDecoder();
	const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
	let carry: Buffer[] = [];
	let lineNumber = 0;
	let lastByte = -1;
	for (;;) {
		const read = readSync(fd, chunk, 0, chunk.length, null);
		if (read === 0) break;
		lastByte = chunk[read - 1] ?? -1;
		let start = 0;
		for (let newline = chunk.indexOf(10, start); newline !== -1 && newline < read; newline = chunk.indexOf(10, start)) {
			const piece = chunk.subarray(start, newline);
			const bytes = carry.length > 0 ? Buffer.concat([...carry, piece]) : piece;
			carry = [];
			lineNumber++;
			yield [decoder.decode(bytes), lineNumber];
			start = newline + 1;
		}
		// The rest of this chunk starts a line that continues in the next one (copied: the buffer is reused).
		if (start < read) carry.push(Buffer.from(chunk.subarray(start, read)));
	}
	if (carry.length > 0) {
		lineNumber++;
		yield [decoder.decode(Buffer.concat(carry)), lineNumber];
	}
	tail.endsWithNewline = lastByte === 10;
	tail.empty = lastByte === -1;
}

/**
 * Parses session lines. A current (v3) file is validated entry by entry as it is read; an older one is collected
 * first, because migrating it links entries across the whole file.
 */
function parseLines(lines: Iterable<[string, number]>, label: string): Omit<LoadedSession, "endsWithoutNewline"> {
	const warnings: string[] = [];
	let skippedLines = 0;
	let hasContent = false;
	let header: SessionHeader | undefined;
	let version = CURRENT_SESSION_VERSION;
	let sawFirstRecord = false;
	/** Older versions only: every record, migrated once all are read. */
	let pending: { record: Record<string, unknown>; lineNumber: number }[] | undefined;
	const entries: SessionEntry[] = [];
	/**
	 * Skipped entries that had an id: their children hang on the skipped entry's parent instead, so one unreadable
	 * line (a newer pi's message kind, a hand edit) does not cut the conversation before it out of the context.
	 */
	const bridges = new Map<string, string | null>();
	/** Kinds of entry a newer pi wrote, kept in the tree (UnknownEntry) and reported once. */
	const unknownKinds = new Set<string>();
	const bridged = (parentId: string | null): string | null => {
		let current = parentId;
		for (let hops = 0; current !== null && bridges.has(current) && hops <= bridges.size; hops++) {
			current = bridges.get(current) ?? null;
		}
		return current;
	};
	const addEntry = (record: Record<string, unknown>, lineNumber: number) => {
		if (record.type === "session") {
			skippedLines++;
			warnings.push(`${label}:${lineNumber}: skipped an extra session header`);
			return;
		}
		const parsed = parseEntry(record);
		const entry = parsed.ok ? inRecordOrder(parsed.entry, record) : unknownEntry(record);
		if (entry) {
			if (entry.type === "unknown") unknownKinds.add(describeUnknown(entry));
			const parentId = bridged(entry.parentId);
			entries.push(parentId === entry.parentId ? entry : { ...entry, parentId });
		} else if (!parsed.ok) {
			if (typeof record.id === "string" && (typeof record.parentId === "string" || record.parentId === null)) {
				bridges.set(record.id, record.parentId);
			}
			skippedLines++;
			const type = typeof record.type === "string" ? record.type : "?";
			warnings.push(`${label}:${lineNumber}: skipped an invalid "${type}" entry (${parsed.problem})`);
		}
	};
	for (const [line, lineNumber] of lines) {
		if (line.trim() === "") continue;
		hasContent = true;
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
		if (!sawFirstRecord) {
			sawFirstRecord = true;
			header = parseHeader(value);
			if (!header) continue;
			version = fileVersion(value);
			if (version < CURRENT_SESSION_VERSION) pending = [{ record: value, lineNumber }];
			continue;
		}
		if (!header) continue;
		if (pending) pending.push({ record: value, lineNumber });
		else addEntry(value, lineNumber);
	}
	if (!header) {
		if (hasContent) warnings.push(`${label}: not a session file (the first record is not a session header)`);
		return { ...EMPTY, warnings, skippedLines, hasContent };
	}
	if (pending) {
		const records = pending.map((item) => item.record);
		migrateRecords(records);
		const first = records[0] ?? {};
		header = inRecordOrder(parseHeader(first) ?? header, first);
		for (const item of pending.slice(1)) addEntry(item.record, item.lineNumber);
	}
	if (unknownKinds.size > 0) {
		const kinds = [...unknownKinds].join(", ");
		warnings.push(
			`${label}: kept entries of a kind this version does not know (${kinds}, from a newer pi?); they are not sent to the model`,
		);
	}
	return { header, entries, warnings, originalVersion: version, skippedLines, hasContent };
}

export function parseSessionText(text: string, label: string): LoadedSession {
	const endsWithoutNewline = text.length > 0 && !text.endsWith("\n");
	return { ...parseLines(textLines(text), label), endsWithoutNewline };
}

export function loadSessionFile(path: string): LoadedSession {
	if (!existsSync(path)) return EMPTY;
	if (isSpecialFile(path)) throw new FileError(`Cannot read session file ${path}: it is not a regular file`);
	let fd: number;
	try {
		fd = openSync(path, "r");
	} catch (error) {
		throw new FileError(`Cannot read session file ${path}: ${errorMessage(error)}`, { cause: error });
	}
	try {
		const tail = { endsWithNewline: false, empty: true };
		const loaded = parseLines(fileLines(fd, tail), path);
		return { ...loaded, endsWithoutNewline: !tail.empty && !tail.endsWithNewline };
	} catch (error) {
		if (error instanceof FileError) throw error;
		throw new FileError(`Cannot read session file ${path}: ${errorMessage(error)}`, { cause: error });
	} finally {
		closeSync(fd);
	}
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
