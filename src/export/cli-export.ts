/** `pi --export <session.jsonl> [out.html]`: the output path is the first positional message, as in pi. */
import { errorMessage } from "../util/errors.ts";
import { exportSessionFile } from "./export-html.ts";

/** Prints pi's messages and returns the exit code (0 exported, 1 failed). */
export function runExportCommand(inputPath: string, outputPath: string | undefined): number {
	let written: string;
	try {
		written = exportSessionFile(inputPath, outputPath);
	} catch (error) {
		process.stderr.write(`Error: ${errorMessage(error) || "Failed to export session"}\n`);
		return 1;
	}
	process.stdout.write(`Exported to: ${written}\n`);
	return 0;
}
