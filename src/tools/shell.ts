/**
 * Running a shell command the way pi does (pi-spec §6.5): the user's bash (found as pi 1.6.0 finds it, Git Bash
 * on Windows: shell-resolve.ts), its own process group so that an abort or timeout can kill everything it started
 * (on Windows `taskkill /T /F`, which kills the process tree), stdout and stderr interleaved into one stream.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import { delimiter } from "node:path";
import { agentPaths } from "../config/paths.ts";
import { resolveBashShell, type ShellConfig, windowsTreeKillCommand } from "./shell-resolve.ts";

export type { ShellConfig } from "./shell-resolve.ts";

/** The environment of a shell command: ours, with pi's bin folder (managed rg/fd) on the PATH. */
export function shellEnvironment(): NodeJS.ProcessEnv {
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

const isWindows = process.platform === "win32";

/** Windows has no process groups to signal: taskkill ends the process and every process it started. */
export function killWindowsTree(pid: number): void {
	const [command = "taskkill.exe", ...args] = windowsTreeKillCommand(pid);
	try {
		const child = spawn(command, args, { stdio: "ignore", detached: true, windowsHide: true });
		child.once("error", () => {}); // taskkill missing: nothing more can be done
		child.unref();
	} catch {
		// Ignore: the process may already be gone.
	}
}

/** SIGTERM the whole process group, then SIGKILL whatever is left after a short grace period. */
function killProcessGroup(pid: number): void {
	if (isWindows) {
		killWindowsTree(pid);
		return;
	}
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
	for (const pid of runningGroups) {
		if (isWindows) killWindowsTree(pid);
		else signalGroup(pid, "SIGKILL");
	}
	runningGroups.clear();
}

export type ShellOutcome =
	| { kind: "exited"; exitCode: number | null }
	| { kind: "aborted" }
	| { kind: "timedOut"; seconds: number };

export interface RunShellOptions {
	cwd: string;
	shellPath?: string;
	/** Another shell than bash (the powershell tool); `wrap` turns the command into that shell's script. */
	shell?: () => { shell: ShellConfig; wrap?: (command: string) => string };
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
		const shellName = options.shell ? "PowerShell" : "bash";
		if (!existsSync(options.cwd)) {
			reject(new Error(`Working directory does not exist: ${options.cwd}\nCannot execute ${shellName} commands.`));
			return;
		}
		let config: ShellConfig;
		let wrap: ((command: string) => string) | undefined;
		try {
			if (options.shell) ({ shell: config, wrap } = options.shell());
			else config = resolveBashShell(options.shellPath);
		} catch (error) {
			reject(error);
			return;
		}
		const prefixed = options.commandPrefix ? `${options.commandPrefix}\n${command}` : command;
		const fullCommand = wrap ? wrap(prefixed) : prefixed;
		const viaStdin = config.commandTransport === "stdin";
		const child = spawn(config.shell, viaStdin ? config.args : [...config.args, fullCommand], {
			cwd: options.cwd,
			// Unix: its own process group, so that a kill reaches everything it started. Windows: a detached child
			// would get its own console window; taskkill /T finds the tree without a group.
			detached: !isWindows,
			windowsHide: true,
			env: options.env ?? shellEnvironment(),
			stdio: ["pipe", "pipe", "pipe"],
		});
		// stdin is closed at once (the command reads EOF), except that the legacy WSL bash.exe, which mangles quoting
		// in its arguments, gets the command there.
		child.stdin.on("error", () => {});
		child.stdin.end(viaStdin ? fullCommand : undefined);
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
		child.once("exit", (code, signalName) => {
			exited = true;
			// A shell killed by a signal has no exit code: the shell convention 128 + signal number, as pi 1.6.0, so
			// the kill is not mistaken for success.
			exitCode = code ?? (signalName ? 128 + (constants.signals[signalName] ?? 0) : 1);
			if (openStreams <= 0) finish();
			// A background child may keep the pipes open forever; stop waiting for it shortly after the shell exits.
			else graceTimer = setTimeout(finish, EXIT_STDIO_GRACE_MS);
		});
	});
}
