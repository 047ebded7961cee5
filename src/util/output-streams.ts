/**
 * stdout/stderr for a process that starts in milliseconds. Node's stream objects (process.stdout, process.stderr)
 * cost ~13 ms of CPU and ~9 MB when first touched — more than all of `pi --version` otherwise — so the fast paths
 * (`--version`, `--help`) never build them: src/main.ts prints a lone flag with console.log (which writes to the file
 * descriptor directly and, unlike Bun.write(Bun.stdout), builds no Blob: ~0.5 MB less), runCli with Bun.write; and
 * the EPIPE handlers every other command needs are installed only when that command starts (guardOutputStreams).
 */

function isBrokenPipe(error: unknown): boolean {
	return typeof error === "object" && error !== null && "code" in error && error.code === "EPIPE";
}

let guarded = false;

/** A reader that stops early (`pi --help | head -1`) closes our stdout: that ends the output, it is not a crash. */
export function guardOutputStreams(): void {
	if (guarded) return;
	guarded = true;
	for (const stream of [process.stdout, process.stderr]) {
		stream.on("error", (error: NodeJS.ErrnoException) => {
			if (isBrokenPipe(error)) process.exit(process.exitCode ?? 0);
			throw error;
		});
	}
}

/** Writes to stdout without Node's stream; a reader that went away ends the output quietly. */
export async function writeStdoutFast(text: string): Promise<void> {
	try {
		await Bun.write(Bun.stdout, text);
	} catch (error) {
		if (!isBrokenPipe(error)) throw error;
	}
}

/**
 * Whether a file descriptor (0 stdin, 1 stdout, 2 stderr) is a terminal, without building Node's stream object for
 * it (whose isTTY is the usual answer): Bun's tty_wrap binding answers isatty(fd) directly. process.stdin costs
 * ~8 ms of CPU and ~10 MB when first touched, and print mode reads piped input through Bun.stdin, so only the
 * interactive mode ever needs it. Should a Bun release drop the binding, node:tty answers instead (~2 ms and
 * ~7 MB more): a wrong "no" would start print mode where the user expects the interactive one.
 */
export function isTerminal(fd: 0 | 1 | 2): boolean {
	try {
		const binding: unknown = Reflect.apply(Reflect.get(process, "binding"), process, ["tty_wrap"]);
		const isTTY: unknown = typeof binding === "object" && binding !== null ? Reflect.get(binding, "isTTY") : undefined;
		if (typeof isTTY === "function") return Reflect.apply(isTTY, binding, [fd]) === true;
	} catch {
		// Fall through to node:tty.
	}
	return process.getBuiltinModule("node:tty").isatty(fd);
}

/**
 * Whether stdout is a terminal (for bold help text), without building process.stdout. Bun decided at startup whether
 * to colour its own output: Bun.enableANSIColors false with NO_COLOR unset means neither stdout nor stderr is a
 * terminal, which answers `pi --help > file` without the tty_wrap binding (~0.8 MB of RSS). Otherwise (a terminal
 * somewhere, or NO_COLOR or FORCE_COLOR deciding) the binding answers. test/build/startup-path.test.ts checks it.
 */
export function stdoutIsTerminal(): boolean {
	if (!Bun.enableANSIColors && Bun.env.NO_COLOR === undefined) return false;
	return isTerminal(1);
}
