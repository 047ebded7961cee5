/**
 * Tools read whole files. A FIFO blocks the read until some writer appears (forever, usually) and a device like
 * /dev/zero or /dev/urandom never ends, filling memory until the process is killed. Neither can be "read" as a
 * file by a model, so they are refused up front with a message that says what they are.
 */
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { describeSpecialFile } from "../util/special-file.ts";

/**
 * Larger files are refused rather than read whole: decoding one takes several times its size in memory (1.5 GB
 * measured at 3.2 GB RSS and 11 s), enough to get pi killed mid-turn. Beyond 2 GB the read fails anyway.
 */
const MAX_WHOLE_FILE_BYTES = 512 * 1024 * 1024;

function formatGigabytes(bytes: number): string {
	return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
}

/**
 * Throws when `absolutePath` (symlinks followed) is a FIFO, device or socket, or too large to read whole.
 * Missing files and directories pass: the caller's own read reports those as before.
 */
export async function assertReadableAsFile(absolutePath: string, displayPath: string): Promise<void> {
	let stats: Stats;
	try {
		stats = await stat(absolutePath);
	} catch {
		return;
	}
	const kind = describeSpecialFile(stats);
	if (kind) throw new Error(`Cannot read ${displayPath}: it is ${kind}, not a regular file.`);
	if (stats.isFile() && stats.size > MAX_WHOLE_FILE_BYTES) {
		throw new Error(
			`Cannot read ${displayPath} at once: it is ${formatGigabytes(stats.size)}. Use bash (head, tail, sed -n, grep) to read parts of it.`,
		);
	}
}
