/**
 * `--fork <session>` (forkFrom): the new session file is the source's lines under a new header, copied as pi 1.6.0
 * copies them. Every line that is JSON is written back as JSON.stringify of what it parses to (byte for byte what
 * pi writes: pi's own lines unchanged), whether or not we understand it, so a newer pi's entries survive the fork;
 * lines that are not JSON and extra session headers are left out, as pi leaves them out.
 * Where we differ from pi on purpose: an older (v1/v2) source is migrated before it is copied (pi copies it
 * unmigrated under a version 3 header, which leaves a fork without entry ids), the source file is only read (pi
 * appends a newline to a torn last line), and the new file appears whole (temp file + rename).
 */
import { closeSync, existsSync, openSync } from "node:fs";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { errorMessage, FileError, PiError } from "../util/errors.ts";
import { fileLines } from "./load.ts";
import { fileVersion, migrateRecords } from "./migrate.ts";
import { isRecord, parseHeader } from "./schema.ts";
import { CURRENT_SESSION_VERSION, type SessionHeader } from "./types.ts";

/** The values of a session file's lines that pi keeps (valid JSON, not null/false/0/""), in file order. */
function* sourceValues(source: string): Generator<unknown> {
	let fd: number;
	try {
		fd = openSync(source, "r");
	} catch (error) {
		throw new FileError(`Cannot read session file ${source}: ${errorMessage(error)}`, { cause: error });
	}
	try {
		for (const [line] of fileLines(fd, { endsWithNewline: false, empty: true })) {
			if (line.trim() === "") continue;
			let value: unknown;
			try {
				value = JSON.parse(line);
			} catch {
				continue;
			}
			if (value) yield value;
		}
	} finally {
		closeSync(fd);
	}
}

/** Writes the fork of `source` to `target` under `header`. Throws a PiError when the source is not a session. */
export function writeForkedSession(source: string, target: string, header: SessionHeader): void {
	const invalid = () => new PiError(`Cannot fork: source session file is empty or invalid: ${source}`);
	if (!existsSync(source)) throw invalid();
	const values = sourceValues(source);
	const first = values.next();
	if (first.done || !isRecord(first.value) || !parseHeader(first.value)) throw invalid();
	let rest: Iterable<unknown> = values;
	if (fileVersion(first.value) < CURRENT_SESSION_VERSION) {
		// Migration links entries across the file: it needs every record first (lines that are not objects stay out).
		const records = [first.value, ...[...values].filter(isRecord)];
		migrateRecords(records);
		rest = records.slice(1);
	}
	const lines = [JSON.stringify(header)];
	for (const value of rest) {
		if (isRecord(value) && value.type === "session") continue;
		lines.push(JSON.stringify(value));
	}
	writeFileAtomicSync(target, `${lines.join("\n")}\n`);
}
