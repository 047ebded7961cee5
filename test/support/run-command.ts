/** Runs a command to completion and collects its output; the common shape of every subprocess in the tests. */
export interface CommandRun {
	exitCode: number;
	stdout: string;
	stderr: string;
}

export async function runCommand(
	command: string[],
	options: { cwd?: string; env?: Record<string, string | undefined>; stdin?: Uint8Array | "ignore" } = {},
): Promise<CommandRun> {
	const proc = Bun.spawn(command, {
		cwd: options.cwd,
		env: options.env,
		stdin: options.stdin ?? "ignore",
		stdout: "pipe",
		stderr: "pipe",
	});
	const [stdout, stderr, exitCode] = await Promise.all([
		new Response(proc.stdout).text(),
		new Response(proc.stderr).text(),
		proc.exited,
	]);
	return { exitCode, stdout, stderr };
}
