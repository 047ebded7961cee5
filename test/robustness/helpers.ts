/**
 * Helpers for the robustness tests: a pi subprocess whose output can be awaited line by line (so signals are sent
 * at a known moment, not after a sleep), session-file checks, and process-liveness checks.
 */
import { readFileSync } from "node:fs";
import { constants } from "node:os";
import { type PiEnv, piCommand } from "../support/run-pi.ts";

export interface LivePi {
	proc: Bun.Subprocess<"pipe" | "ignore", "pipe", "pipe">;
	/** Everything read from stdout so far. */
	stdout(): string;
	stderr(): string;
	/** Resolves once stdout contains `text`. */
	waitForStdout(text: string, timeoutMs?: number): Promise<void>;
	/** Exit code (128+n when killed by signal n), after all output was read. */
	finished(): Promise<number>;
}

export function spawnPi(args: string[], env: PiEnv, extraEnv: Record<string, string> = {}): LivePi {
	const proc = Bun.spawn([...piCommand(), ...args], {
		cwd: env.cwd,
		env: { ...env.env, ...extraEnv },
		stdin: "ignore",
		stdout: "pipe",
		stderr: "pipe",
	});
	let out = "";
	let err = "";
	const waiters: { text: string; resolve: () => void }[] = [];
	const pump = async (stream: ReadableStream<Uint8Array>, onText: (text: string) => void) => {
		const decoder = new TextDecoder();
		for await (const chunk of stream) onText(decoder.decode(chunk, { stream: true }));
	};
	const outDone = pump(proc.stdout, (text) => {
		out += text;
		for (const waiter of [...waiters]) {
			if (out.includes(waiter.text)) {
				waiters.splice(waiters.indexOf(waiter), 1);
				waiter.resolve();
			}
		}
	});
	const errDone = pump(proc.stderr, (text) => {
		err += text;
	});
	return {
		proc,
		stdout: () => out,
		stderr: () => err,
		waitForStdout(text, timeoutMs = 15_000) {
			if (out.includes(text)) return Promise.resolve();
			return new Promise((resolve, reject) => {
				const timer = setTimeout(
					() => reject(new Error(`timed out waiting for ${text}\nstdout:\n${out.slice(-2000)}\nstderr:\n${err}`)),
					timeoutMs,
				);
				waiters.push({
					text,
					resolve: () => {
						clearTimeout(timer);
						resolve();
					},
				});
			});
		},
		async finished() {
			await Promise.all([outDone, errDone]);
			const code = await proc.exited;
			return proc.signalCode ? 128 + constants.signals[proc.signalCode as NodeJS.Signals] : code;
		},
	};
}

/** Every line of a session file parsed as JSON; throws on a torn or invalid line. */
export function readSessionLines(path: string): { type: string; message?: { role?: string; stopReason?: string } }[] {
	const text = readFileSync(path, "utf8");
	if (!text.endsWith("\n"))
		throw new Error(`session file does not end with a newline: ${JSON.stringify(text.slice(-80))}`);
	return text
		.split("\n")
		.filter((line) => line.length > 0)
		.map((line) => JSON.parse(line));
}

export function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

export async function waitUntil(predicate: () => boolean, timeoutMs = 15_000): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (predicate()) return true;
		await Bun.sleep(25);
	}
	return predicate();
}

/** Stack-trace markers that must never reach a user for an environmental problem. */
export function hasStackTrace(text: string): boolean {
	return /\n\s+at .+:\d+:\d+/.test(text) || text.includes("Bun v1.");
}
