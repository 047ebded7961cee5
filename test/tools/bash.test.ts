import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { AgentToolResult } from "../../src/agent/types.ts";
import { type BashToolDetails, createBashTool } from "../../src/tools/bash.ts";
import { executeBash } from "../../src/tools/bash-executor.ts";
import { errorOf, run, tempDir, textOf } from "./helpers.ts";

/** Running (a zombie waiting for its new parent to reap it counts as dead: it was killed). */
function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	try {
		const state = readFileSync(`/proc/${pid}/stat`, "utf-8").split(") ")[1]?.[0];
		return state !== "Z";
	} catch {
		return true;
	}
}

async function waitFor(predicate: () => boolean, timeoutMs = 3000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!predicate()) {
		if (Date.now() > deadline) throw new Error("condition not met in time");
		await Bun.sleep(20);
	}
}

describe("bash tool", () => {
	test("runs in cwd, merges stdout and stderr", async () => {
		const dir = tempDir();
		const result = await run(createBashTool(dir), { command: "pwd; echo err >&2" });
		// stdout and stderr are separate pipes (as in pi), so their relative order is not fixed.
		expect(textOf(result).split("\n").sort()).toEqual(["", dir, "err"].sort());
		expect(result.details).toBeUndefined();
	});

	test("empty output and non-zero exit (an error result, pi 1.6.0)", async () => {
		const dir = tempDir();
		expect(textOf(await run(createBashTool(dir), { command: "true" }))).toBe("(no output)");
		// pi 1.6.0: a non-zero exit is an error result (the model sees the text), which codemode scripts still get
		// as a structured value.
		const failed = await run(createBashTool(dir), { command: "echo out; exit 3" });
		expect(failed.isError).toBe(true);
		expect(textOf(failed)).toBe("out\n\n\nCommand exited with code 3");
		expect(failed.structuredContent).toMatchObject({ output: "out\n", truncated: false, exit_code: 3 });
		const silent = await run(createBashTool(dir), { command: "exit 4" });
		expect(textOf(silent)).toBe("(no output)\n\nCommand exited with code 4");
		// A shell killed by a signal reports 128 + the signal's number, not success.
		expect(textOf(await run(createBashTool(dir), { command: "kill -9 $$" }))).toBe(
			"(no output)\n\nCommand exited with code 137",
		);
	});

	test("timeout must be a positive number of seconds (pi 1.6.0)", async () => {
		const dir = tempDir();
		expect(await errorOf(run(createBashTool(dir), { command: "true", timeout: 0 }))).toBe(
			"Invalid timeout: must be a finite number of seconds",
		);
		expect(await errorOf(run(createBashTool(dir), { command: "true", timeout: 1e10 }))).toBe(
			"Invalid timeout: maximum is 2147483.647 seconds",
		);
	});

	test("the session's PI_* variables reach the command; inherited ones never leak through", async () => {
		const dir = tempDir();
		process.env.PI_MODEL = "inherited";
		try {
			const plain = await run(createBashTool(dir), { command: 'echo "[$PI_MODEL]"' });
			expect(textOf(plain)).toBe("[inherited]\n");
			const bash = createBashTool(dir, {
				sessionEnvironment: () => ({ PI_SESSION_ID: "s-1", PI_REASONING_LEVEL: "high" }),
			});
			const result = await run(bash, { command: 'echo "$PI_SESSION_ID $PI_REASONING_LEVEL [$PI_MODEL]"' });
			expect(textOf(result)).toBe("s-1 high []\n");
		} finally {
			delete process.env.PI_MODEL;
		}
	});

	test("shellCommandPrefix is prepended on its own line", async () => {
		const dir = tempDir();
		const bash = createBashTool(dir, { shellCommandPrefix: "GREETING=hi" });
		expect(textOf(await run(bash, { command: "echo $GREETING" }))).toBe("hi\n");
	});

	test("custom shell path must exist; missing cwd is reported", async () => {
		const dir = tempDir();
		expect(await errorOf(run(createBashTool(dir, { shellPath: "/no/such/shell" }), { command: "true" }))).toBe(
			"Custom shell path not found: /no/such/shell",
		);
		expect(await errorOf(run(createBashTool(join(dir, "gone")), { command: "true" }))).toBe(
			`Working directory does not exist: ${join(dir, "gone")}\nCannot execute bash commands.`,
		);
	});

	test("streams throttled updates while running", async () => {
		const dir = tempDir();
		const updates: AgentToolResult<BashToolDetails | undefined>[] = [];
		await run(
			createBashTool(dir),
			{ command: "for i in 1 2 3; do echo $i; sleep 0.15; done" },
			{
				onUpdate: (partial) => updates.push(partial),
			},
		);
		expect(updates[0]).toEqual({ content: [], details: undefined });
		const texts = updates.slice(1).map((u) => textOf(u));
		expect(texts.length).toBeGreaterThanOrEqual(3);
		expect(texts.at(-1)).toBe("1\n2\n3\n");
		expect(texts.some((t) => t === "1\n")).toBe(true);
	});

	test("timeout kills the command", async () => {
		const dir = tempDir();
		const started = Date.now();
		expect(await errorOf(run(createBashTool(dir), { command: "echo start; sleep 10", timeout: 0.3 }))).toBe(
			"start\n\n\nCommand timed out after 0.3 seconds",
		);
		expect(Date.now() - started).toBeLessThan(3000);
	});

	test("abort kills the whole process group, grandchildren included", async () => {
		const dir = tempDir();
		const pidFile = join(dir, "pid");
		const controller = new AbortController();
		const pending = run(
			createBashTool(dir),
			{ command: `sh -c 'sleep 30 & echo $! > ${pidFile}; wait'` },
			{
				signal: controller.signal,
			},
		);
		await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf-8").trim() !== "");
		const pid = Number(readFileSync(pidFile, "utf-8").trim());
		expect(isAlive(pid)).toBe(true);
		controller.abort();
		expect(await errorOf(pending)).toBe("Command aborted");
		await waitFor(() => !isAlive(pid));
	});

	test("non-UTF-8 output is decoded lossily", async () => {
		const dir = tempDir();
		const result = await run(createBashTool(dir), { command: "printf 'a\\377b\\n'" });
		expect(textOf(result)).toBe("a\uFFFDb\n");
	});

	test("huge output keeps the tail and spills everything to a temp file", async () => {
		const dir = tempDir();
		const result = await run(createBashTool(dir), { command: "seq 1 100000" });
		const text = textOf(result);
		const path = result.details?.fullOutputPath ?? "";
		expect(path).toMatch(/\/pi-bash-[0-9a-f]{16}\.log$/);
		// pi 1.6.0 counts lines as wc does: the final newline ends the last line.
		expect(text).toEndWith(`99999\n100000\n\n[Showing lines 98001-100000 of 100000. Full output: ${path}]`);
		expect(result.details?.truncation).toMatchObject({ truncated: true, truncatedBy: "lines", totalLines: 100000 });
		const full = readFileSync(path, "utf-8");
		expect(full.startsWith("1\n2\n3\n")).toBe(true);
		expect(full.split("\n").length).toBe(100001);
	});

	test("one enormous line shows its end and the line size", async () => {
		const dir = tempDir();
		const result = await run(createBashTool(dir), { command: "head -c 60000 /dev/zero | tr '\\0' x" });
		expect(textOf(result)).toMatch(
			/^x{51200}\n\n\[Showing last 50\.0KB of line 1 \(line is 58\.6KB\)\. Full output: .*pi-bash-.*\.log\]$/,
		);
	});
});

describe("executeBash (the user's !cmd)", () => {
	test("non-zero exit is a result; ANSI, control characters and CR are removed", async () => {
		const dir = tempDir();
		const chunks: string[] = [];
		const result = await executeBash("printf '\\033[31mred\\033[0m\\r\\n\\001bell\\n'; exit 2", {
			cwd: dir,
			onChunk: (chunk) => chunks.push(chunk),
		});
		expect(result).toEqual({
			output: "red\nbell\n",
			exitCode: 2,
			cancelled: false,
			truncated: false,
			fullOutputPath: undefined,
		});
		expect(chunks.join("")).toBe("red\nbell\n");
	});

	test("abort reports cancelled with no exit code", async () => {
		const dir = tempDir();
		const controller = new AbortController();
		setTimeout(() => controller.abort(), 100);
		const result = await executeBash("echo before; sleep 10", { cwd: dir, signal: controller.signal });
		expect(result).toMatchObject({ output: "before\n", exitCode: undefined, cancelled: true });
	});

	test("timeout and truncation", async () => {
		const dir = tempDir();
		const timed = await executeBash("sleep 10", { cwd: dir, timeoutSeconds: 0.2 });
		expect(timed.cancelled).toBe(true);
		const big = await executeBash("seq 1 3000", { cwd: dir });
		expect(big.truncated).toBe(true);
		expect(big.output.startsWith("1001\n")).toBe(true);
		expect(readFileSync(big.fullOutputPath ?? "", "utf-8").startsWith("1\n2\n")).toBe(true);
	});
});
