/**
 * Collects a command's streamed output with bounded memory: a decoded tail big enough for tail truncation,
 * exact totals (bytes, lines), and — once the output outgrows the limits — a temp file holding all of it
 * (`<tmpdir>/pi-bash-<16 hex>.log`, pi's naming) so nothing is lost.
 */
import { closeSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	DEFAULT_MAX_BYTES,
	DEFAULT_MAX_LINES,
	lastBytesOf,
	type TruncationResult,
	truncateTail,
	utf8Length,
} from "./truncate.ts";

export interface OutputSnapshot {
	content: string;
	truncation: TruncationResult;
	fullOutputPath: string | undefined;
}

export interface OutputAccumulatorOptions {
	maxLines?: number;
	maxBytes?: number;
	tempFilePrefix?: string;
	/** Rewrites decoded text before it is kept (the `!cmd` executor strips ANSI and control characters). */
	transform?: (text: string) => string;
}

export class OutputAccumulator {
	private readonly maxLines: number;
	private readonly maxBytes: number;
	private readonly keepBytes: number;
	private readonly prefix: string;
	private readonly transform: ((text: string) => string) | undefined;
	private readonly decoder = new TextDecoder();
	/** What goes to the temp file before it exists: raw bytes, or transformed text when transforming. */
	private pending: (Uint8Array | string)[] = [];
	private tail = "";
	private tailBytes = 0;
	private tailStartsAtLineStart = true;
	private rawBytes = 0;
	private decodedBytes = 0;
	/** Finished lines; the unfinished last one (text after the last newline) counts too (pi 1.6.0). */
	private completedLines = 0;
	private hasOpenLine = false;
	private currentLineBytes = 0;
	private fd: number | undefined;
	private path: string | undefined;
	private finished = false;
	/** The temp file could not be written: output beyond the tail is not kept. */
	private spillFailed = false;

	constructor(options: OutputAccumulatorOptions = {}) {
		this.maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
		this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
		this.keepBytes = Math.max(this.maxBytes * 2, 1);
		this.prefix = options.tempFilePrefix ?? "pi-bash";
		this.transform = options.transform;
	}

	/** Add a chunk; returns the text it contributed (after decoding and transforming). */
	append(chunk: Uint8Array): string {
		if (this.finished) throw new Error("Cannot append to a finished output accumulator");
		this.rawBytes += chunk.length;
		const text = this.addText(this.decoder.decode(chunk, { stream: true }));
		const spill: Uint8Array | string = this.transform ? text : chunk;
		if (this.fd !== undefined || this.overLimits()) {
			this.ensureTempFile();
			this.writeToFile(spill);
		} else if (!this.spillFailed) {
			this.pending.push(spill);
		}
		return text;
	}

	finish(): string {
		if (this.finished) return "";
		this.finished = true;
		const text = this.addText(this.decoder.decode());
		if (this.transform && text && (this.fd !== undefined || this.overLimits())) {
			this.ensureTempFile();
			this.writeToFile(text);
		} else if (this.transform && text) {
			this.pending.push(text);
		}
		if (this.overLimits()) this.ensureTempFile();
		return text;
	}

	snapshot(): OutputSnapshot {
		const tail = truncateTail(this.visibleTail(), { maxLines: this.maxLines, maxBytes: this.maxBytes });
		const truncated = this.lineCount() > this.maxLines || this.decodedBytes > this.maxBytes;
		const truncatedBy = truncated
			? (tail.truncatedBy ?? (this.decodedBytes > this.maxBytes ? "bytes" : "lines"))
			: null;
		if (truncated) this.ensureTempFile();
		return {
			content: tail.content,
			truncation: {
				...tail,
				truncated,
				truncatedBy,
				totalLines: this.lineCount(),
				totalBytes: this.decodedBytes,
				maxLines: this.maxLines,
				maxBytes: this.maxBytes,
			},
			fullOutputPath: this.path,
		};
	}

	private lineCount(): number {
		return this.completedLines + (this.hasOpenLine ? 1 : 0);
	}

	/** Bytes of the last (possibly unfinished) line, for the "line is N KB" notice. */
	lastLineBytes(): number {
		return this.currentLineBytes;
	}

	close(): void {
		if (this.fd === undefined) return;
		closeSync(this.fd);
		this.fd = undefined;
	}

	private addText(raw: string): string {
		const text = this.transform ? this.transform(raw) : raw;
		if (text.length === 0) return text;
		const bytes = utf8Length(text);
		this.decodedBytes += bytes;
		this.tail += text;
		this.tailBytes += bytes;
		if (this.tailBytes > this.keepBytes * 2) this.trimTail();
		const lastNewline = text.lastIndexOf("\n");
		if (lastNewline === -1) {
			this.currentLineBytes += bytes;
			this.hasOpenLine = true;
		} else {
			let newlines = 0;
			for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) newlines++;
			this.completedLines += newlines;
			this.currentLineBytes = utf8Length(text.slice(lastNewline + 1));
			this.hasOpenLine = lastNewline < text.length - 1;
		}
		return text;
	}

	private trimTail(): void {
		const kept = lastBytesOf(this.tail, this.keepBytes);
		const cut = this.tail.slice(0, this.tail.length - kept.length);
		if (cut.length > 0) this.tailStartsAtLineStart = cut.endsWith("\n");
		this.tail = kept;
		this.tailBytes = utf8Length(kept);
	}

	/** The kept tail without a leading partial line (unless the tail is all one line). */
	private visibleTail(): string {
		if (this.tailStartsAtLineStart) return this.tail;
		const newline = this.tail.indexOf("\n");
		// Dropping the clipped first line leaves nothing when the tail is the end of one over-long line: show that.
		return (newline === -1 ? this.tail : this.tail.slice(newline + 1)) || this.tail;
	}

	private overLimits(): boolean {
		return this.rawBytes > this.maxBytes || this.decodedBytes > this.maxBytes || this.lineCount() > this.maxLines;
	}

	private ensureTempFile(): void {
		if (this.path !== undefined || this.spillFailed) return;
		const path = join(
			tmpdir(),
			`${this.prefix}-${Buffer.from(crypto.getRandomValues(new Uint8Array(8))).toString("hex")}.log`,
		);
		try {
			this.fd = openSync(path, "w", 0o600);
		} catch {
			this.abandonTempFile();
			return;
		}
		this.path = path;
		for (const piece of this.pending) this.writeToFile(piece);
		this.pending = [];
	}

	private writeToFile(piece: Uint8Array | string): void {
		if (this.fd === undefined) return;
		const bytes = typeof piece === "string" ? Buffer.from(piece, "utf8") : piece;
		try {
			// writeSync may take less than all of it (a nearly full disk); the rest is retried until it fails.
			for (let offset = 0; offset < bytes.length; ) offset += writeSync(this.fd, bytes, offset, bytes.length - offset);
		} catch {
			this.abandonTempFile();
		}
	}

	/**
	 * The temp file cannot be created or written (full or read-only /tmp). This runs inside the output stream's
	 * data handler, where a throw would crash pi or hang the tool: the command goes on with the in-memory tail
	 * only, and the incomplete file is deleted, both so that nobody is pointed at partial output and to give
	 * the disk space back to the session file.
	 */
	private abandonTempFile(): void {
		this.spillFailed = true;
		this.pending = [];
		if (this.fd !== undefined) {
			try {
				closeSync(this.fd);
			} catch {
				// Already unusable.
			}
		}
		this.fd = undefined;
		if (this.path !== undefined) rmSync(this.path, { force: true });
		this.path = undefined;
	}
}
