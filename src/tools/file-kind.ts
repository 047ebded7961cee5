/**
 * Tools read whole files. A FIFO blocks the read until some writer appears (forever, usually) and a device like
 * /dev/zero or /dev/urandom never ends, filling memory until the process is killed. Neither can be "read" as a
 * file by a model, so they are refused up front with a message that says what they are.
 */
import type { Stats } from "node:fs";
import { stat } from "node:fs/promises";
import { describeSpecialFile } from "../util/special-file.ts";

/**
 * Throws when `absolutePath` (symlinks followed) is a FIFO, device or socket. Missing files and directories
 * pass: the caller's own read reports those as before.
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
}
