/**
 * `pi -r` in a real pseudo-terminal (tmux): the picker comes up before anything else; Enter opens the session,
 * Escape prints "No session selected" and exits 0. Skipped when tmux is not installed.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { SessionManager } from "../../src/session/session-manager.ts";
import { makePiEnv } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

const SIZE = { columns: 100, rows: 30 };

describe.skipIf(!tmuxBinary)("pi -r in a terminal", () => {
	test("enter opens the chosen session; escape prints 'No session selected' and exits 0", async () => {
		const env = makePiEnv();
		const sessionDir = join(env.home, "sessions");
		mkdirSync(sessionDir, { recursive: true });
		const manager = SessionManager.create(env.cwd, sessionDir);
		manager.appendMessage({ role: "user", content: "remember the blue door", timestamp: Date.now() });
		// Session files are written once an answer exists (as pi's are).
		manager.appendMessage({
			role: "assistant",
			content: [{ type: "text", text: "Noted: the door is blue." }],
			api: "openai-completions",
			provider: "test",
			model: "test-model",
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
		manager.appendSessionInfo("Door notes");

		const pick = new TmuxPi(env, ["-r", "--session-dir", sessionDir], SIZE);
		try {
			await pick.waitFor("Resume Session (Current Folder)");
			await pick.waitFor("Door notes");
			pick.keys("Enter");
			await pick.waitFor("remember the blue door");
			// The interactive mode runs on the chosen session: its name is in the footer.
			await pick.waitFor("~/project • Door notes");
		} finally {
			pick.kill();
		}

		const cancel = new TmuxPi(env, ["-r", "--session-dir", sessionDir], SIZE);
		try {
			await cancel.waitFor("Door notes");
			cancel.keys("Escape");
			await cancel.waitFor("[pi exited 0]");
			expect(cancel.screen()).toContain("No session selected");
		} finally {
			cancel.kill();
		}
	}, 30_000);
});
