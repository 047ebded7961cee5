import { afterEach, describe, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { externalEditorCommand } from "../../src/modes/interactive/terminal-handoff.ts";
import { type Harness, startInteractive, TEST_MODEL } from "./harness.ts";

let current: Harness | undefined;

afterEach(async () => {
	await current?.close();
	current = undefined;
});

async function start(...args: Parameters<typeof startInteractive>): Promise<Harness> {
	current = await startInteractive(...args);
	return current;
}

describe("interactive mode", () => {
	test("shows the header, footer with model and thinking level, and an empty chat", async () => {
		const h = await start({ turns: [] });
		await h.waitFor("fake-model • medium");
		expect(h.screen()).toContain("escape interrupt");
		expect(h.screen()).toContain("0.0%/200k (auto)");
	});

	test("prompt streams the answer into the chat and updates the footer usage", async () => {
		const h = await start({ turns: [{ chunks: ["Hello ", "from the ", "fake model"] }] });
		h.type("Say hello");
		h.type("\r");
		await h.waitFor("Hello from the fake model");
		expect(h.screen()).toContain("Say hello");
		await h.waitFor("↑1.2k ↓34");
		expect(h.contexts.length).toBe(1);
	});

	test("answers are rendered as markdown", async () => {
		const h = await start({ turns: [{ chunks: ["# Title\n\nSome **bold** text.\n"] }] });
		h.type("md\r");
		await h.waitFor("Some bold text.");
		expect(h.screen()).not.toContain("**bold**");
		expect(h.screen()).not.toContain("# Title");
	});

	test("tool calls are shown as boxes with their result", async () => {
		const h = await start({
			turns: [
				{
					chunks: ["Calling the tool"],
					toolCalls: [{ type: "toolCall", id: "t1", name: "echo", arguments: { text: "ping" } }],
				},
				{ chunks: ["Done."] },
			],
		});
		h.type("use the tool\r");
		await h.waitFor("echoed: ping");
		await h.waitFor("Done.");
		expect(h.screen()).toContain('"text": "ping"');
	});

	test("enter while streaming steers; the pending message is shown above the editor", async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const h = await start({ turns: [{ chunks: ["first answer"], gate }, { chunks: ["steered answer"] }] });
		h.type("start\r");
		await h.waitFor("first answer");
		h.type("change course\r");
		await h.waitFor("Steering: change course");
		release();
		await h.waitFor("steered answer");
		const lastContext = h.contexts.at(-1);
		expect(JSON.stringify(lastContext?.messages)).toContain("change course");
	});

	test("escape aborts the stream and puts queued messages back into the editor", async () => {
		const gate = new Promise<void>(() => {});
		const h = await start({ turns: [{ chunks: ["partial"], gate }] });
		h.type("long task\r");
		await h.waitFor("partial");
		h.type("queued text");
		h.type("\x1b\r");
		await h.waitFor("Follow-up: queued text");
		h.type("\x1b");
		await h.waitFor("Operation aborted");
		await h.waitFor("queued text");
		expect(h.session.isStreaming).toBe(false);
		expect(h.screen()).not.toContain("Follow-up: queued text");
	});

	test("!command runs bash and shows the output; !!command stays out of the context", async () => {
		const h = await start({ turns: [{ chunks: ["ok"] }] });
		h.type("!echo bash-output-1\r");
		await h.waitFor("bash-output-1");
		await h.waitUntil(() => !h.session.isBashRunning);
		h.type("!!echo secret-output-2\r");
		await h.waitFor("secret-output-2");
		await h.waitUntil(() => !h.session.isBashRunning);
		h.type("next\r");
		await h.waitFor("ok");
		const sent = JSON.stringify(h.contexts[0]?.messages);
		expect(sent).toContain("bash-output-1");
		expect(sent).not.toContain("secret-output-2");
	});

	test("/tree moves the leaf back to an earlier point and prefills the editor", async () => {
		const h = await start({ turns: [{ chunks: ["answer one"] }, { chunks: ["answer two"] }] });
		h.type("question one\r");
		await h.waitFor("answer one");
		h.type("question two\r");
		await h.waitFor("answer two");
		await h.waitUntil(() => !h.session.isStreaming);
		h.type("/tree\r");
		await h.waitFor("Session Tree");
		await h.waitFor("› • assistant: answer two");
		// Filter to the second user message and select it: the leaf goes to its parent.
		h.type("question two");
		h.type("\r");
		await h.waitFor("Summarize branch?");
		h.type("\r"); // No summary
		await h.waitFor("Navigated to selected point");
		const leaf = h.session.sessionManager.getLeafEntry();
		expect(leaf?.type === "message" && leaf.message.role).toBe("assistant");
		expect(h.session.messages.filter((m) => m.role === "user").length).toBe(1);
	});

	test("/tree with a summary appends a branch_summary entry and shows it collapsed", async () => {
		const h = await start({
			turns: [{ chunks: ["answer one"] }, { chunks: ["answer two"] }, { chunks: ["We tried plan B."] }],
		});
		h.type("question one\r");
		await h.waitFor("answer one");
		h.type("question two\r");
		await h.waitFor("answer two");
		await h.waitUntil(() => !h.session.isStreaming);
		h.type("/tree\r");
		await h.waitFor("Session Tree");
		h.type("question two\r");
		await h.waitFor("Summarize branch?");
		h.type("\x1b[B\r"); // Summarize
		await h.waitFor("Navigated to selected point");
		await h.waitFor("Branch summary (ctrl+o to expand)");
		const summary = h.session.sessionManager.getEntries().find((e) => e.type === "branch_summary");
		expect(summary?.type === "branch_summary" && summary.summary).toContain("We tried plan B.");
		// The prompt sent for the summary holds the abandoned branch.
		expect(JSON.stringify(h.contexts.at(-1)?.messages)).toContain("answer two");
		// The editor got the selected message back for editing.
		await h.waitFor(/^question two\s*$/m);
	});

	test("/name sets the session name shown in the footer; /session shows stats", async () => {
		const h = await start({ turns: [] });
		h.type("/name my session\r");
		await h.waitFor("• my session");
		h.type("/session\r");
		await h.waitFor("Session Info");
		expect(h.screen()).toContain("Tool Calls:");
	});

	test("/resume lists other sessions and switches to the chosen one", async () => {
		const first = await start({ turns: [{ chunks: ["old answer"] }] });
		first.type("old question\r");
		await first.waitFor("old answer");
		const { sessionDir, cwd } = first;
		first.terminal.sendInput("\x03");
		first.terminal.sendInput("\x03");
		await first.exit;
		current = undefined;

		const h = await start({ turns: [], sessionDir, cwd });
		h.type("/resume\r");
		await h.waitFor("Resume Session (Current Folder)");
		await h.waitFor("old question");
		h.type("\r");
		await h.waitFor("Resumed session");
		await h.waitFor("old answer");
	});

	test("ctrl+c clears the editor, twice quits and restores the terminal", async () => {
		const h = await start({ turns: [] });
		h.type("some draft");
		await h.waitFor("some draft");
		h.type("\x03");
		await h.terminal.flush();
		h.type("\x03");
		expect(await h.exit).toBe(0);
		current = undefined;
	});

	test("/quit exits with code 0", async () => {
		const h = await start({ turns: [] });
		h.type("/quit\r");
		expect(await h.exit).toBe(0);
		current = undefined;
	});
});

describe("interactive keys and commands", () => {
	test("shift+tab cycles the thinking level shown in the footer", async () => {
		const h = await start({ turns: [] });
		await h.waitFor("fake-model • medium");
		h.type("\x1b[Z");
		await h.waitFor("Thinking level: high");
		await h.waitFor("fake-model • high");
		expect(h.session.thinkingLevel).toBe("high");
	});

	test("ctrl+o expands collapsed tool output and the header hints", async () => {
		const lines = Array.from({ length: 30 }, (_, i) => `line-${i + 1}`).join("\n");
		const h = await start({
			turns: [
				{ toolCalls: [{ type: "toolCall", id: "t1", name: "echo", arguments: { text: lines } }] },
				{ chunks: ["finished"] },
			],
			// Tall enough that the header stays on screen (regular mode never redraws rows in the scrollback).
			rows: 120,
		});
		h.type("go\r");
		await h.waitFor("finished");
		expect(h.screen()).toContain("more lines,");
		// The result rows (not the JSON arguments) hold one line each.
		expect(h.screen()).not.toMatch(/^\s*line-30\s*$/m);
		h.type("\x0f");
		await h.waitFor(/^\s*line-30\s*$/m);
		await h.waitFor("ctrl+p/shift+ctrl+p to cycle models");
	});

	test("a failed answer is shown in red as Error: ...", async () => {
		const h = await start({ turns: [] });
		h.session.settings.setNested("retry", "enabled", false);
		h.session.agent.setModel({ ...TEST_MODEL, provider: "nokey-provider" });
		h.type("hi\r");
		await h.waitFor(/Error: No API key found for nokey-provider/);
	});

	test("/ shows the command autocomplete; tab completes", async () => {
		const h = await start({ turns: [] });
		h.type("/tr");
		await h.waitFor("Navigate session tree");
		h.type("\t");
		await h.waitUntil(() => h.session.sessionManager !== undefined);
		await h.waitFor("/tree ");
	});

	test("/fork branches into a new session with the message in the editor", async () => {
		const h = await start({ turns: [{ chunks: ["reply A"] }, { chunks: ["reply B"] }] });
		h.type("first prompt\r");
		await h.waitFor("reply A");
		h.type("second prompt\r");
		await h.waitFor("reply B");
		const before = h.session.sessionId;
		h.type("/fork\r");
		await h.waitFor("Fork from message");
		h.type("\r");
		await h.waitFor("Branched to new session");
		expect(h.session.sessionId).not.toBe(before);
		expect(h.session.messages.filter((m) => m.role === "user").length).toBe(1);
	});

	test("/copy writes the last answer as OSC 52", async () => {
		const h = await start({ turns: [{ chunks: ["copy me"] }] });
		h.type("q\r");
		await h.waitFor("copy me");
		await h.waitUntil(() => !h.session.isStreaming);
		h.terminal.resetCounters();
		h.type("/copy\r");
		await h.waitFor("Copied last agent message to clipboard");
		const written = h.terminal.writes.join("");
		expect(written).toContain(`\x1b]52;c;${Buffer.from("copy me").toString("base64")}\x07`);
	});

	test("/share says it is not available; /export of an empty session says there is nothing yet", async () => {
		const h = await start({ turns: [] });
		h.type("/share\r");
		await h.waitFor("/share is not available in this build");
		h.type("/export\r");
		await h.waitFor("Nothing to export yet");
	});
});

describe("external editor", () => {
	/** A fake editor: a shell script in a temp folder, made executable. */
	function editorScript(name: string, body: string): string {
		const script = join(mkdtempSync(join(tmpdir(), "pi-editor-test-")), name);
		writeFileSync(script, `#!/bin/sh\n${body}\n`);
		chmodSync(script, 0o755);
		return script;
	}

	/** Runs `body` with $VISUAL set to `visual`, restoring it after. */
	async function withVisual(visual: string, body: () => Promise<void>): Promise<void> {
		const previous = process.env.VISUAL;
		process.env.VISUAL = visual;
		try {
			await body();
		} finally {
			if (previous === undefined) delete process.env.VISUAL;
			else process.env.VISUAL = previous;
		}
	}

	test("ctrl+g replaces the prompt with what the editor saved", async () => {
		await withVisual(editorScript("fake-editor.sh", 'printf "from the editor\\n" > "$1"'), async () => {
			const h = await start({ turns: [] });
			h.type("draft");
			h.type("\x07");
			await h.waitFor("from the editor");
			// The editor now holds the saved text (the frame before ctrl+g may linger in the scrollback).
			const screen = h.screen();
			expect(screen.lastIndexOf("from the editor")).toBeGreaterThan(screen.lastIndexOf("draft"));
		});
	});

	test("the externalEditor setting wins over $VISUAL; a failing editor leaves the prompt and says why", async () => {
		const failing = editorScript("failing-editor.sh", "exit 3");
		await withVisual(editorScript("visual.sh", 'printf "from VISUAL" > "$1"'), async () => {
			const h = await start({ turns: [], settings: { externalEditor: failing } });
			h.type("my draft");
			h.type("\x07");
			await h.waitFor("External editor exited with code 3; prompt unchanged");
			expect(h.screen()).not.toContain("from VISUAL");
			// The next status after a handoff is drawn anew (the previous one is above the editor's output).
			h.session.settings.set("externalEditor", join(tmpdir(), "no-such-editor"));
			h.type("\x07");
			await h.waitFor("Failed to launch external editor:");
			h.type("!");
			await h.waitFor("my draft!");
		});
	});

	test("the command: setting, $VISUAL, $EDITOR, then Notepad on Windows and nano elsewhere (pi 1.6.0's order)", () => {
		expect(externalEditorCommand("code --wait", { VISUAL: "vim", EDITOR: "vi" }, "linux")).toBe("code --wait");
		expect(externalEditorCommand(undefined, { VISUAL: "vim", EDITOR: "vi" }, "linux")).toBe("vim");
		expect(externalEditorCommand(undefined, { EDITOR: "vi" }, "linux")).toBe("vi");
		expect(externalEditorCommand(undefined, {}, "linux")).toBe("nano");
		expect(externalEditorCommand(undefined, {}, "win32")).toBe("notepad");
	});
});

describe("status lines", () => {
	test("a transient error shows the retry line, then the retried answer", async () => {
		const h = await start({
			turns: [{ error: "529 overloaded" }, { chunks: ["recovered answer"] }],
			settings: { retry: { enabled: true, maxRetries: 2, baseDelayMs: 300 } },
		});
		h.type("try\r");
		await h.waitFor(/Retrying \(1\/2\) in 1s\.\.\. \(escape to cancel\)/);
		await h.waitFor("recovered answer");
	});

	test("escape cancels a running ! command", async () => {
		const h = await start({ turns: [] });
		h.type("!sleep 5\r");
		await h.waitFor("Running... (escape to cancel)");
		await h.waitUntil(() => h.session.isBashRunning);
		h.type("\x1b");
		await h.waitFor("(cancelled)");
	});
});

describe("model selection", () => {
	test("ctrl+l opens the model selector; enter switches the model", async () => {
		const h = await start({ turns: [] });
		const available = await h.session.modelRegistry.getAvailable();
		const target = available.find((m) => m.id !== h.session.model?.id);
		expect(target).toBeDefined();
		if (!target) return;
		h.type("\x0c");
		await h.waitFor("Only showing models from configured providers");
		h.type(target.id);
		await h.waitFor(new RegExp(`→ (✓ | {2})${target.id.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
		h.type("\r");
		await h.waitFor(`Model: ${target.id}`);
		expect(h.session.model?.id).toBe(target.id);
	});

	test("/model <provider/id> switches directly", async () => {
		const h = await start({ turns: [] });
		const available = await h.session.modelRegistry.getAvailable();
		const target = available.at(-1);
		if (!target) throw new Error("no models");
		h.type(`/model ${target.provider}/${target.id}\r`);
		await h.waitFor(`Model: ${target.id}`);
		expect(h.session.model?.id).toBe(target.id);
	});
});

describe("queues and shortcuts", () => {
	test("alt+up restores queued messages to the editor", async () => {
		const gate = new Promise<void>(() => {});
		const h = await start({ turns: [{ chunks: ["busy"], gate }] });
		h.type("work\r");
		await h.waitFor("busy");
		h.type("later one\r");
		await h.waitFor("Steering: later one");
		h.type("\x1b[1;3A");
		await h.waitFor("Restored 1 queued message to editor");
		expect(h.session.pendingMessageCount).toBe(0);
		await h.waitFor(/^later one\s*$/m);
	});

	test("a ! command while the agent streams is shown pending and reaches the context after the turn", async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const h = await start({ turns: [{ chunks: ["streaming"], gate }, { chunks: ["second"] }] });
		h.type("go\r");
		await h.waitFor("streaming");
		h.type("!echo during-stream\r");
		await h.waitFor("during-stream");
		await h.waitUntil(() => !h.session.isBashRunning);
		release();
		await h.waitUntil(() => !h.session.isStreaming);
		h.type("next\r");
		await h.waitFor("second");
		expect(JSON.stringify(h.contexts.at(-1)?.messages)).toContain("during-stream");
	});

	test("double escape on an empty editor opens the tree", async () => {
		const h = await start({ turns: [{ chunks: ["a1"] }] });
		h.type("q1\r");
		await h.waitFor("a1");
		await h.waitUntil(() => !h.session.isStreaming);
		// Escape in the kitty protocol form: unambiguous, so it is delivered at once.
		h.type("\x1b[27u");
		h.type("\x1b[27u");
		await h.waitFor("Session Tree");
	});

	test("ctrl+d on an empty editor quits", async () => {
		const h = await start({ turns: [] });
		expect(await h.quit()).toBe(0);
		current = undefined;
	});

	test("/compact summarizes the conversation and shows the compaction box", async () => {
		const long = "x".repeat(4000);
		const h = await start({
			turns: [{ chunks: [long] }, { chunks: [long] }, { chunks: ["Summary of everything."] }],
			settings: { compaction: { enabled: true, reserveTokens: 16384, keepRecentTokens: 10 } },
		});
		h.type("first\r");
		await h.waitUntil(() => h.contexts.length === 1 && !h.session.isStreaming);
		h.type("second\r");
		await h.waitUntil(() => h.contexts.length === 2 && !h.session.isStreaming);
		h.type("/compact\r");
		await h.waitFor(/Compacted from [\d,]+ tokens \(ctrl\+o to expand\)/);
		// pi 1.6.0: the kept messages, then the summary where the compaction happened; the context size is unknown
		// until the next answer.
		await h.waitFor("?/200k (auto)");
		const screen = h.screen();
		expect(screen.lastIndexOf("second")).toBeLessThan(screen.lastIndexOf("Compacted from"));
		expect(screen).not.toContain("Session compacted");
	});
});

describe("/new", () => {
	test("starts a fresh session and clears the chat", async () => {
		const h = await start({ turns: [{ chunks: ["old reply"] }] });
		h.type("old prompt\r");
		await h.waitFor("old reply");
		await h.waitUntil(() => !h.session.isStreaming);
		const before = h.session.sessionId;
		h.type("/new\r");
		await h.waitFor("✓ New session started");
		expect(h.session.sessionId).not.toBe(before);
		expect(h.session.messages.length).toBe(0);
		expect(h.terminal.getViewport().join("\n")).not.toContain("old reply");
	});
});
