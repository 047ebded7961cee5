/**
 * `pi -r` in a real pseudo-terminal (tmux): the picker comes up before anything else; Enter opens the session,
 * Escape prints "No session selected" and exits 0. Skipped when tmux is not installed.
 */
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SessionManager } from "../../src/session/session-manager.ts";
import { makePiEnv, type PiEnv, piCommand } from "../support/run-pi.ts";

const tmux = Bun.which("tmux");
let counter = 0;

function startInTmux(
	env: PiEnv,
	args: string[],
): { screen: () => string; keys: (...k: string[]) => void; kill: () => void } {
	const name = `pi-resume-${process.pid}-${counter++}`;
	const script = join(env.home, `${name}.sh`);
	const exports = Object.entries(env.env)
		.map(([key, value]) => `export ${key}=${JSON.stringify(value)}`)
		.join("\n");
	const command = [...piCommand(), ...args].map((part) => JSON.stringify(part)).join(" ");
	writeFileSync(script, `${exports}\ncd ${JSON.stringify(env.cwd)}\n${command}\necho "[pi exited $?]"\nsleep 600\n`);
	const run = (...a: string[]) =>
		Bun.spawnSync([tmux ?? "tmux", ...a], { stdout: "pipe", stderr: "pipe" }).stdout.toString();
	run("new-session", "-d", "-s", name, "-x", "100", "-y", "30", `sh ${script}`);
	return {
		screen: () => run("capture-pane", "-p", "-J", "-t", name),
		keys: (...k: string[]) => run("send-keys", "-t", name, ...k),
		kill: () => run("kill-session", "-t", name),
	};
}

async function waitFor(screen: () => string, text: string): Promise<string> {
	const deadline = Date.now() + 10_000;
	let current = "";
	while (Date.now() < deadline) {
		current = screen();
		if (current.includes(text)) return current;
		await Bun.sleep(25);
	}
	throw new Error(`timed out waiting for ${text}; screen:\n${current}`);
}

describe.skipIf(!tmux)("pi -r in a terminal", () => {
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

		const pick = startInTmux(env, ["-r", "--session-dir", sessionDir]);
		try {
			await waitFor(pick.screen, "Resume Session (Current Folder)");
			await waitFor(pick.screen, "Door notes");
			pick.keys("Enter");
			await waitFor(pick.screen, "remember the blue door");
			// The interactive mode runs on the chosen session: its name is in the footer.
			await waitFor(pick.screen, "~/project • Door notes");
		} finally {
			pick.kill();
		}

		const cancel = startInTmux(env, ["-r", "--session-dir", sessionDir]);
		try {
			await waitFor(cancel.screen, "Door notes");
			cancel.keys("Escape");
			await waitFor(cancel.screen, "[pi exited 0]");
			expect(cancel.screen()).toContain("No session selected");
		} finally {
			cancel.kill();
		}
	}, 30_000);
});
