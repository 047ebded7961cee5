import type { Stats } from "node:fs";
import {
	closeSync,
	fsyncSync,
	mkdirSync,
	openSync,
	realpathSync,
	renameSync,
	statSync,
	unlinkSync,
	writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";

/**
 * The file a write to `path` must really replace. A symlink (a settings.json kept in a dotfiles repository) is
 * followed: renaming over the link itself would silently turn it into a plain file and cut it off its target.
 */
export function resolveTarget(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		return path; // Does not exist yet (or a dangling link): write where we were asked to.
	}
}

/** The permissions of the regular file at `path`, undefined when there is none. */
function existingMode(path: string): number | undefined {
	let stats: Stats;
	try {
		stats = statSync(path);
	} catch {
		return undefined;
	}
	// Renaming over a device or FIFO (a settings.json linked to /dev/null) would replace it for the whole system.
	if (!stats.isFile()) throw new Error(`${path} is not a regular file; refusing to replace it`);
	return stats.mode & 0o7777;
}

/**
 * write(2) may write less than asked without an error (a nearly full disk): the rest is retried, so the next
 * call fails with ENOSPC instead of a truncated temp file being renamed over good data.
 */
export function writeAll(fd: number, bytes: Uint8Array, position?: number): void {
	let offset = 0;
	while (offset < bytes.length) {
		const at = position === undefined ? null : position + offset;
		const written = writeSync(fd, bytes, offset, bytes.length - offset, at);
		if (written <= 0) throw new Error("write made no progress");
		offset += written;
	}
}

/**
 * Write a file so that readers only ever see the old or the new content, never a half-written one:
 * write a temp file beside it, flush it to disk, then rename over the target. The replaced file keeps its
 * permissions unless `mode` says otherwise (a 0600 file must not become world-readable by being saved).
 */
export function writeFileAtomicSync(path: string, content: string | Uint8Array, options: { mode?: number } = {}): void {
	const target = resolveTarget(path);
	const dir = dirname(target);
	mkdirSync(dir, { recursive: true });
	const existing = existingMode(target);
	const mode = options.mode ?? existing ?? 0o644;
	const { fd, temp } = createTempBeside(dir, basename(target), mode);
	try {
		try {
			writeAll(fd, typeof content === "string" ? Buffer.from(content, "utf8") : content);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}
		renameSync(temp, target);
	} catch (error) {
		// The temp file is ours (created exclusively); failing to remove it must not hide why the write failed.
		try {
			unlinkSync(temp);
		} catch {
			// Left behind as a dot file; the real error matters more.
		}
		throw error;
	}
}

/** A new temp file next to the target, created exclusively (O_EXCL) so that it is never someone else's file. */
function createTempBeside(dir: string, name: string, mode: number): { fd: number; temp: string } {
	for (let attempt = 0; ; attempt++) {
		const temp = join(dir, `.${name}.${process.pid}.${Math.random().toString(36).slice(2, 10)}.tmp`);
		try {
			return { fd: openSync(temp, "wx", mode), temp };
		} catch (error) {
			if (attempt >= 4 || !(error instanceof Error && "code" in error && error.code === "EEXIST")) throw error;
		}
	}
}
