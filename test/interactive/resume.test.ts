import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { formatSessionAge } from "../../src/modes/interactive/components/session-selector.ts";
import { Keybindings } from "../../src/modes/interactive/keybindings.ts";
import { pickSessionToResume } from "../../src/modes/interactive/session-picker.ts";
import { filterSessions, parseSessionQuery } from "../../src/modes/interactive/session-search.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import type { SessionInfo } from "../../src/session/types.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;
afterEach(async () => {
	await current?.close();
	current = undefined;
});

/** A session file with one user/assistant exchange, optionally named. */
function writeSession(cwd: string, sessionDir: string, question: string, name?: string): string {
	const manager = SessionManager.create(cwd, sessionDir);
	manager.appendMessage({ role: "user", content: question, timestamp: Date.now() });
	manager.appendMessage({
		role: "assistant",
		content: [{ type: "text", text: `answer to ${question}` }],
		api: "anthropic-messages",
		provider: "anthropic",
		model: "fake-model",
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
	if (name) manager.appendSessionInfo(name);
	const file = manager.getSessionFile();
	if (!file) throw new Error("no session file");
	return file;
}

async function screenOf(terminal: VirtualTerminal): Promise<string> {
	await terminal.flush();
	return terminal.getAllLines().join("\n");
}

async function waitForScreen(terminal: VirtualTerminal, text: string): Promise<string> {
	const deadline = Date.now() + 3000;
	for (;;) {
		const screen = await screenOf(terminal);
		if (screen.includes(text)) return screen;
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${text}. Screen:\n${screen}`);
		await Bun.sleep(10);
	}
}

describe("pi -r session picker", () => {
	test("lists the folder's sessions; enter returns the chosen file", async () => {
		const cwd = mkdtempSync(join(tmpdir(), "pi-resume-cwd-"));
		const sessionDir = mkdtempSync(join(tmpdir(), "pi-resume-sessions-"));
		const older = writeSession(cwd, sessionDir, "first question");
		await Bun.sleep(5);
		writeSession(cwd, sessionDir, "second question", "Named one");
		const terminal = new VirtualTerminal(100, 30);
		const picked = pickSessionToResume({ cwd, sessionDir, terminal, keybindings: new Keybindings() });
		await waitForScreen(terminal, "Resume Session (Current Folder)");
		const screen = await waitForScreen(terminal, "first question");
		expect(screen).toContain("Named one");
		expect(screen).toContain("◉ Current Folder");
		terminal.sendInput("first");
		await Bun.sleep(5);
		terminal.sendInput("\r");
		expect(await picked).toBe(older);
	});

	test("escape resolves with nothing", async () => {
		const cwd = mkdtempSync(join(tmpdir(), "pi-resume-cwd-"));
		const sessionDir = mkdtempSync(join(tmpdir(), "pi-resume-sessions-"));
		const terminal = new VirtualTerminal(100, 30);
		const picked = pickSessionToResume({ cwd, sessionDir, terminal, keybindings: new Keybindings() });
		await waitForScreen(terminal, "No sessions in current folder. Press Tab to view all.");
		terminal.sendInput("\x1b");
		expect(await picked).toBeUndefined();
	});

	test("--fork with --continue is refused; -r without a terminal is a clear error", async () => {
		const env = makePiEnv();
		const fork = await runPi(["--fork", "abc", "--continue", "-p", "hi"], env);
		expect(fork.exitCode).toBe(1);
		expect(fork.stderr).toContain("Error: --fork cannot be combined with --continue");
		const resume = await runPi(["-r", "-p", "hi"], env);
		expect(resume.exitCode).toBe(1);
		expect(resume.stderr).toContain("--resume shows a session picker and needs a terminal");
	});
});

describe("session selector in /resume", () => {
	test("ctrl+s cycles the sort, ctrl+r renames, ctrl+d deletes after confirmation", async () => {
		const first = await startInteractive({ turns: [] });
		const { cwd, sessionDir } = first;
		await first.close();
		const victim = writeSession(cwd, sessionDir, "delete me");
		await Bun.sleep(5);
		writeSession(cwd, sessionDir, "rename me");

		current = await startInteractive({ turns: [], sessionDir, cwd });
		const h = current;
		h.type("/resume\r");
		await h.waitFor("Sort: Threaded");
		await h.waitFor("rename me");
		h.type("\x13");
		await h.waitFor("Sort: Recent");
		// The newest session is selected first.
		h.type("\x12");
		await h.waitFor("Rename Session");
		h.type("Renamed session\r");
		await h.waitFor("Renamed session");
		expect((await SessionManager.list(cwd, sessionDir)).some((s) => s.name === "Renamed session")).toBe(true);

		h.type("\x1b[B");
		h.type("\x04");
		await h.waitFor("Delete session?");
		h.type("\r");
		await h.waitUntil(() => !existsSync(victim));
		await h.waitFor(/Session (deleted|moved to trash)/);
		expect(h.screen()).not.toContain("delete me");
	});

	test("the current session cannot be deleted", async () => {
		current = await startInteractive({ turns: [{ chunks: ["the only answer"] }] });
		const h = current;
		h.type("hello\r");
		await h.waitFor("the only answer");
		await h.waitUntil(() => !h.session.isStreaming);
		h.type("/resume\r");
		await h.waitFor("› hello");
		h.type("\x04");
		await h.waitFor("Cannot delete the currently active session");
	});
});

describe("session search", () => {
	const session = (name: string | undefined, text: string, minutes: number): SessionInfo => ({
		path: `/s/${text}.jsonl`,
		id: text,
		cwd: "/p",
		name,
		created: new Date(0),
		modified: new Date(Date.now() - minutes * 60_000),
		messageCount: 2,
		firstMessage: text,
		allMessagesText: text,
	});

	test("fuzzy words, phrases, regex, named filter", () => {
		const all = [session(undefined, "fix the parser bug", 1), session("Docs", "write the docs", 2)];
		expect(filterSessions(all, "prsr", "recent", "all").map((s) => s.id)).toEqual(["fix the parser bug"]);
		expect(filterSessions(all, '"the docs"', "relevance", "all").map((s) => s.id)).toEqual(["write the docs"]);
		expect(filterSessions(all, "re:^docs", "recent", "all")).toHaveLength(0);
		expect(filterSessions(all, "re:w.ite", "recent", "all")).toHaveLength(1);
		expect(filterSessions(all, "", "recent", "named").map((s) => s.name)).toEqual(["Docs"]);
		expect(parseSessionQuery('"open quote')).toEqual({
			kind: "tokens",
			tokens: [
				{ kind: "fuzzy", value: '"open' },
				{ kind: "fuzzy", value: "quote" },
			],
		});
		expect(formatSessionAge(new Date(Date.now() - 3 * 3600_000))).toBe("3h");
		expect(formatSessionAge(new Date(Date.now() - 40 * 86400_000))).toBe("1mo");
	});
});
