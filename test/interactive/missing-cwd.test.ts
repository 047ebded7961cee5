/** pi 1.6.0's question when a resumed session's folder is gone (src/modes/interactive/missing-cwd-prompt.ts). */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promptMissingSessionCwd } from "../../src/modes/interactive/missing-cwd-prompt.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

async function waitForScreen(terminal: VirtualTerminal, text: string): Promise<string> {
	const deadline = Date.now() + 5000;
	for (;;) {
		await terminal.flush();
		const screen = terminal.getAllLines().join("\n");
		if (screen.includes(text)) return screen;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${text}. Screen:\n${screen}`);
		await Bun.sleep(10);
	}
}

describe("a session whose folder is gone", () => {
	test("the prompt offers to continue here once, fork here, or cancel", async () => {
		const terminal = new VirtualTerminal(100, 20);
		const answer = promptMissingSessionCwd("/gone/project", "/here", terminal);
		const screen = await waitForScreen(terminal, "Session cwd does not exist: /gone/project");
		expect(screen).toContain("Continue in /here (asks again next time)");
		expect(screen).toContain("Fork into /here (new session ID, original kept)");
		expect(screen).toContain("Cancel");
		terminal.sendInput("\x1b[B");
		await Bun.sleep(5);
		terminal.sendInput("\r");
		expect(await answer).toBe("fork");
		const second = new VirtualTerminal(100, 20);
		const viaEscape = promptMissingSessionCwd("/gone", "/here", second);
		await waitForScreen(second, "Session cwd does not exist: /gone");
		second.sendInput("\x1b");
		expect(await viaEscape).toBeUndefined();
	});

	test("continuing runs it in the current folder without changing the file", () => {
		const dir = mkdtempSync(join(tmpdir(), "pi-missing-cwd-"));
		const gone = join(dir, "gone");
		const manager = SessionManager.create(gone, dir);
		manager.appendMessage({ role: "user", content: "hi", timestamp: Date.now() });
		const file = manager.getSessionFile() ?? "";
		rmSync(gone, { recursive: true, force: true });
		const reopened = SessionManager.open(file, dir, "/here");
		expect(reopened.getCwd()).toBe("/here");
		expect(SessionManager.open(file, dir).getCwd()).toBe(gone);
	});
});
