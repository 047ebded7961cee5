/** /import <path.jsonl> (pi 0.73.1): confirm, copy into the session folder, resume the imported session. */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { SessionManager } from "../../src/session/session-manager.ts";
import { type Harness, startInteractive, TEST_MODEL } from "./harness.ts";

let current: Harness | undefined;
afterEach(async () => {
	current?.type("\x1b");
	await Bun.sleep(20);
	if (current) await current.quit();
	current = undefined;
});

/** A session file elsewhere on disk with one exchange. */
function exportedSession(cwd: string): string {
	const elsewhere = mkdtempSync(join(tmpdir(), "pi-import-src-"));
	const manager = SessionManager.create(cwd, elsewhere);
	manager.appendMessage({ role: "user", content: "imported question about owls", timestamp: Date.now() });
	manager.appendMessage({
		role: "assistant",
		content: [{ type: "text", text: "Owls are nocturnal." }],
		api: TEST_MODEL.api,
		provider: TEST_MODEL.provider,
		model: TEST_MODEL.id,
		usage: {
			input: 1,
			output: 1,
			cacheRead: 0,
			cacheWrite: 0,
			totalTokens: 2,
			cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 },
		},
		stopReason: "stop",
		timestamp: Date.now(),
	});
	const file = manager.getSessionFile();
	if (!file) throw new Error("no session file");
	return file;
}

describe("/import", () => {
	test("Yes copies the file into the session folder and shows the imported conversation", async () => {
		const h = await startInteractive({ turns: [] });
		current = h;
		const source = exportedSession(h.cwd);
		h.type(`/import ${source}`);
		h.type("\r");
		await h.waitFor("Replace current session with");
		h.type("\r"); // Yes
		await h.waitFor("Session imported from:");
		expect(h.screen().replace(/\s+/g, "")).toContain(`Sessionimportedfrom:${source}`);
		await h.waitFor("Owls are nocturnal.");
		const copy = join(h.sessionDir, basename(source));
		expect(existsSync(copy)).toBe(true);
		expect(h.session.sessionFile).toBe(copy);
	});

	test("No cancels; a missing file and a missing argument are errors", async () => {
		const h = await startInteractive({ turns: [] });
		current = h;
		const before = h.session.sessionFile;
		h.type(`/import ${exportedSession(h.cwd)}`);
		h.type("\r");
		await h.waitFor("Replace current session with");
		h.type("\x1b[B"); // down to No
		h.type("\r");
		await h.waitFor("Import cancelled");
		expect(h.session.sessionFile).toBe(before);
		h.type("/import /nowhere/x.jsonl");
		h.type("\r");
		await h.waitFor("Replace current session with");
		h.type("\r");
		await h.waitFor("Failed to import session: File not found: /nowhere/x.jsonl");
		h.type("/import");
		h.type("\r");
		await h.waitFor("Usage: /import <path.jsonl>");
	});
});
