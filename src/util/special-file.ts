/**
 * Files that are not files: reading a FIFO blocks until a writer appears (usually never) and a device such as
 * /dev/zero never ends. Anything pi reads whole (context files, tool input) must check first.
 */
import { type Stats, statSync } from "node:fs";

/** "a named pipe (FIFO)", "a character device", … or undefined for regular files and directories. */
export function describeSpecialFile(stats: Stats): string | undefined {
	if (stats.isFIFO()) return "a named pipe (FIFO)";
	if (stats.isCharacterDevice()) return "a character device";
	if (stats.isBlockDevice()) return "a block device";
	if (stats.isSocket()) return "a socket";
	return undefined;
}

/** True when `path` (symlinks followed) exists and is a FIFO, device or socket. */
export function isSpecialFile(path: string): boolean {
	try {
		return describeSpecialFile(statSync(path)) !== undefined;
	} catch {
		return false;
	}
}
