/**
 * One private tmux server per test process (`tmux -L`), so tests never share tmux's default server with the user,
 * another test run or each other's `kill-session`. A keeper session and `exit-empty off` keep the server alive
 * between tests: without them, killing the last session makes the server exit and the next `new-session` races it
 * ("server exited unexpectedly"). Every call checks tmux's exit code and shows its stderr on failure.
 */
export const tmuxBinary = Bun.which("tmux");
if (!tmuxBinary) console.warn("terminal (tmux) tests skipped: tmux is not installed (apt-get install tmux)");

const socket = `pi-test-${process.pid}`;
let started = false;

function run(args: string[], stdin?: Uint8Array): { code: number; stdout: string; stderr: string } {
	const result = Bun.spawnSync([tmuxBinary ?? "tmux", "-L", socket, "-f", "/dev/null", ...args], {
		stdin: stdin ?? "ignore",
		stdout: "pipe",
		stderr: "pipe",
	});
	return { code: result.exitCode ?? -1, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

function ensureServer(): void {
	if (started) return;
	started = true;
	// The keeper doubles as a watchdog: `bun test` does not always run "exit" handlers, so the keeper itself kills the
	// server once the test process is gone instead of leaving one server per run behind.
	const tmuxPath = tmuxBinary ?? "tmux";
	const watchdog = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; '${tmuxPath}' -L ${socket} kill-server`;
	const keeper = run(["new-session", "-d", "-s", "keeper", "-x", "80", "-y", "24", watchdog]);
	if (keeper.code !== 0) throw new Error(`tmux new-session (keeper) failed (exit ${keeper.code}): ${keeper.stderr}`);
	const option = run(["set-option", "-g", "exit-empty", "off"]);
	if (option.code !== 0) throw new Error(`tmux set-option exit-empty failed (exit ${option.code}): ${option.stderr}`);
	// The fast path when "exit" handlers do run; kill-server returns at once.
	process.once("exit", () => {
		run(["kill-server"]);
	});
}

/** Runs one tmux command on the private server; throws with tmux's stderr when it fails. */
export function tmux(...args: string[]): string {
	ensureServer();
	const result = run(args);
	if (result.code !== 0)
		throw new Error(`tmux ${args.join(" ")} failed (exit ${result.code}): ${result.stderr.trim()}`);
	return result.stdout;
}

/** Like tmux(), for commands that read stdin (load-buffer -). */
export function tmuxWithInput(input: string, ...args: string[]): string {
	ensureServer();
	const result = run(args, new TextEncoder().encode(input));
	if (result.code !== 0)
		throw new Error(`tmux ${args.join(" ")} failed (exit ${result.code}): ${result.stderr.trim()}`);
	return result.stdout;
}

/** kill-session that tolerates a session already gone (the test's own cleanup after pi exited). */
export function killTmuxSession(name: string): void {
	if (!started) return;
	run(["kill-session", "-t", name]);
}
