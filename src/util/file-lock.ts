import { mkdirSync, rmSync, statSync } from "node:fs";

const STALE_AFTER_MS = 10_000;

/**
 * A short-lived cross-process lock: `<path>.lock` as a directory, the convention proper-lockfile uses, so pi
 * and we respect each other's locks on settings.json and auth.json. Retries for about 200 ms, then proceeds
 * after removing a lock older than 10 s (a crashed writer); otherwise runs anyway rather than fail a save.
 */
export function withFileLockSync<T>(path: string, fn: () => T): T {
	const lockPath = `${path}.lock`;
	let acquired = false;
	for (let attempt = 0; attempt < 10 && !acquired; attempt++) {
		try {
			mkdirSync(lockPath);
			acquired = true;
		} catch {
			if (isStale(lockPath)) rmSync(lockPath, { recursive: true, force: true });
			else Bun.sleepSync(20);
		}
	}
	try {
		return fn();
	} finally {
		if (acquired) rmSync(lockPath, { recursive: true, force: true });
	}
}

function isStale(lockPath: string): boolean {
	try {
		return Date.now() - statSync(lockPath).mtimeMs > STALE_AFTER_MS;
	} catch {
		return true;
	}
}
