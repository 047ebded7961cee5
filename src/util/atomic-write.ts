import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * Write a file so that readers only ever see the old or the new content, never a half-written one:
 * write a temp file beside it, flush it to disk, then rename over the target.
 */
export function writeFileAtomicSync(path: string, content: string | Uint8Array, options: { mode?: number } = {}): void {
	const dir = dirname(path);
	mkdirSync(dir, { recursive: true });
	const temp = join(dir, `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
	try {
		const fd = openSync(temp, "w", options.mode ?? 0o644);
		try {
			if (typeof content === "string") writeSync(fd, content);
			else writeSync(fd, content);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(temp, path);
	} catch (error) {
		rmSync(temp, { force: true });
		throw error;
	}
}
