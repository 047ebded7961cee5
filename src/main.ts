// Entry point of the pi binary. Kept tiny: everything heavy is imported lazily by the command that needs it.
import { runCli } from "./cli/run.ts";

runCli(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		console.error(error);
		process.exitCode = 1;
	},
);
