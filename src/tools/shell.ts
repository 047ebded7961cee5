/**
 * Running a shell command the way pi does (pi-spec §6.5): the user's bash, its own process group so that an
 * abort or timeout can kill everything it started, stdout and stderr interleaved into one stream.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter } from "node:path";
import { agentPaths } from "../config/paths.ts";

export interface ShellConfig {
	shell: string;
	args: string[];
}

/** settings.shellPath (must exist), else /bin/bash, else bash on PATH, else sh. */
function getShellConfig(customShellPath?: string): ShellConfig {
	if (customShellPath) {
		if (existsSync(customShellPath)) return { shell: customShellPath, args: ["-c"] };
		throw new Error(`Custom shell path not found: ${customShellPath}`);
	}
	if (existsSync("/bin/bash")) return { shell: "/bin/bash", args: ["-c"] };
	const which = spawnSync("which", ["bash"], { encoding: "utf-8", timeout: 5000 });
	const onPath = which.status === 0 ? which.stdout.trim().split(/\r?\n/)[0] : undefined;
	if (onPath) return { shell: onPath, args: ["-c"] };
	return { shell: "sh", args: ["-c"] };
}

/** The process environment with pi's managed bin folder (fd, rg) first on PATH. */
function getShellEnv(): NodeJS.ProcessEnv {
	const binDir = agentPaths.bin();
	const pathKey = Object.keys(process.env).find((key) => key.toLowerCase() === "path") ?? "PATH";
	const current = process.env[pathKey] ?? "";
	const entries = current.split(delimiter).filter(Boolean);
	const path = entries.includes(binDir) ? current : [binDir, current].filter(Boolean).join(delimiter);
	return { ...process.env, [pathKey]: path };
}

/** Grace period between SIGTERM and SIGKILL for the process group. */
const KILL_GRACE_MS = 500;
/** After the shell exits, how long to wait for background children to release the output pipes. */
const EXIT_STDIO_GRACE_MS = 100;

/** Signal the process group `pid` leads; falls back to the process alone when there is no group. */
export function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		try {
			process.kill(pid, signal);
		} catch {
			// Already gone.
		}
	}
}

/** SIGTERM the whole process group, then SIGKILL whatever is left after a short grace period. */
function killProcessGroup(pid: number): void {
	signalGroup(pid, "SIGTERM");
	setTimeout(() => signalGroup(pid, "SIGKILL"), KILL_GRACE_MS).unref();
}

/**
 * Process groups of shell commands still running. They are detached (so an abort can kill the whole group),
 * which also means a signal that ends pi does not reach them: whatever ends pi must kill them, or they run on
 * as orphans. An exit hook covers every path that ends in process.exit(); signal handlers call
 * killRunningShellCommands() first.
 */
const runningGroups = new Set<number>();
let exitHookInstalled = false;

function trackGroup(pid: number): void {
	runningGroups.add(pid);
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on("exit", killRunningShellCommands);
}

/** SIGKILLs every shell command's process group still running (pi is exiting: there is no time for grace). */
export function killRunningShellCommands(): void {
	for (const pid of runningGroups) signalGroup(pid, "SIGKILL");
	runningGroups.clear();
}

export type ShellOutcome =
	| { kind: "exited"; exitCode: number | null }
	| { kind: "aborted" }
	| { kind: "timedOut"; seconds: number };

export interface RunShellOptions {
	cwd: string;
	shellPath?: string;
	/** settings.shellCommandPrefix: run before the command, on its own line. */
	commandPrefix?: string;
	env?: NodeJS.ProcessEnv;
	signal?: AbortSignal;
	/** Seconds; only a positive value sets a timeout. */
	timeoutSeconds?: number;
	onData: (chunk: Uint8Array) => void;
}

export function runShellCommand(command: string, options: RunShellOptions): Promise<ShellOutcome> {
	return new Promise((resolve, reject) => {
		if (!existsSync(options.cwd)) {
			reject(new Error(`Working directory does not exist: ${options.cwd}\nCannot execute bash commands.`));
			return;
		}
		let config: ShellConfig;
		try {
			config = getShellConfig(options.shellPath);
		} catch (error) {
			reject(error);
			return;
		}
		const fullCommand = options.commandPrefix ? `${options.commandPrefix}\n${command}` : command;
		const child = spawn(config.shell, [...config.args, fullCommand], {
			cwd: options.cwd,
			detached: true,
			env: options.env ?? getShellEnv(),
			stdio: ["ignore", "pipe", "pipe"],
		});
		const { signal, timeoutSeconds } = options;
		const groupId = child.pid;
		if (groupId !== undefined) trackGroup(groupId);
		let timedOut = false;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const kill = () => {
			if (child.pid !== undefined) killProcessGroup(child.pid);
		};
		if (timeoutSeconds !== undefined && timeoutSeconds > 0) {
			timer = setTimeout(() => {
				timedOut = true;
				kill();
			}, timeoutSeconds * 1000);
		}
		const onAbort = () => kill();
		if (signal?.aborted) onAbort();
		else signal?.addEventListener("abort", onAbort, { once: true });

		child.stdout.on("data", options.onData);
		child.stderr.on("data", options.onData);

		let settled = false;
		let openStreams = 2;
		let exitCode: number | null = null;
		let exited = false;
		let graceTimer: ReturnType<typeof setTimeout> | undefined;
		/** False when the promise is already settled. */
		const settle = () => {
			if (settled) return false;
			settled = true;
			if (groupId !== undefined) runningGroups.delete(groupId);
			if (timer) clearTimeout(timer);
			if (graceTimer) clearTimeout(graceTimer);
			signal?.removeEventListener("abort", onAbort);
			return true;
		};
		const finish = () => {
			if (!settle()) return;
			child.stdout.destroy();
			child.stderr.destroy();
			if (signal?.aborted) resolve({ kind: "aborted" });
			else if (timedOut) resolve({ kind: "timedOut", seconds: timeoutSeconds ?? 0 });
			else resolve({ kind: "exited", exitCode });
		};
		const onStreamEnd = () => {
			openStreams--;
			if (exited && openStreams <= 0) finish();
		};
		child.stdout.once("close", onStreamEnd);
		child.stderr.once("close", onStreamEnd);
		child.once("error", (error) => {
			if (settle()) reject(error);
		});
		child.once("exit", (code) => {
			exited = true;
			exitCode = code;
			if (openStreams <= 0) finish();
			// A background child may keep the pipes open forever; stop waiting for it shortly after the shell exits.
			else graceTimer = setTimeout(finish, EXIT_STDIO_GRACE_MS);
		});
	});
}
