/**
 * One install, update or rollback at a time per install root: `<root>/update.lock/` holding the owner's pid, the
 * same lock install.sh takes. A lock whose process is gone (a crash, a killed terminal) is taken over; a live one
 * makes the second updater stop with a clear message instead of waiting.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../util/process-alive.ts";

export class UpdateLockedError extends Error {}

/** Takes the lock or throws UpdateLockedError; returns the release function. */
export function acquireUpdateLock(root: string): () => void {
	const path = join(root, "update.lock");
	mkdirSync(root, { recursive: true });
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			mkdirSync(path);
			writeFileSync(join(path, "pid"), `${process.pid}\n`);
			return () => rmSync(path, { recursive: true, force: true });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
		}
		let owner = Number.NaN;
		try {
			owner = Number.parseInt(readFileSync(join(path, "pid"), "utf8"), 10);
		} catch {
			// The owner has made the folder but not written its pid yet, or crashed in between: treated as stale below.
		}
		if (Number.isInteger(owner) && isProcessAlive(owner)) {
			throw new UpdateLockedError(
				`another pi install or update is running (process ${owner}); wait for it to finish and try again`,
			);
		}
		rmSync(path, { recursive: true, force: true });
	}
	throw new UpdateLockedError("another pi install or update is running; try again later");
}
