/**
 * Tells a second pi process that a session file is already in use. Each process that works on a session holds
 * `<session>.jsonl.pid` (its pid, created exclusively). pi itself keeps no such marker, so this only detects our
 * own processes; both processes can still append — the file stays valid (entries form branches) — but the user
 * is warned that answers from the two will interleave.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { isProcessAlive } from "./process-alive.ts";

export interface SessionClaim {
	/** The pid of another live process already working on this session, if any. */
	heldBy: number | undefined;
	release(): void;
}

function readPid(path: string): number | undefined {
	try {
		const pid = Number.parseInt(readFileSync(path, "utf8").trim(), 10);
		return Number.isInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

const claims = new Set<string>();
let exitHookInstalled = false;

function releaseAllOnExit(): void {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on("exit", () => {
		for (const path of claims) rmSync(path, { force: true });
	});
}

export function claimSession(sessionFile: string): SessionClaim {
	const markerPath = `${sessionFile}.pid`;
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const fd = openSync(markerPath, "wx");
			writeSync(fd, `${process.pid}\n`);
			closeSync(fd);
			claims.add(markerPath);
			releaseAllOnExit();
			return {
				heldBy: undefined,
				release() {
					claims.delete(markerPath);
					if (readPid(markerPath) === process.pid) rmSync(markerPath, { force: true });
				},
			};
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== "EEXIST") break;
			const holder = readPid(markerPath);
			if (holder !== undefined && holder !== process.pid && isProcessAlive(holder)) {
				return { heldBy: holder, release() {} };
			}
			// A marker left by a crashed process: take it over.
			rmSync(markerPath, { force: true });
		}
	}
	return { heldBy: undefined, release() {} };
}
