import { VERSION } from "../version.ts";

/** Placeholder until the citty CLI lands: enough for the build and the smoke test. */
export async function runCli(argv: string[]): Promise<number> {
	if (argv.includes("--version") || argv.includes("-v")) {
		process.stdout.write(`${VERSION}\n`);
		return 0;
	}
	process.stdout.write("pi - terminal coding agent\n");
	return 0;
}
