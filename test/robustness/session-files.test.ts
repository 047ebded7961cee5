/**
 * Damaged session files: a crash can tear the last line, a disk can put NUL bytes in it, users symlink files,
 * disks fill up. Each case must give a clear message, keep the run going where possible and never destroy
 * what is already on disk.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
	appendFileSync,
	chmodSync,
	lstatSync,
	readdirSync,
	readFileSync,
	renameSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, piCommand, runPi, sessionFiles } from "../support/run-pi.ts";
import { giveToNobody, permissionTestsUnavailable } from "../support/unprivileged.ts";
import { hasStackTrace, readSessionLines, spawnPi } from "./helpers.ts";

let server: LlmTestServer;
beforeEach(async () => {
	server = await startLlmServer();
});
afterEach(async () => {
	await server.close();
});

/** A project with one finished exchange on disk; returns its session file. */
async function sessionWithOneExchange(): Promise<{ env: PiEnv; file: string }> {
	const env = makePiEnv(server.url);
	server.enqueue({ text: "first answer" });
	const result = await runPi(["-p", "first question"], env);
	expect(result.exitCode).toBe(0);
	const [file] = sessionFiles(env);
	if (!file) throw new Error("no session file was written");
	return { env, file };
}

describe("damaged session files are read around, not lost", () => {
	const damages: [string, (file: string) => void][] = [
		[
			"last line torn by a crash",
			(file) => {
				const text = readFileSync(file, "utf8");
				writeFileSync(file, text.slice(0, text.length - 30));
			},
		],
		["NUL bytes appended (crash on some filesystems)", (file) => appendFileSync(file, "\0\0\0\0\0\0")],
		[
			"NUL bytes inside a line",
			(file) => writeFileSync(file, readFileSync(file, "utf8").replace("first question", "first\0question")),
		],
	];
	for (const [name, damage] of damages) {
		test(name, async () => {
			const { env, file } = await sessionWithOneExchange();
			damage(file);
			server.enqueue({ text: "second answer" });
			const result = await runPi(["--session", file, "-p", "second question"], env);
			expect(result.exitCode).toBe(0);
			expect(result.stdout).toBe("second answer\n");
			expect(hasStackTrace(result.stderr)).toBe(false);
			expect(result.stderr).toContain("skipped a line");
			// The damaged line is skipped, everything after it is whole JSON again.
			const tail = readFileSync(file, "utf8").split("\n").slice(-3, -1);
			for (const line of tail) expect(() => JSON.parse(line)).not.toThrow();
			expect(readFileSync(file, "utf8")).toContain("second answer");
		});
	}

	test("a symlinked session file stays a symlink and the target gets the new entries", async () => {
		const { env, file } = await sessionWithOneExchange();
		const real = join(env.home, "elsewhere.jsonl");
		renameSync(file, real);
		symlinkSync(real, file);
		server.enqueue({ text: "second answer" });
		const result = await runPi(["--session", file, "-p", "second question"], env);
		expect(result.exitCode).toBe(0);
		expect(lstatSync(file).isSymbolicLink()).toBe(true);
		expect(readFileSync(real, "utf8")).toContain("second answer");
	});

	test("a file that is not a session is backed up before anything replaces it", async () => {
		const { env, file } = await sessionWithOneExchange();
		const garbage = Buffer.from([0xff, 0xfe, 0, 1, 2, 10, 200, 10]);
		writeFileSync(file, garbage);
		const result = await runPi(["--session", file, "-p", "again"], env);
		expect(hasStackTrace(result.stderr)).toBe(false);
		const dir = dirname(file);
		const kept = readdirSync(dir).some((name) => {
			const path = join(dir, name);
			return readFileSync(path).equals(garbage);
		});
		expect(kept).toBe(true);
	});

	test("a directory where the session file should be: one-line error", async () => {
		const { env, file } = await sessionWithOneExchange();
		rmSync(file);
		Bun.spawnSync(["mkdir", file]);
		const result = await runPi(["--session", file, "-p", "again"], env);
		expect(result.exitCode).toBe(1);
		expect(hasStackTrace(result.stderr)).toBe(false);
		expect(result.stderr.trim().split("\n")).toHaveLength(1);
	});
});

describe("the sessions folder cannot be created", () => {
	test("a file where the sessions folder should be: one-line error before any work", async () => {
		const env = makePiEnv(server.url);
		writeFileSync(join(env.agentDir, "sessions"), "not a folder");
		const result = await runPi(["-p", "hi"], env);
		expect(result.exitCode).toBe(1);
		expect(hasStackTrace(result.stderr)).toBe(false);
		expect(result.stderr.trim().split("\n")).toHaveLength(1);
		expect(result.stderr).toContain("Cannot create the session folder");
		expect(server.requests).toHaveLength(0);
	});
});

describe("special files among the sessions", () => {
	test("a FIFO named like a session file does not hang --continue or the session list", async () => {
		const { env, file } = await sessionWithOneExchange();
		const fifo = join(dirname(file), "2099-01-01T00-00-00-000Z_fifo.jsonl");
		expect(Bun.spawnSync(["mkfifo", fifo]).exitCode).toBe(0);
		server.enqueue({ text: "continued" });
		const result = await runPi(["-c", "-p", "again"], env);
		expect(result.stdout).toBe("continued\n");
		expect(readFileSync(file, "utf8")).toContain("continued");
		const { listSessionsInDir } = await import("../../src/session/session-list.ts");
		const infos = await listSessionsInDir(dirname(file));
		expect(infos.map((info) => info.path)).toEqual([file]);
	});

	test("--session naming a FIFO: one-line error instead of a hang", async () => {
		const env = makePiEnv(server.url);
		const fifo = join(env.home, "pipe.jsonl");
		Bun.spawnSync(["mkfifo", fifo]);
		const result = await runPi(["--session", fifo, "-p", "again"], env);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toContain("not a regular file");
		expect(hasStackTrace(result.stderr)).toBe(false);
	});
});

describe("the disk fills up while a session is being written", () => {
	test("appending fails: one clear error, no stack trace, the process ends", async () => {
		const { env, file } = await sessionWithOneExchange();
		// The answer waits halfway until the file is swapped, so the swap lands before the answer is saved.
		const swapped = Promise.withResolvers<void>();
		server.enqueue({ text: "word ".repeat(400), holdHalfwayUntil: swapped.promise });
		const pi = spawnPi(["--session", file, "--mode", "json", "second question"], env);
		await pi.waitForStdout('"type":"message_update"');
		// From now on every write to the session file fails like a full disk.
		const saved = readFileSync(file);
		rmSync(file);
		symlinkSync("/dev/full", file);
		swapped.resolve();
		const code = await pi.finished();
		rmSync(file);
		writeFileSync(file, saved);
		expect(hasStackTrace(pi.stderr())).toBe(false);
		expect(pi.stderr()).toContain("no space left on device");
		expect(code).toBe(1);
		expect(readSessionLines(file)[0]?.type).toBe("session");
	});
});

describe("SessionManager keeps unsaved entries and writes them once the disk has room again", () => {
	test("a failed append is reported once and retried with the next entry", async () => {
		const { SessionManager } = await import("../../src/session/session-manager.ts");
		const { assistant, user } = await import("../session/helpers.ts");
		const env = makePiEnv();
		const manager = SessionManager.create(env.cwd, join(env.home, "sessions"));
		const failures: string[] = [];
		manager.onSaveFailure((failure) => failures.push(failure.message));
		manager.appendMessage(user("one"));
		manager.appendMessage(assistant("two"));
		const file = manager.getSessionFile();
		if (!file) throw new Error("no session file");
		const saved = readFileSync(file);
		rmSync(file);
		symlinkSync("/dev/full", file);
		manager.appendMessage(user("three"));
		manager.appendMessage(assistant("four"));
		expect(failures).toHaveLength(1);
		expect(failures[0]).toContain("no space left on device");
		expect(manager.getSaveFailure()).toBeDefined();
		rmSync(file);
		writeFileSync(file, saved);
		manager.appendMessage(user("five"));
		expect(manager.getSaveFailure()).toBeUndefined();
		const texts = readSessionLines(file)
			.filter((line) => line.type === "message")
			.map((line) => JSON.stringify(line.message));
		expect(texts).toHaveLength(5);
		for (const word of ["one", "two", "three", "four", "five"]) expect(texts.join()).toContain(word);
	});
});

// Permission tests mean nothing as root (root may write anything): as root, pi runs as nobody (unprivileged.ts).
describe.skipIf(permissionTestsUnavailable(piCommand()) !== undefined)("permissions", () => {
	test("a read-only session file: the answer is printed, the failure to save is one line, exit 1", async () => {
		const { env, file } = await sessionWithOneExchange();
		giveToNobody(env.home);
		chmodSync(file, 0o444);
		server.enqueue({ text: "second answer" });
		const result = await runPi(["--session", file, "-p", "second question"], env, { asNobody: true });
		chmodSync(file, 0o644);
		expect(result.stdout).toBe("second answer\n");
		expect(result.stderr).toContain("Cannot save the session");
		expect(hasStackTrace(result.stderr)).toBe(false);
		expect(result.exitCode).toBe(1);
	});

	test("an unreadable settings.json is a warning, not a crash", async () => {
		const env = makePiEnv(server.url);
		const settings = join(env.agentDir, "settings.json");
		giveToNobody(env.home);
		chmodSync(settings, 0o000);
		const result = await runPi(["-p", "hi", "--provider", "test", "--model", "test-model"], env, { asNobody: true });
		chmodSync(settings, 0o644);
		expect(hasStackTrace(result.stderr)).toBe(false);
		expect(result.stderr).toContain("settings.json");
		expect(result.stdout).toBe("ok\n");
	});
});
