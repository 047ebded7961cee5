import { mkdirSync, rmSync, statSync, utimesSync } from "node:fs";

/** pi's refresh lock settings (proper-lockfile: retries 10, factor 2, 100 ms – 10 s, stale after 30 s). */
const RETRIES = 10;
const MIN_WAIT_MS = 100;
const MAX_WAIT_MS = 10_000;
const STALE_AFTER_MS = 30_000;
/** Touch the lock while holding it so a slow token endpoint does not make it look abandoned. */
const TOUCH_EVERY_MS = STALE_AFTER_MS / 2;

/** Another process held the lock for the whole retry window. */
export class LockBusyError extends Error {}

function isStale(lockPath: string): boolean {
	try {
		return Date.now() - statSync(lockPath).mtimeMs > STALE_AFTER_MS;
	} catch {
		return false;
	}
}

function tryAcquire(lockPath: string): boolean {
	try {
		mkdirSync(lockPath);
		return true;
	} catch (error) {
		if (error instanceof Error && "code" in error && error.code === "EEXIST") return false;
		throw error;
	}
}

/**
 * Run `fn` while holding `<path>.lock` (a directory, proper-lockfile's convention, so pi and we exclude each
 * other). Unlike the short synchronous lock used for plain saves, this one waits long enough for a token
 * refresh in another process to finish, and fails rather than run unlocked.
 */
export async function withFileLockAsync<T>(path: string, fn: () => Promise<T>): Promise<T> {
	const lockPath = `${path}.lock`;
	for (let attempt = 0; !tryAcquire(lockPath); attempt++) {
		if (isStale(lockPath)) {
			rmSync(lockPath, { recursive: true, force: true });
			continue;
		}
		if (attempt >= RETRIES) throw new LockBusyError(`${path} is locked by another process (${lockPath})`);
		const wait = Math.min(MAX_WAIT_MS, MIN_WAIT_MS * 2 ** attempt * (1 + Math.random()));
		await Bun.sleep(wait);
	}
	const touch = setInterval(() => {
		try {
			const now = new Date();
			utimesSync(lockPath, now, now);
		} catch {
			// the lock was removed under us; the write that follows is still atomic
		}
	}, TOUCH_EVERY_MS);
	try {
		return await fn();
	} finally {
		clearInterval(touch);
		rmSync(lockPath, { recursive: true, force: true });
	}
}
