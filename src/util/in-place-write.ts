/**
 * Rewriting an existing file's content in place, for the write and edit tools. Replacing it by temp file + rename
 * (atomic-write.ts) would give it a new inode: a hard link would silently keep the old content, a file root edits
 * would become root's, ACLs and extended attributes would be lost, a file bind-mounted into a container could not
 * be replaced at all, and a writable file in a folder we may not write to could not be edited. pi writes in place
 * too; we do it in an order that never leaves a shortened or mixed file when the disk is full:
 *   1. open the file for writing without truncating it (a permission error changes nothing);
 *   2. when the new content is longer, first write the part beyond the old end — the only step that needs new disk
 *      space; if it fails, the file is cut back to its old length, unchanged;
 *   3. overwrite the old length with the start of the new content, cut off what is left over, fsync.
 * New files are still created whole, by temp file + rename.
 */
import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync, statSync } from "node:fs";
import { resolveTarget, writeAll, writeFileAtomicSync } from "./atomic-write.ts";

function isMissing(error: unknown): boolean {
	return error instanceof Error && "code" in error && error.code === "ENOENT";
}

export function writeFileInPlaceSync(path: string, content: string | Uint8Array): void {
	const target = resolveTarget(path);
	try {
		// Writing into a device or FIFO (a file linked to /dev/null) would not be editing a file; opening a FIFO
		// would even wait for a reader.
		if (!statSync(target).isFile()) throw new Error(`${path} is not a regular file; refusing to write it`);
	} catch (error) {
		if (!isMissing(error)) throw error;
		writeFileAtomicSync(target, content);
		return;
	}
	const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
	const fd = openSync(target, constants.O_WRONLY);
	try {
		const oldSize = fstatSync(fd).size;
		if (bytes.length > oldSize) {
			try {
				writeAll(fd, bytes.subarray(oldSize), oldSize);
			} catch (error) {
				ftruncateSync(fd, oldSize);
				throw error;
			}
		}
		writeAll(fd, bytes.subarray(0, Math.min(oldSize, bytes.length)), 0);
		if (bytes.length < oldSize) ftruncateSync(fd, bytes.length);
		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}
