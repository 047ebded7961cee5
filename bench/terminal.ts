/**
 * Shared by the benches that drive pi in a real terminal (tmux, test/support/tmux-server.ts's private server): start
 * a pi command in a fresh tmux session, wait for what it draws, and read the process's CPU and memory from /proc.
 */
import { readFileSync } from "node:fs";
import type { PiEnv } from "../test/support/run-pi.ts";
import { tmux } from "../test/support/tmux-server.ts";

const CLOCK_TICKS_PER_SECOND = Number(Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim()) || 100;

/**
 * utime + stime of the whole process (every thread: Node's GC and libuv threads count too) from /proc/<pid>/stat,
 * in ms. The resolution is one clock tick (10 ms on Linux).
 */
export function processCpuMs(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
	// Fields after the command name (which may hold spaces and parentheses): state is field 3, utime 14, stime 15.
	const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
	return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** CPU time of the process's main thread in ms, from /proc/<pid>/schedstat (nanosecond resolution). */
export function mainThreadCpuMs(pid: number): number {
	return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
}

function statusMb(pid: number, field: "VmRSS" | "VmHWM"): number {
	const match = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
	return Number(match?.[1] ?? 0) / 1024;
}

/** Resident memory now, in MB. */
export const rssMbOf = (pid: number) => statusMb(pid, "VmRSS");
/** The highest resident memory of the process's life so far, in MB. */
export const peakRssMbOf = (pid: number) => statusMb(pid, "VmHWM");

/**
 * Starts `command` in a new detached tmux session of the given size, in the environment's cwd and with its variables;
 * returns the pid of the process (tmux executes a command given as several arguments directly, without a shell).
 */
export function startInTmux(name: string, command: string[], env: PiEnv, columns = 120, rows = 40): number {
	const envFlags = Object.entries(env.env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
	tmux("new-session", "-d", "-s", name, "-x", `${columns}`, "-y", `${rows}`, "-c", env.cwd, ...envFlags, ...command);
	return Number(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").trim());
}

/** Polls the visible screen until `done` holds; throws with the screen after `timeoutMs`. */
export async function waitForScreen(
	name: string,
	done: (screen: string) => boolean,
	what: string,
	{ timeoutMs = 120_000, pollMs = 2 } = {},
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	let screen = "";
	while (Date.now() < deadline) {
		screen = tmux("capture-pane", "-p", "-t", name);
		if (done(screen)) return;
		await Bun.sleep(pollMs);
	}
	throw new Error(`${name}: no ${what} after ${timeoutMs} ms; the screen:\n${screen}`);
}

/**
 * Waits until the process has used less than one clock tick of CPU for `quietMs` and returns its CPU time at the
 * start of that quiet stretch: the moment its work (a streamed answer, a turn) was done.
 */
export async function waitUntilQuiet(pid: number, { quietMs = 300, pollMs = 50, timeoutMs = 120_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	let since = Date.now();
	let cpu = processCpuMs(pid);
	while (Date.now() < deadline) {
		await Bun.sleep(pollMs);
		const now = processCpuMs(pid);
		if (now !== cpu) {
			cpu = now;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) return cpu;
	}
	throw new Error(`process ${pid} still busy after ${timeoutMs} ms`);
}

/** Types `text` into the pane and waits until it is drawn (so a following Enter is a key press of its own). */
export async function typeText(name: string, text: string): Promise<void> {
	tmux("send-keys", "-t", name, "-l", text);
	await waitForScreen(name, (screen) => screen.includes(text), `typed "${text}"`, { timeoutMs: 30_000, pollMs: 10 });
}
