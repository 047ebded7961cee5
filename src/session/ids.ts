/** Identifiers and file names exactly as pi 0.73.1 makes them (pi-spec §3.1–3.2). */
// Web Crypto (global `crypto`) rather than node:crypto: the same randomness, and loading node:crypto costs
// about 1.5 MB more memory at startup in the compiled binary.

/** Session ids are UUIDv7 (time-ordered), as pi 0.73.1 uses for new sessions. */
export function createSessionId(now: number = Date.now()): string {
	const bytes = Buffer.from(crypto.getRandomValues(new Uint8Array(16)));
	// 48-bit big-endian millisecond timestamp
	let ms = now;
	for (let i = 5; i >= 0; i--) {
		bytes[i] = ms % 256;
		ms = Math.floor(ms / 256);
	}
	bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
	bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
	const hex = bytes.toString("hex");
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** pi 1.6.0's rule for a session id given with --session-id (it becomes part of a file name). */
export function sessionIdProblem(id: string): string | undefined {
	if (/^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/.test(id)) return undefined;
	return "Session id must be non-empty, contain only alphanumeric characters, '-', '_', and '.', and start and end with an alphanumeric character";
}

/** Entry ids: the first 8 hex chars of a random UUID, re-drawn on collision; a full UUID after 100 collisions. */
export function createEntryId(taken: { has(id: string): boolean }): string {
	for (let attempt = 0; attempt < 100; attempt++) {
		const id = crypto.randomUUID().slice(0, 8);
		if (!taken.has(id)) return id;
	}
	return crypto.randomUUID();
}

/** `<ISO timestamp with : and . replaced by ->_<session id>.jsonl` */
export function sessionFileName(isoTimestamp: string, sessionId: string): string {
	return `${isoTimestamp.replace(/[:.]/g, "-")}_${sessionId}.jsonl`;
}

/** `--<cwd without one leading slash, with / \ : replaced by ->--` */
export function encodeCwdForDir(cwd: string): string {
	return `--${cwd.replace(/^[/\\]/, "").replace(/[/\\:]/g, "-")}--`;
}
