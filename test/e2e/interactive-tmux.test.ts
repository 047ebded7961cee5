/**
 * Interactive mode end to end in a real pseudo-terminal: pi runs inside tmux against the suite's LLM server and
 * the test reads the screen with capture-pane. Every step waits for text to appear; nothing relies on a sleep.
 * Skips (with a message) only when tmux is not installed; .ci/run installs it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, piCommand } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

describe.skipIf(!tmuxBinary)("interactive mode in a real terminal", () => {
	test("prompt, streamed answer, tool call, steering, abort, resume and /tree", async () => {
		const env = makePiEnv(server.url);
		writeFileSync(join(env.cwd, "notes.txt"), "remember the milk\n");
		const pi = new TmuxPi(env);
		try {
			await pi.waitFor("test-model");

			// A prompt and a streamed answer.
			server.enqueue({ text: "Hello! I am the **model**." });
			pi.type("first question");
			pi.keys("Enter");
			await pi.waitFor("Hello! I am the model.");

			// A tool call shows its command and output, then the answer.
			server.enqueue(
				{ toolCalls: [{ id: "call_cat", name: "bash", arguments: { command: "cat notes.txt" } }] },
				{ text: "The note says to buy milk." },
			);
			pi.type("read my notes");
			pi.keys("Enter");
			await pi.waitFor("The note says to buy milk.");
			expect(pi.screen()).toContain("$ cat notes.txt");
			expect(pi.screen()).toContain("remember the milk");

			// Steering while a tool runs: the message waits above the editor, then reaches the model.
			server.enqueue(
				{ toolCalls: [{ id: "call_sleep", name: "bash", arguments: { command: "sleep 1; echo slept" } }] },
				{ text: "Steer received." },
			);
			pi.type("take a nap");
			pi.keys("Enter");
			await pi.waitFor("$ sleep 1; echo slept");
			pi.type("and then wake up");
			pi.keys("Enter");
			await pi.waitFor("Steer received.");
			expect(JSON.stringify(server.requests.at(-1)?.body)).toContain("and then wake up");

			// Escape aborts a slow stream.
			server.enqueue({ text: "This answer is very long and slow ".repeat(40), chunkDelayMs: 100 });
			pi.type("talk slowly");
			pi.keys("Enter");
			await pi.waitFor("This answer is very long");
			pi.keys("Escape");
			await pi.waitFor((screen) => /aborted/i.test(screen));

			// Quit, then resume the session in a new process: the transcript is back.
			pi.pressCtrlCTwice();
			expect((await pi.exited()).code).toBe(0);
		} finally {
			pi.kill();
		}

		const resumed = new TmuxPi(env, ["--continue"]);
		try {
			await resumed.waitFor("The note says to buy milk.");
			// Fullscreen (the default): the start of the transcript is above the viewport until scrolled to.
			resumed.keys("C-Home");
			await resumed.waitFor("first question");
			resumed.keys("C-End");
			await resumed.waitFor((screen) => !screen.includes("Jump to latest message"));

			// /tree: go back to the first answer and branch from there.
			resumed.type("/tree");
			resumed.keys("Enter");
			// "/tree" itself is on screen as typed: wait for the selector's title, not the word.
			await resumed.waitFor("Session Tree");
			const treeScreen = resumed.screen();
			expect(treeScreen).toContain("read my notes");
			for (let i = 0; i < 9; i++) resumed.keys("Up");
			await resumed.waitFor("› • assistant: Hello!");
			resumed.keys("Enter");
			await resumed.waitFor("No summary");
			resumed.keys("Enter");
			await resumed.waitFor((screen) => !screen.includes("Session Tree") && !screen.includes("Steer received."));

			// The next prompt continues from the first answer: the later turns are on another branch.
			server.enqueue({ text: "Branched answer." });
			resumed.type("a new direction");
			resumed.keys("Enter");
			await resumed.waitFor("Branched answer.");
			const sent = JSON.stringify(server.requests.at(-1)?.body);
			expect(sent).toContain("first question");
			expect(sent).toContain("a new direction");
			expect(sent).not.toContain("read my notes");
		} finally {
			resumed.kill();
		}
	}, 60_000);

	test("stdout redirected to a file with a terminal on stdin: print mode, the file holds only the answer", async () => {
		const env = makePiEnv(server.url);
		const out = join(env.home, "answer.txt");
		server.enqueue({ text: "Answer into a file" });
		// tmux's wrapper script expands "$" in its arguments: the redirection lives in a script of its own.
		const script = join(env.home, "redirect.sh");
		const quoted = [...piCommand(), "say hi"].map((part) => `'${part}'`).join(" ");
		writeFileSync(script, `exec ${quoted} > '${out}'\n`);
		const pi = new TmuxPi(env, [], undefined, ["sh", script]);
		try {
			expect((await pi.exited(20_000)).code).toBe(0);
			expect(readFileSync(out, "utf8")).toBe("Answer into a file\n");
		} finally {
			pi.kill();
		}
	}, 30_000);
});
