// Entry point of the pi binary. Kept tiny: everything heavy is imported lazily by the command that needs it.
// A macro: the help text is computed when the binary is built, so `pi --help` loads no module to print it.
import { helpLines } from "./cli/help.ts" with { type: "macro" };
import { helpNeedsExtensions } from "./cli/help-fast-path.ts";
import { stdoutIsTerminal } from "./util/output-streams.ts";
import { installStartupReport } from "./util/startup-report.ts";
import { VERSION } from "./version.ts";

/** A shell left in a deleted folder: every later path lookup would fail with an obscure uv_cwd error. */
function currentFolderExists(): boolean {
	try {
		process.cwd();
		return true;
	} catch {
		return false;
	}
}

/** Any command line but a lone --version or --help (and --help when an extension may be configured). */
async function main(argv: string[]): Promise<void> {
	if (!currentFolderExists()) {
		process.stderr.write("Error: the current folder no longer exists (was it deleted?); cd to an existing folder\n");
		process.exit(1);
	}
	const [{ runCli }, { runShutdownHooks, shouldExitWhenShutDown }] = await Promise.all([
		import("./cli/run.ts"),
		import("./util/shutdown.ts"),
	]);
	try {
		process.exitCode = await runCli(argv);
	} catch (error) {
		console.error(error);
		process.exitCode = 1;
	}
	// Work still running when the mode returned (the user quit mid-answer) is stopped and saved, so it neither
	// keeps the process alive nor runs tools after the user left.
	await runShutdownHooks();
	if (shouldExitWhenShutDown()) process.exit(process.exitCode ?? 0);
}

function runMain(argv: string[]): void {
	main(argv).catch((error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	});
}

function printHelp(): void {
	// console.log writes to the file descriptor directly: Bun.write(Bun.stdout) builds a Blob first (~0.6 MB of RSS).
	console.log(stdoutIsTerminal() ? helpLines(true) : helpLines(false));
}

// Test hook (test/cli/lean-startup.test.ts): which lazy schemas and modules this launch built and loaded; nothing
// when unset.
installStartupReport(Bun.env.PI_STARTUP_REPORT);

/**
 * `pi --version` and `pi --help` alone cost no more than a bare Bun binary (bench/targets.ts): they load only what
 * they print, build no Node stream (util/output-streams.ts) and, unless a settings file must be read, run no
 * asynchronous code. pi 1.6.0 lists the flags extensions register: with an extension configured, --help takes the
 * full path (cli/help-fast-path.ts).
 */
const argv = process.argv.slice(2);
const only = argv.length === 1 ? argv[0] : undefined;
if (only === "--version" || only === "-v") {
	console.log(VERSION);
} else if (only === "--help" || only === "-h") {
	const needsExtensions = helpNeedsExtensions();
	if (needsExtensions === false) printHelp();
	else if (needsExtensions === true) runMain(argv);
	else
		void needsExtensions.then(
			(needed) => (needed ? runMain(argv) : printHelp()),
			() => runMain(argv),
		);
} else {
	runMain(argv);
}
