/**
 * `pi.exec(command, args, options)`: run a program without a shell, collect its output, as pi does: `timeout` and
 * `signal` terminate it (SIGTERM, then SIGKILL after 5 s), `maxBuffer` caps stdout + stderr together (default
 * 256 MiB) and terminates it when exceeded, and a signal death reports 128 + the signal number as the code.
 */
import { constants } from "node:os";

export interface ExecOptions {
	signal?: AbortSignal;
	timeout?: number;
	cwd?: string;
	maxBuffer?: number;
}

export interface ExecResult {
	stdout: string;
	stderr: string;
	code: number;
	killed: boolean;
	truncated: boolean;
}

const DEFAULT_MAX_BUFFER = 256 * 1024 * 1024;
const FORCE_KILL_DELAY_MS = 5000;

function signalNumber(signal: string | number | null): number | undefined {
	if (signal === null) return undefined;
	if (typeof signal === "number") return signal;
	const signals: Record<string, number> = constants.signals;
	return signals[signal];
}

export async function execCommand(
	command: string,
	args: readonly string[],
	cwd: string,
	options: ExecOptions = {},
): Promise<ExecResult> {
	const maxBuffer = options.maxBuffer ?? DEFAULT_MAX_BUFFER;
	if (!Number.isInteger(maxBuffer) || maxBuffer < 0) throw new RangeError("maxBuffer must be a nonnegative integer");
	let proc: ReturnType<typeof Bun.spawn>;
	try {
		proc = Bun.spawn([command, ...args], { cwd, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
	} catch (error) {
		// pi (child_process.spawn) reports a missing program as a failed run, not a thrown error.
		const message = error instanceof Error ? error.message : String(error);
		return { stdout: "", stderr: message, code: 127, killed: false, truncated: false };
	}
	let killed = false;
	let truncated = false;
	let forceKill: ReturnType<typeof setTimeout> | undefined;
	const kill = () => {
		if (killed) return;
		killed = true;
		proc.kill("SIGTERM");
		forceKill = setTimeout(() => {
			if (proc.exitCode === null) proc.kill("SIGKILL");
		}, FORCE_KILL_DELAY_MS);
		forceKill.unref?.();
	};
	const onAbort = () => kill();
	if (options.signal?.aborted) kill();
	else options.signal?.addEventListener("abort", onAbort, { once: true });
	const timer = options.timeout && options.timeout > 0 ? setTimeout(kill, options.timeout) : undefined;

	let used = 0;
	const collect = async (stream: ReadableStream<Uint8Array>): Promise<string> => {
		const decoder = new TextDecoder();
		let text = "";
		for await (const chunk of stream) {
			if (truncated) continue;
			const room = maxBuffer - used;
			if (chunk.byteLength > room) {
				truncated = true;
				text += decoder.decode(chunk.subarray(0, Math.max(0, room)), { stream: true });
				used = maxBuffer;
				kill();
				continue;
			}
			used += chunk.byteLength;
			text += decoder.decode(chunk, { stream: true });
		}
		return text + decoder.decode();
	};
	const stdoutStream = proc.stdout;
	const stderrStream = proc.stderr;
	if (!(stdoutStream instanceof ReadableStream) || !(stderrStream instanceof ReadableStream)) {
		throw new Error("exec: output pipes are missing");
	}
	const [stdout, stderr, exitCode] = await Promise.all([collect(stdoutStream), collect(stderrStream), proc.exited]);
	if (timer) clearTimeout(timer);
	if (forceKill) clearTimeout(forceKill);
	options.signal?.removeEventListener("abort", onAbort);
	const bySignal = signalNumber(proc.signalCode);
	const code = bySignal !== undefined ? 128 + bySignal : exitCode;
	return { stdout, stderr, code: truncated && code === 0 ? 1 : code, killed, truncated };
}
