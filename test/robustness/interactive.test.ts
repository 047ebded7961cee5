/**
 * Interactive mode in a real terminal (tmux) under stress: signals while streaming or running a tool, odd
 * input (a 100k-character paste, binary garbage, emoji ZWJ sequences, right-to-left text), a 20-column terminal
 * and resizes while streaming. Whatever happens, the terminal must come back usable (canonical mode and echo on,
 * cursor visible, no bracketed paste / kitty / modifyOtherKeys left on) and the conversation must be on disk.
 * Skips when tmux is not installed.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, sessionFiles } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";
import { isAlive, readSessionLines, waitUntil } from "./helpers.ts";

let server: LlmTestServer;
let pi: TmuxPi | undefined;
beforeEach(async () => {
	server = await startLlmServer();
});
afterEach(async () => {
	pi?.kill();
	pi = undefined;
	await server.close();
});

async function startPi(size?: { columns: number; rows: number }, args: string[] = []): Promise<TmuxPi> {
	const env = makePiEnv(server.url);
	pi = new TmuxPi(env, args, size);
	// The editor border: the footer's model name does not fit a 20-column terminal.
	await pi.waitFor("─────");
	return pi;
}

async function expectTerminalRestored(instance: TmuxPi): Promise<number> {
	const { code, stty } = await instance.exited();
	expect(stty).toEqual(["icanon", "echo"]);
	expect(await instance.modesLeftOn()).toEqual([]);
	expect(instance.cursorVisible()).toBe(true);
	return code;
}

/** How many assistant messages the session file holds. */
function savedAnswers(instance: TmuxPi): number {
	const [file] = sessionFiles(instance.env);
	if (!file) return 0;
	return readSessionLines(file).filter((line) => line.message?.role === "assistant").length;
}

function savedUserTexts(instance: TmuxPi): string[] {
	const [file] = sessionFiles(instance.env);
	if (!file) return [];
	return readSessionLines(file)
		.filter((line) => line.message?.role === "user")
		.map((line) => JSON.stringify(line.message));
}

describe.skipIf(!tmuxBinary)("signals restore the terminal and keep the conversation", () => {
	for (const [signal, code] of [
		["SIGTERM", 143],
		["SIGHUP", 129],
	] as const) {
		test(`${signal} while the first answer streams`, async () => {
			const instance = await startPi();
			server.enqueue({ text: "slow answer ".repeat(300), chunkDelayMs: 30 });
			instance.type("remember this question");
			instance.keys("Enter");
			await instance.waitFor("slow answer");
			process.kill(await instance.pid(), signal);
			expect(await expectTerminalRestored(instance)).toBe(code);
			expect(savedUserTexts(instance).join()).toContain("remember this question");
		});
	}

	test("SIGTERM while a tool runs: its processes are killed too", async () => {
		const instance = await startPi();
		const pidFile = join(instance.env.cwd, "child.pid");
		server.enqueue({
			toolCalls: [{ name: "bash", arguments: { command: `sleep 60 & echo $! > ${pidFile}; wait` } }],
		});
		instance.type("run the tool");
		instance.keys("Enter");
		expect(await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "")).toBe(true);
		const child = Number(readFileSync(pidFile, "utf8").trim());
		process.kill(await instance.pid(), "SIGTERM");
		await expectTerminalRestored(instance);
		expect(await waitUntil(() => !isAlive(child), 10_000)).toBe(true);
	});

	test("Ctrl+C twice while a tool runs: pi quits, the tool's processes die, the session is on disk", async () => {
		const instance = await startPi();
		const pidFile = join(instance.env.cwd, "child.pid");
		server.enqueue({
			toolCalls: [{ name: "bash", arguments: { command: `sleep 60 & echo $! > ${pidFile}; wait` } }],
		});
		instance.type("run the long tool");
		instance.keys("Enter");
		expect(await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "")).toBe(true);
		const child = Number(readFileSync(pidFile, "utf8").trim());
		instance.pressCtrlCTwice();
		expect(await expectTerminalRestored(instance)).toBe(0);
		expect(await waitUntil(() => !isAlive(child), 10_000)).toBe(true);
		expect(savedUserTexts(instance).join()).toContain("run the long tool");
	});

	test("Ctrl+C twice while streaming quits cleanly with the session on disk", async () => {
		const instance = await startPi();
		server.enqueue({ text: "slow answer ".repeat(300), chunkDelayMs: 30 });
		instance.type("a question before quitting");
		instance.keys("Enter");
		await instance.waitFor("slow answer");
		instance.pressCtrlCTwice();
		await expectTerminalRestored(instance);
		expect(savedUserTexts(instance).join()).toContain("a question before quitting");
	});
});

/**
 * Regular mode in tmux rests the cursor above the rows it rewrites while an answer streams, and writes those rows
 * with autowrap off (inline-screen.ts): quitting or a signal mid-stream must leave autowrap on (modesLeftOn).
 */
describe.skipIf(!tmuxBinary)("regular mode: quitting while an answer streams restores the terminal", () => {
	async function streaming(): Promise<TmuxPi> {
		const instance = await startPi(undefined, ["--tui-mode", "regular"]);
		server.enqueue({
			text: Array.from({ length: 400 }, (_, i) => `streamed line ${i}`).join("\n\n"),
			chunkDelayMs: 20,
		});
		instance.type("a long answer please");
		instance.keys("Enter");
		await instance.waitFor("streamed line 20");
		// The path under test ran: frames of the streaming answer switched autowrap off (tmux only).
		expect(await instance.output()).toContain("\x1b[?7l");
		return instance;
	}

	test("SIGTERM", async () => {
		const instance = await streaming();
		process.kill(await instance.pid(), "SIGTERM");
		expect(await expectTerminalRestored(instance)).toBe(143);
	});

	test("Ctrl+C twice", async () => {
		const instance = await streaming();
		instance.pressCtrlCTwice();
		expect(await expectTerminalRestored(instance)).toBe(0);
	});
});

describe.skipIf(!tmuxBinary)("odd input and odd terminals do not break rendering", () => {
	/**
	 * After the odd input pi must still answer a normal prompt, then quit with the terminal restored. `answered`:
	 * how many answers the odd input asked for; they must be complete (saved, and the spinner gone) before the next
	 * prompt is typed, else that prompt would be queued as steering. Each step waits for what it did to show.
	 */
	async function stillWorks(instance: TmuxPi, answered: number): Promise<void> {
		server.enqueue({ text: "still alive" });
		expect(await waitUntil(() => savedAnswers(instance) >= answered, 30_000)).toBe(true);
		await instance.waitFor((screen) => !screen.includes("Working..."));
		instance.keys("C-u");
		instance.type("are you there");
		await instance.waitFor("are you there");
		instance.keys("Enter");
		await instance.waitFor("still alive");
		expect(await waitUntil(() => savedAnswers(instance) === answered + 1, 30_000)).toBe(true);
		instance.pressCtrlCTwice();
		expect(await expectTerminalRestored(instance)).toBe(0);
	}

	test("a 100k-character paste", async () => {
		const instance = await startPi();
		instance.paste(`${"x".repeat(99_990)}\nend`);
		await instance.waitFor((screen) => /paste|x{20}/i.test(screen));
		instance.keys("Enter");
		await instance.waitFor("ok");
		await stillWorks(instance, 1);
	});

	test("binary garbage pasted", async () => {
		const instance = await startPi();
		const garbage = Array.from({ length: 2000 }, (_, i) => String.fromCharCode((i * 37) % 256)).join("");
		instance.paste(garbage);
		// The keys typed next reach pi after the paste (one terminal, in order); nothing was sent to the model.
		await stillWorks(instance, 0);
	});

	test("emoji ZWJ sequences, combining marks and right-to-left text, in a 20-column terminal", async () => {
		const instance = await startPi({ columns: 20, rows: 15 });
		const odd = "👩‍👩‍👧‍👦 🏳️‍🌈 e\u0301\u0301 שלום עולם مرحبا بالعالم 🇩🇪 ";
		server.enqueue({ text: odd.repeat(5) });
		instance.type(odd.repeat(3));
		instance.keys("Enter");
		await instance.waitFor("مرحبا");
		await stillWorks(instance, 1);
	});

	test("resizing while an answer streams", async () => {
		const instance = await startPi();
		server.enqueue({ text: "streaming words ".repeat(60), chunkDelayMs: 10 });
		instance.type("stream please");
		instance.keys("Enter");
		await instance.waitFor("streaming words");
		for (const [columns, rows] of [
			[20, 10],
			[150, 50],
			[10, 5],
			[80, 24],
		] as const) {
			// One resize at a time: the next once pi has drawn something after this one.
			const drawn = Bun.file(instance.outputFile).size;
			instance.resize(columns, rows);
			expect(await waitUntil(() => Bun.file(instance.outputFile).size > drawn, 30_000)).toBe(true);
		}
		await stillWorks(instance, 1);
	});
});

describe.skipIf(!tmuxBinary)("a bug while rendering", () => {
	for (const how of ["throw", "reject"] as const) {
		test(`${how === "throw" ? "an exception in render" : "an unhandled rejection"}: terminal restored, shutdown hooks ran, exit 1`, async () => {
			const env = makePiEnv();
			const saved = join(env.home, "saved.txt");
			const script = join(import.meta.dir, "fixtures/crash-in-render.ts");
			pi = new TmuxPi(env, [], undefined, [process.execPath, script, saved, how]);
			const { code } = await pi.exited();
			expect(code).toBe(1);
			await expectTerminalRestored(pi);
			expect(readFileSync(saved, "utf8")).toBe("saved");
			expect(pi.screen()).toContain(how === "throw" ? "render exploded" : "nobody caught this");
		});
	}
});
