/**
 * `/export <file>.jsonl` (pi 0.73.1's exportToJsonl): a new session file holding only the current branch,
 * with a fresh header (same session id) and parent links re-chained into one line of entries.
 */
import { resolve } from "node:path";
import type { SessionManager } from "../session/session-manager.ts";
import { CURRENT_SESSION_VERSION, type SessionHeader } from "../session/types.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";

export function exportBranchToJsonl(sessionManager: SessionManager, outputPath?: string): string {
	const stamp = new Date().toISOString().replace(/[:.]/g, "-");
	const filePath = resolve(outputPath ?? `session-${stamp}.jsonl`);
	const header: SessionHeader = {
		type: "session",
		version: CURRENT_SESSION_VERSION,
		id: sessionManager.getSessionId(),
		timestamp: new Date().toISOString(),
		cwd: sessionManager.getCwd(),
	};
	const lines = [JSON.stringify(header)];
	let parentId: string | null = null;
	for (const entry of sessionManager.getBranch()) {
		lines.push(JSON.stringify({ ...entry, parentId }));
		parentId = entry.id;
	}
	writeFileAtomicSync(filePath, `${lines.join("\n")}\n`);
	return filePath;
}
