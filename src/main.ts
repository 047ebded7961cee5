// Entry point of the pi binary. Kept tiny: everything heavy is imported lazily by the command that needs it.
import { runCli } from "./cli/run.ts";
import { runShutdownHooks, shouldExitWhenShutDown } from "./util/shutdown.ts";

// A reader that stops early (`pi --help | head -1`) closes our stdout; that ends the output, it is not a crash.
for (const stream of [process.stdout, process.stderr]) {
	stream.on("error", (error: NodeJS.ErrnoException) => {
		if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
		throw error;
	});
}

/** A shell left in a deleted folder: every later path lookup would fail with an obscure uv_cwd error. */
function currentFolderExists(): boolean {
	try {
		process.cwd();
		return true;
	} catch {
		return false;
	}
}

if (!currentFolderExists()) {
	process.stderr.write("Error: the current folder no longer exists (was it deleted?); cd to an existing folder\n");
	process.exit(1);
}

runCli(process.argv.slice(2))
	.then(
		(code) => {
			process.exitCode = code;
		},
		(error: unknown) => {
			console.error(error);
			process.exitCode = 1;
		},
	)
	// Work still running when the mode returned (the user quit mid-answer) is stopped and saved, so it neither
	// keeps the process alive nor runs tools after the user left.
	.then(() => runShutdownHooks())
	.then(() => {
		if (shouldExitWhenShutDown()) process.exit(process.exitCode ?? 0);
	});
