/**
 * Other ways to run a bash command than the local shell, in the shape runShellCommand has: pi's `BashOperations`
 * (an extension runs the command elsewhere, e.g. over SSH: the bash tool's `operations` option, `user_bash`) and a
 * spawn hook (an extension adjusts command, cwd and env first: the bash tool's `spawnHook` option).
 */
import { type RunShellOptions, runShellCommand, type ShellOutcome } from "./shell.ts";

export type ShellRunner = (command: string, options: RunShellOptions) => Promise<ShellOutcome>;

/** pi's BashOperations. `exec` rejects on abort and with `timeout:<seconds>` on a timeout. */
export interface BashOperations {
	exec(
		command: string,
		cwd: string,
		options: {
			onData: (data: Buffer) => void;
			signal?: AbortSignal;
			timeout?: number;
			env?: NodeJS.ProcessEnv;
		},
	): Promise<{ exitCode: number | null }>;
}

export function runnerFromOperations(operations: BashOperations): ShellRunner {
	return async (command, options) => {
		const { signal, timeoutSeconds } = options;
		try {
			const { exitCode } = await operations.exec(command, options.cwd, {
				onData: (data) => options.onData(data),
				signal,
				timeout: timeoutSeconds,
				env: options.env,
			});
			return signal?.aborted ? { kind: "aborted" } : { kind: "exited", exitCode };
		} catch (error) {
			if (signal?.aborted) return { kind: "aborted" };
			const timedOut = error instanceof Error && /^timeout:/.test(error.message);
			if (timedOut && timeoutSeconds !== undefined) return { kind: "timedOut", seconds: timeoutSeconds };
			throw error;
		}
	};
}

export interface SpawnContext {
	command: string;
	cwd: string;
	env: NodeJS.ProcessEnv;
}

/** The local shell, with `hook` adjusting what is spawned. */
export function runnerWithSpawnHook(hook: (context: SpawnContext) => SpawnContext): ShellRunner {
	return (command, options) => {
		const spawned = hook({ command, cwd: options.cwd, env: { ...process.env, ...options.env } });
		return runShellCommand(spawned.command, { ...options, cwd: spawned.cwd, env: spawned.env });
	};
}

/** pi's createLocalBashOperations(): the local shell as BashOperations (rejects "aborted" / "timeout:<seconds>"). */
export function localBashOperations(): BashOperations {
	return {
		async exec(command, cwd, options) {
			const outcome = await runShellCommand(command, {
				cwd,
				env: options.env,
				signal: options.signal,
				timeoutSeconds: options.timeout,
				onData: (chunk) => options.onData(Buffer.from(chunk)),
			});
			if (outcome.kind === "aborted") throw new Error("aborted");
			if (outcome.kind === "timedOut") throw new Error(`timeout:${outcome.seconds}`);
			return { exitCode: outcome.exitCode };
		},
	};
}
