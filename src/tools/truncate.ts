/**
 * Output truncation shared by the tools (pi-spec §6.1). Two independent limits, whichever is hit first wins:
 * a line count and a UTF-8 byte count. The result object is persisted as `details.truncation`, so its fields
 * and their meaning match pi's exactly.
 */

export const DEFAULT_MAX_LINES = 2000;
export const DEFAULT_MAX_BYTES = 50 * 1024;
export const GREP_MAX_LINE_LENGTH = 500;

export interface TruncationResult {
	content: string;
	truncated: boolean;
	truncatedBy: "lines" | "bytes" | null;
	totalLines: number;
	totalBytes: number;
	outputLines: number;
	outputBytes: number;
	/** Tail truncation only: the kept text starts in the middle of the last line. */
	lastLinePartial: boolean;
	/** Head truncation only: the first line alone is over the byte limit, nothing is kept. */
	firstLineExceedsLimit: boolean;
	maxLines: number;
	maxBytes: number;
}

export interface TruncationOptions {
	maxLines?: number;
	maxBytes?: number;
}

const utf8 = new TextEncoder();

export function utf8Length(text: string): number {
	return Buffer.byteLength(text, "utf-8");
}

export function formatSize(bytes: number): string {
	if (bytes < 1024) return `${bytes}B`;
	if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)}KB`;
	return `${(bytes / (1024 * 1024)).toFixed(1)}MB`;
}

function untruncated(content: string, maxLines: number, maxBytes: number, lineCount: number): TruncationResult {
	const bytes = utf8Length(content);
	return {
		content,
		truncated: false,
		truncatedBy: null,
		totalLines: lineCount,
		totalBytes: bytes,
		outputLines: lineCount,
		outputBytes: bytes,
		lastLinePartial: false,
		firstLineExceedsLimit: false,
		maxLines,
		maxBytes,
	};
}

/** The lines of `content` as pi 1.6.0 counts them: none for "", and a final newline ends a line, not starts one. */
function countedLines(content: string): string[] {
	if (content.length === 0) return [];
	const lines = content.split("\n");
	if (content.endsWith("\n")) lines.pop();
	return lines;
}

/** Keep whole lines from the start (file reads: the beginning matters). */
export function truncateHead(content: string, options: TruncationOptions = {}): TruncationResult {
	const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	const totalBytes = utf8Length(content);
	const lines = countedLines(content);
	const totalLines = lines.length;
	if (totalLines <= maxLines && totalBytes <= maxBytes) return untruncated(content, maxLines, maxBytes, totalLines);

	const result = (
		content: string,
		truncatedBy: "lines" | "bytes",
		outputLines: number,
		firstLineExceedsLimit: boolean,
	) => ({
		// pi's key order: the object is stored in the session as details.truncation.
		content,
		truncated: true,
		truncatedBy,
		totalLines,
		totalBytes,
		outputLines,
		outputBytes: utf8Length(content),
		lastLinePartial: false,
		firstLineExceedsLimit,
		maxLines,
		maxBytes,
	});
	if (utf8Length(lines[0] ?? "") > maxBytes) return result("", "bytes", 0, true);
	const kept: string[] = [];
	let keptBytes = 0;
	let truncatedBy: "lines" | "bytes" = "lines";
	for (let i = 0; i < lines.length && i < maxLines; i++) {
		const line = lines[i] ?? "";
		const cost = utf8Length(line) + (i > 0 ? 1 : 0);
		if (keptBytes + cost > maxBytes) {
			truncatedBy = "bytes";
			break;
		}
		kept.push(line);
		keptBytes += cost;
	}
	if (kept.length >= maxLines && keptBytes <= maxBytes) truncatedBy = "lines";
	return result(kept.join("\n"), truncatedBy, kept.length, false);
}

/** Keep whole lines from the end (command output: errors and results come last). */
export function truncateTail(content: string, options: TruncationOptions = {}): TruncationResult {
	const maxLines = options.maxLines ?? DEFAULT_MAX_LINES;
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	const totalBytes = utf8Length(content);
	const lines = countedLines(content);
	const totalLines = lines.length;
	if (totalLines <= maxLines && totalBytes <= maxBytes) return untruncated(content, maxLines, maxBytes, totalLines);

	const kept: string[] = [];
	let keptBytes = 0;
	let truncatedBy: "lines" | "bytes" = "lines";
	let lastLinePartial = false;
	for (let i = lines.length - 1; i >= 0 && kept.length < maxLines; i--) {
		const line = lines[i] ?? "";
		const cost = utf8Length(line) + (kept.length > 0 ? 1 : 0);
		if (keptBytes + cost > maxBytes) {
			truncatedBy = "bytes";
			if (kept.length === 0) {
				// A single enormous last line: keep its end rather than nothing.
				const tail = lastBytesOf(line, maxBytes);
				kept.unshift(tail);
				keptBytes = utf8Length(tail);
				lastLinePartial = true;
			}
			break;
		}
		kept.unshift(line);
		keptBytes += cost;
	}
	if (kept.length >= maxLines && keptBytes <= maxBytes) truncatedBy = "lines";
	const output = kept.join("\n");
	return {
		content: output,
		truncated: true,
		truncatedBy,
		totalLines,
		totalBytes,
		outputLines: kept.length,
		outputBytes: utf8Length(output),
		lastLinePartial,
		firstLineExceedsLimit: false,
		maxLines,
		maxBytes,
	};
}

/** The last `maxBytes` bytes of `text`, moved forward to a character boundary. */
export function lastBytesOf(text: string, maxBytes: number): string {
	const bytes = utf8.encode(text);
	if (bytes.length <= maxBytes) return text;
	let start = bytes.length - maxBytes;
	while (start < bytes.length && ((bytes[start] ?? 0) & 0xc0) === 0x80) start++;
	return Buffer.from(bytes.subarray(start)).toString("utf-8");
}

/** Cut one line to `maxChars` characters (grep output). */
export function truncateLine(line: string, maxChars = GREP_MAX_LINE_LENGTH): { text: string; wasTruncated: boolean } {
	if (line.length <= maxChars) return { text: line, wasTruncated: false };
	return { text: `${line.slice(0, maxChars)}... [truncated]`, wasTruncated: true };
}
