/**
 * Durable writes of one session file. The first flush creates the file atomically with the header and every
 * pending entry; later entries are appended one whole line per write, so a crash can only tear the last line.
 */
import { appendFileSync, copyFileSync, existsSync } from "node:fs";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import type { SessionEntry, SessionHeader } from "./types.ts";
import { storedEntry } from "./unknown-entry.ts";

function serializeLines(header: SessionHeader, entries: readonly SessionEntry[]): string {
	let text = `${JSON.stringify(header)}\n`;
	for (const entry of entries) text += `${JSON.stringify(storedEntry(entry))}\n`;
	return text;
}

export class SessionFileWriter {
	/** Entries (not counting the header) already on disk. */
	private written: number;
	private created: boolean;
	/** A torn last line exists: the next append starts with a newline so our line stays whole. */
	private needsNewline: boolean;

	constructor(
		readonly path: string,
		/** Default: a file not written yet. */
		state: { created: boolean; written: number; needsNewline?: boolean } = { created: false, written: 0 },
	) {
		this.created = state.created;
		this.written = state.written;
		this.needsNewline = state.needsNewline ?? false;
	}

	get isCreated(): boolean {
		return this.created;
	}

	/** Writes whatever of `entries` is not on disk yet. */
	flush(header: SessionHeader, entries: readonly SessionEntry[]): void {
		if (!this.created) {
			this.rewrite(header, entries);
			return;
		}
		for (; this.written < entries.length; this.written++) {
			const entry = entries[this.written];
			if (!entry) continue;
			const prefix = this.needsNewline ? "\n" : "";
			try {
				appendFileSync(this.path, `${prefix}${JSON.stringify(storedEntry(entry))}\n`);
			} catch (error) {
				// Part of the line may have reached the disk: the retry must start on a line of its own.
				this.needsNewline = true;
				throw error;
			}
			this.needsNewline = false;
		}
	}

	/** Replaces the whole file (migration, invalid file): atomic, so readers see old or new, never half. */
	rewrite(header: SessionHeader, entries: readonly SessionEntry[]): void {
		writeFileAtomicSync(this.path, serializeLines(header, entries));
		this.created = true;
		this.written = entries.length;
		this.needsNewline = false;
	}
}

/** Copies a file we are about to replace, so replacing it never destroys anything. Returns the backup path. */
export function backupFile(path: string, reason: string): string | undefined {
	if (!existsSync(path)) return undefined;
	const backup = `${path}.${reason}-${new Date().toISOString().replace(/[:.]/g, "-")}.bak`;
	copyFileSync(path, backup);
	return backup;
}
