/**
 * Running the tools packages are installed with: a package manager (by default the Bun runtime inside this binary,
 * started as `bun` through BUN_BE_BUN=1 for that child only; the `npmCommand` setting picks npm, pnpm or another
 * one, as in pi) and the system `git`.
 *
 * Output: "inherit" shows the tool's output (on our stderr — stdout stays clean for JSON/RPC output); "capture"
 * keeps it off the terminal (the interactive screen is drawn there) and git/ssh cannot prompt. A failure carries the
 * end of the output either way, so the error says what failed.
 */
import { basename } from "node:path";

export type CommandOutput = "inherit" | "capture";

export interface PackageManagerCommand {
	command: string;
	args: string[];
	/** Extra environment for the child (BUN_BE_BUN for the built-in Bun). */
	env: Record<string, string>;
	/** "bun", "npm", "pnpm", or the command's own name: which flags it understands. */
	name: string;
}

const KNOWN_MANAGERS = new Set(["npm", "pnpm", "bun"]);

function commandName(command: string): string {
	return basename(command).replace(/\.(cmd|exe)$/i, "");
}

/** pi's rule for a wrapped manager (`["mise", "exec", "--", "npm"]`): the word after `--`, else a known name. */
function managerName(command: string, args: readonly string[]): string {
	const separator = args.lastIndexOf("--");
	if (separator >= 0) return commandName(args[separator + 1] ?? command);
	const direct = commandName(command);
	if (KNOWN_MANAGERS.has(direct)) return direct;
	const wrapped = [...new Set(args.map(commandName).filter((name) => KNOWN_MANAGERS.has(name)))];
	if (wrapped.length > 1) throw new Error(`Ambiguous npmCommand package managers: ${wrapped.join(", ")}`);
	return wrapped[0] ?? direct;
}

/** The configured `npmCommand`, or this binary acting as Bun. */
export function packageManagerCommand(npmCommand: readonly string[] | undefined): PackageManagerCommand {
	if (!npmCommand || npmCommand.length === 0) {
		return { command: process.execPath, args: [], env: { BUN_BE_BUN: "1" }, name: "bun" };
	}
	const [command, ...args] = npmCommand;
	if (!command) throw new Error("Invalid npmCommand: first array entry must be a non-empty command");
	return { command, args, env: {}, name: managerName(command, args) };
}

/**
 * How the manager installs `specs` into the npm project at `root` without pulling pi's own packages as peers.
 * `fresh` (updates): Bun re-reads the registry instead of its manifest cache, which would keep an old "latest".
 */
export function installArgs(
	manager: PackageManagerCommand,
	specs: readonly string[],
	root: string,
	options: { fresh?: boolean } = {},
): string[] {
	if (manager.name === "bun") {
		return ["install", ...specs, "--cwd", root, "--omit=peer", ...(options.fresh ? ["--no-cache"] : [])];
	}
	if (manager.name === "pnpm") {
		return [
			"install",
			...specs,
			"--prefix",
			root,
			"--config.auto-install-peers=false",
			"--config.strict-peer-dependencies=false",
			"--config.strict-dep-builds=false",
		];
	}
	return ["install", ...specs, "--prefix", root, "--legacy-peer-deps", "--no-audit", "--no-fund"];
}

export function uninstallArgs(manager: PackageManagerCommand, name: string, root: string): string[] {
	if (manager.name === "bun") return ["uninstall", name, "--cwd", root];
	const args = ["uninstall", name, "--prefix", root];
	return manager.name === "pnpm" ? args : [...args, "--legacy-peer-deps", "--no-audit", "--no-fund"];
}

/** Installing a cloned git package's own dependencies (run inside the checkout). */
export function dependencyInstallArgs(manager: PackageManagerCommand): string[] {
	switch (manager.name) {
		case "bun":
			return ["install", "--omit=dev", "--omit=peer"];
		case "pnpm":
			return [
				"install",
				"--prod",
				"--config.auto-install-peers=false",
				"--config.strict-peer-dependencies=false",
				"--config.strict-dep-builds=false",
			];
		case "npm":
			return ["install", "--omit=dev", "--legacy-peer-deps", "--no-audit", "--no-fund"];
		default:
			return ["install"];
	}
}

/** The newest published version matching `spec` (`name`, `name@range`), as the manager reports it. */
export function viewVersionArgs(manager: PackageManagerCommand, spec: string): string[] {
	return manager.name === "bun" ? ["info", spec, "version", "--json"] : ["view", spec, "version", "--json"];
}

/** Only the end of a failed command's output is kept for its error message. */
const OUTPUT_TAIL_CHARS = 8000;

const GIT_PROMPT_FAILURE =
	/terminal prompts disabled|could not read (Username|Password)|Permission denied \(publickey|Host key verification failed|passphrase/i;

export interface RunOptions {
	cwd?: string;
	env?: Record<string, string>;
	/** Kill the command after this long (lookups such as `git rev-parse` or a version query). */
	timeoutMs?: number;
	/** How the command is named in errors ("bun" for this binary acting as Bun). */
	label?: string;
}

function childEnv(extra: Record<string, string> | undefined, quiet: boolean): Record<string, string> {
	const env: Record<string, string> = {};
	for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
	// The binary's own Bun switch must reach only the child it is meant for.
	delete env.BUN_BE_BUN;
	if (quiet) {
		env.GIT_TERMINAL_PROMPT = "0";
		env.GIT_SSH_COMMAND ??= "ssh -o BatchMode=yes";
	}
	return { ...env, ...extra };
}

function describe(command: string, args: readonly string[], label?: string): string {
	return [label ?? commandName(command), ...args].join(" ");
}

async function waitFor(
	proc: Bun.Subprocess<"ignore", "pipe" | number, "pipe" | number>,
	timeoutMs: number | undefined,
): Promise<{ code: number; timedOut: boolean }> {
	let timedOut = false;
	const timer =
		timeoutMs === undefined
			? undefined
			: setTimeout(() => {
					timedOut = true;
					proc.kill();
				}, timeoutMs);
	const code = await proc.exited;
	if (timer) clearTimeout(timer);
	return { code, timedOut };
}

/** Runs a command to completion; throws with the command line, exit code and the end of its output. */
export async function runCommand(
	command: string,
	args: readonly string[],
	output: CommandOutput,
	options: RunOptions = {},
): Promise<void> {
	const capture = output === "capture";
	let proc: Bun.Subprocess<"ignore", "pipe" | number, "pipe" | number>;
	try {
		proc = Bun.spawn([command, ...args], {
			cwd: options.cwd,
			env: childEnv(options.env, capture),
			stdin: "ignore",
			stdout: capture ? "pipe" : 2,
			stderr: capture ? "pipe" : 2,
		});
	} catch (error) {
		throw new Error(
			`${describe(command, args, options.label)} could not be started: ${error instanceof Error ? error.message : error}`,
		);
	}
	const tail = capture ? collectTail(proc) : Promise.resolve("");
	const { code, timedOut } = await waitFor(proc, options.timeoutMs);
	const text = (await tail).trim();
	if (code === 0 && !timedOut) return;
	const status = timedOut ? `timed out after ${options.timeoutMs} ms` : `failed with code ${code}`;
	const hint =
		commandName(command) === "git" && GIT_PROMPT_FAILURE.test(text)
			? "\ngit cannot ask for a password or passphrase here. Set up a git credential helper or an ssh agent, or install the package once from the shell with `pi install <source>`."
			: "";
	throw new Error(`${describe(command, args, options.label)} ${status}${text ? `:\n${text}` : ""}${hint}`);
}

async function collectTail(proc: Bun.Subprocess<"ignore", "pipe" | number, "pipe" | number>): Promise<string> {
	let text = "";
	const drain = async (stream: ReadableStream<Uint8Array> | number | undefined) => {
		if (!(stream instanceof ReadableStream)) return;
		const decoder = new TextDecoder();
		for await (const chunk of stream) text = (text + decoder.decode(chunk, { stream: true })).slice(-OUTPUT_TAIL_CHARS);
	};
	await Promise.all([drain(proc.stdout), drain(proc.stderr)]);
	return text;
}

/** Runs a command quietly and returns its trimmed stdout; throws like runCommand. */
export async function captureCommand(
	command: string,
	args: readonly string[],
	options: RunOptions = {},
): Promise<string> {
	let proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
	try {
		proc = Bun.spawn([command, ...args], {
			cwd: options.cwd,
			env: childEnv(options.env, true),
			stdin: "ignore",
			stdout: "pipe",
			stderr: "pipe",
		});
	} catch (error) {
		throw new Error(
			`${describe(command, args)} could not be started: ${error instanceof Error ? error.message : error}`,
		);
	}
	const out = new Response(proc.stdout).text();
	const err = new Response(proc.stderr).text();
	const { code, timedOut } = await waitFor(proc, options.timeoutMs);
	const [stdout, stderr] = await Promise.all([out, err]);
	if (code === 0 && !timedOut) return stdout.trim();
	const status = timedOut ? `timed out after ${options.timeoutMs} ms` : `failed with code ${code}`;
	throw new Error(`${describe(command, args, options.label)} ${status}: ${(stderr || stdout).trim()}`);
}
