/**
 * The user's `!cmd` / `!!cmd` from the editor (pi's bash-executor): same shell as the tool, but output is
 * cleaned for display and storage (ANSI stripped, control characters and \r removed) and a non-zero exit
 * is a normal result, not an error.
 */
import stripAnsi from "strip-ansi";
import { OutputAccumulator } from "./output-accumulator.ts";
import { runShellCommand, type ShellOutcome } from "./shell.ts";

export interface BashResult {
	output: string;
	exitCode: number | undefined;
	cancelled: boolean;
	truncated: boolean;
	fullOutputPath?: string;
}

export interface ExecuteBashOptions {
	cwd: string;
	signal?: AbortSignal;
	timeoutSeconds?: number;
	onChunk?: (chunk: string) => void;
	shellPath?: string;
	shellCommandPrefix?: string;
	/** Runs the command somewhere else (an extension's `user_bash` operations, e.g. over SSH) instead of a local shell. */
	runner?: (
		command: string,
		options: { cwd: string; signal?: AbortSignal; onData: (chunk: Uint8Array) => void },
	) => Promise<ShellOutcome>;
}

/** Drop characters that break terminal width computation: C0 controls except tab/newline/CR, U+FFF9–U+FFFB. */
function sanitizeBinaryOutput(text: string): string {
	let out = "";
	for (const char of text) {
		const code = char.codePointAt(0) ?? 0;
		if (code === 0x09 || code === 0x0a || code === 0x0d) out += char;
		else if (code <= 0x1f) continue;
		else if (code >= 0xfff9 && code <= 0xfffb) continue;
		else out += char;
	}
	return out;
}

function cleanOutput(text: string): string {
	return sanitizeBinaryOutput(stripAnsi(text)).replace(/\r/g, "");
}

export async function executeBash(command: string, options: ExecuteBashOptions): Promise<BashResult> {
	const output = new OutputAccumulator({ tempFilePrefix: "pi-bash", transform: cleanOutput });
	const emit = (text: string) => {
		if (text && options.onChunk) options.onChunk(text);
	};
	let outcome: ShellOutcome;
	try {
		const onData = (chunk: Uint8Array) => emit(output.append(chunk));
		outcome = options.runner
			? await options.runner(command, { cwd: options.cwd, signal: options.signal, onData })
			: await runShellCommand(command, {
					cwd: options.cwd,
					shellPath: options.shellPath,
					commandPrefix: options.shellCommandPrefix,
					signal: options.signal,
					timeoutSeconds: options.timeoutSeconds,
					onData,
				});
	} finally {
		emit(output.finish());
	}
	const snapshot = output.snapshot();
	output.close();
	const cancelled = outcome.kind !== "exited";
	return {
		output: snapshot.content,
		exitCode: outcome.kind === "exited" ? (outcome.exitCode ?? undefined) : undefined,
		cancelled,
		truncated: snapshot.truncation.truncated,
		fullOutputPath: snapshot.fullOutputPath,
	};
}
