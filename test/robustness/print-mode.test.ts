/**
 * Print and JSON mode when the world misbehaves: the reader closes stdout, stdout is a full disk, the user
 * interrupts mid-stream or mid-tool, the provider answers garbage. Every case must end with a one-line message
 * (never a stack trace), the documented exit code, a valid session file and no orphaned tool processes.
 */
import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, type PiEnv, piCommand, runPi, sessionFiles } from "../support/run-pi.ts";
import { hasStackTrace, isAlive, readSessionLines, spawnPi, waitUntil } from "./helpers.ts";

// One server per test: a test that fails half-way must not leave scripted turns for the next one.
let server: LlmTestServer;
beforeEach(async () => {
	server = await startLlmServer();
});
afterEach(async () => {
	await server.close();
});

/** Auto-retry (ours, or the provider SDK's) would turn a scripted failure into the next queued (successful) turn. */
function withoutRetry(env: PiEnv): PiEnv {
	const path = join(env.agentDir, "settings.json");
	const settings = existsSync(path) ? JSON.parse(readFileSync(path, "utf8")) : {};
	const retry = { enabled: false, provider: { maxRetries: 0 } };
	writeFileSync(path, JSON.stringify({ ...settings, retry }));
	return env;
}

const shellQuote = (part: string) => `'${part.replace(/'/g, `'\\''`)}'`;

/** Runs `pi <args> | head -c <bytes>` in a shell and returns pi's exit status and stderr. */
async function runPiIntoHead(args: string[], bytes: number) {
	const env = makePiEnv(server.url);
	const pi = [...piCommand(), ...args].map(shellQuote).join(" ");
	const script = `${pi} 2>"$ERRFILE" | head -c ${bytes} >/dev/null; echo "\${PIPESTATUS[0]}"`;
	const errFile = join(env.home, "stderr.txt");
	const proc = Bun.spawn(["bash", "-c", script], {
		cwd: env.cwd,
		env: { ...env.env, ERRFILE: errFile },
		stdout: "pipe",
	});
	const status = Number((await new Response(proc.stdout).text()).trim());
	await proc.exited;
	return { env, status, stderr: readFileSync(errFile, "utf8") };
}

describe("stdout goes away", () => {
	test("text mode into `head -c 10`: no EPIPE stack trace, exit 0, session kept", async () => {
		server.enqueue({ text: "hello world ".repeat(40_000) });
		const { env, status, stderr } = await runPiIntoHead(["-p", "hi"], 10);
		expect(stderr).toBe("");
		expect(status).toBe(0);
		const [file] = sessionFiles(env);
		expect(file).toBeDefined();
		if (file) expect(readSessionLines(file).some((line) => line.message?.role === "assistant")).toBe(true);
	});

	test("json mode into `head -c 10`: no stack trace, stops quickly", async () => {
		server.enqueue({ text: "chunk ".repeat(20_000), chunkDelayMs: 1 });
		const { status, stderr } = await runPiIntoHead(["--mode", "json", "hi"], 10);
		expect(hasStackTrace(stderr)).toBe(false);
		expect(stderr).toBe("");
		expect(status).toBe(0);
	});

	test("stdout is a full disk: one-line error, exit 1", async () => {
		server.enqueue({ text: "hello world ".repeat(40_000) });
		const env = makePiEnv(server.url);
		const proc = Bun.spawn([...piCommand(), "-p", "hi"], {
			cwd: env.cwd,
			env: env.env,
			stdout: Bun.file("/dev/full"),
			stderr: "pipe",
		});
		const stderr = await new Response(proc.stderr).text();
		expect(await proc.exited).toBe(1);
		expect(hasStackTrace(stderr)).toBe(false);
		expect(stderr).toContain("no space left on device");
	});
});

describe("signals", () => {
	for (const [signal, code] of [
		["SIGTERM", 143],
		["SIGHUP", 129],
		["SIGINT", 130],
	] as const) {
		test(`${signal} mid-stream: exit ${code}, session file whole and valid`, async () => {
			server.enqueue({ text: "word ".repeat(2000), chunkDelayMs: 5 });
			const env = makePiEnv(server.url);
			const pi = spawnPi(["--mode", "json", "hi"], env);
			await pi.waitForStdout('"type":"message_update"');
			pi.proc.kill(signal);
			expect(await pi.finished()).toBe(code);
			expect(hasStackTrace(pi.stderr())).toBe(false);
			const [file] = sessionFiles(env);
			expect(file).toBeDefined();
			if (file) {
				const lines = readSessionLines(file);
				expect(lines[0]?.type).toBe("session");
				expect(lines.some((line) => line.message?.role === "user")).toBe(true);
			}
		});
	}

	for (const [signal, code] of [
		["SIGTERM", 143],
		["SIGINT", 130],
	] as const) {
		test(`${signal} mid-tool: the bash tool's processes are killed, session valid`, async () => {
			const env = makePiEnv(server.url);
			const pidFile = join(env.cwd, "child.pid");
			server.enqueue({
				toolCalls: [{ name: "bash", arguments: { command: `sleep 60 & echo $! > ${pidFile}; echo started; wait` } }],
			});
			const pi = spawnPi(["--mode", "json", "run it"], env);
			await pi.waitForStdout('"type":"tool_execution_update"');
			expect(await waitUntil(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "")).toBe(true);
			const childPid = Number(readFileSync(pidFile, "utf8").trim());
			expect(isAlive(childPid)).toBe(true);
			pi.proc.kill(signal);
			expect(await pi.finished()).toBe(code);
			expect(await waitUntil(() => !isAlive(childPid), 10_000)).toBe(true);
			const [file] = sessionFiles(env);
			if (file) expect(readSessionLines(file)[0]?.type).toBe("session");
		});
	}
});

describe("provider failures are one clear line", () => {
	const cases: [string, () => void, RegExp][] = [
		[
			"HTML error page",
			() =>
				server.enqueue({
					kind: "http-error",
					status: 502,
					body: "<html>\n<head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1>\n<hr>nginx</body>\n</html>",
					headers: { "content-type": "text/html" },
				}),
			/^502 .*502 Bad Gateway \(HTML error page\)\n$/,
		],
		["401 invalid key", () => server.enqueue({ kind: "http-error", status: 401 }), /401/],
		["connection dropped mid-answer", () => server.enqueue({ kind: "disconnect-after", text: "partial" }), /./],
	];
	for (const [name, script, pattern] of cases) {
		test(name, async () => {
			script();
			const env = withoutRetry(makePiEnv(server.url));
			const result = await runPi(["-p", "hi"], env);
			expect(result.exitCode).toBe(1);
			expect(hasStackTrace(result.stderr)).toBe(false);
			expect(result.stderr.trim().split("\n").length).toBeLessThanOrEqual(2);
			expect(result.stderr).toMatch(pattern);
			const [file] = sessionFiles(env);
			if (file) readSessionLines(file);
		});
	}

	// The openai SDK would log "Could not parse message into JSON" and the raw chunk itself (logLevel "off" stops it).
	test("garbage stream: only pi's own one-line error", async () => {
		server.enqueue({ kind: "malformed" });
		const env = withoutRetry(makePiEnv(server.url));
		const result = await runPi(["-p", "hi"], env);
		expect(result.exitCode).toBe(1);
		expect(result.stderr.trim().split("\n")).toHaveLength(1);
	});

	test("connection refused (closed port)", async () => {
		const env = withoutRetry(makePiEnv("http://127.0.0.1:1"));
		const result = await runPi(["-p", "hi"], env);
		expect(result.exitCode).toBe(1);
		expect(hasStackTrace(result.stderr)).toBe(false);
		expect(result.stderr.length).toBeGreaterThan(0);
		expect(result.stderr.length).toBeLessThan(400);
	});
});

describe("the environment", () => {
	test("started in a folder that was deleted: one-line error, no stack trace", async () => {
		const env = makePiEnv(server.url);
		const gone = join(env.home, "gone");
		const pi = [...piCommand(), "-p", "hi"].map(shellQuote).join(" ");
		const proc = Bun.spawn(["bash", "-c", `mkdir ${gone} && cd ${gone} && rmdir ${gone} && exec ${pi}`], {
			env: env.env,
			stdout: "pipe",
			stderr: "pipe",
		});
		const [stderr, code] = await Promise.all([new Response(proc.stderr).text(), proc.exited]);
		expect(code).toBe(1);
		expect(hasStackTrace(stderr)).toBe(false);
		// The compiled binary's runtime refuses even earlier, with its own one-line message.
		expect(stderr.trim().split("\n")).toHaveLength(1);
		expect(stderr).toMatch(/deleted/i);
	});
});
