/**
 * The CLI's first stage: parse arguments, answer --version and --help (with extensions configured, --help waits for
 * them in startApp), reject what this build cannot do, and
 * report errors as one line. Everything heavier (settings, models, sessions, the modes) is imported lazily
 * by startApp so that `pi --version` stays as fast as a bare Bun binary.
 */

import { PiError } from "../util/errors.ts";
import { guardOutputStreams, stdoutIsTerminal, writeStdoutFast } from "../util/output-streams.ts";
import { VERSION } from "../version.ts";
import { type Diagnostic, parseArgs } from "./args.ts";
import { helpText } from "./help.ts";
import { helpNeedsExtensions } from "./help-fast-path.ts";

/** pi packages (src/packages). */
const PACKAGE_COMMANDS = new Set(["install", "remove", "uninstall", "list"]);
const SUBCOMMANDS = new Set(["update", "doctor", "mcp", "config", ...PACKAGE_COMMANDS]);

function printDiagnostics(diagnostics: Diagnostic[]): void {
	for (const d of diagnostics) {
		process.stderr.write(`${d.type === "error" ? "Error" : "Warning"}: ${d.message}\n`);
	}
}

export async function runCli(argv: string[]): Promise<number> {
	const first = argv[0];
	// Subcommands write through Node's streams: a reader that goes away must end them quietly.
	if (first !== undefined && SUBCOMMANDS.has(first)) guardOutputStreams();
	if (first === "update") {
		const { runUpdateCommand } = await import("./update-command.ts");
		return runUpdateCommand(argv.slice(1));
	}
	if (first === "auth") {
		const { runAuthCommand } = await import("./auth-command.ts");
		return runAuthCommand(argv.slice(1));
	}
	if (first === "doctor") {
		const { runDoctorCommand } = await import("../doctor/doctor.ts");
		return runDoctorCommand(argv.slice(1));
	}
	if (first !== undefined && PACKAGE_COMMANDS.has(first)) {
		const { runPackageCommand } = await import("../packages/cli.ts");
		return runPackageCommand(argv);
	}
	if (first === "config") {
		const { runConfigCommand } = await import("../packages/config-command.ts");
		return runConfigCommand(argv.slice(1));
	}
	if (first === "mcp") {
		const { runMcpCommand } = await import("../mcp/cli.ts");
		const { TrustStore } = await import("../config/project-trust.ts");
		const { agentDir } = await import("../config/paths.ts");
		return runMcpCommand(argv.slice(1), {
			cwd: process.cwd(),
			// Like pi, the shell commands read .pi/mcp.json only for projects already trusted (they never ask).
			projectTrusted: new TrustStore(agentDir()).get(process.cwd()) === true,
			log: (line) => process.stdout.write(`${line}\n`),
			error: (line) => process.stderr.write(`${line}\n`),
		});
	}
	const args = parseArgs(argv);
	if (args.offline || ["1", "true", "yes"].includes((process.env.PI_OFFLINE ?? "").toLowerCase())) {
		process.env.PI_OFFLINE = "1";
		process.env.PI_SKIP_VERSION_CHECK = "1";
	}
	printDiagnostics(args.diagnostics);
	if (args.diagnostics.some((d) => d.type === "error")) return 1;
	// The fast paths: no Node stream objects (see util/output-streams.ts).
	if (args.version) {
		await writeStdoutFast(`${VERSION}\n`);
		return 0;
	}
	// With an extension configured, --help is answered by startApp once they are loaded (pi 1.6.0 lists their flags).
	if (args.help && !args.extensions?.length && !(await helpNeedsExtensions())) {
		await writeStdoutFast(helpText(stdoutIsTerminal()));
		return 0;
	}
	guardOutputStreams();
	if (args.export !== undefined && !args.help) {
		const { runExportCommand } = await import("../export/cli-export.ts");
		return runExportCommand(args.export, args.messages[0]);
	}
	if (args.mode === "rpc" && args.fileArgs.length > 0 && !args.help) {
		process.stderr.write("Error: @file arguments are not supported in RPC mode\n");
		return 1;
	}
	if (args.verbose) (await import("../util/debug-log.ts")).enableDebugLog();
	try {
		const { startApp } = await import("./start.ts");
		return await startApp(args, argv);
	} catch (error) {
		if (error instanceof PiError) {
			process.stderr.write(error.plain ? `${error.message}\n` : `Error: ${error.message}\n`);
			if (args.verbose && error.stack) process.stderr.write(`${error.stack}\n`);
			return error.exitCode;
		}
		throw error;
	}
}
