/**
 * `pi --help` as pi 1.6.0 answers it: after the extensions a run would load are loaded (the project's only when it is
 * trusted, decided without asking as in print mode), so their flags are listed under "Extension CLI Flags:". Without
 * any extension configured nothing of the extension host is imported.
 */
import { agentDir } from "../config/paths.ts";
import { resolveProjectTrust } from "../config/project-trust.ts";
import type { SettingsManager } from "../config/settings.ts";
import { stdoutIsTerminal } from "../util/output-streams.ts";
import type { ParsedArgs } from "./args.ts";
import { helpText } from "./help.ts";
import type { StartupExtensions } from "./startup-extensions.ts";
import type { StartupPackages } from "./startup-packages.ts";

export async function printHelpWithExtensions(options: {
	cwd: string;
	args: ParsedArgs;
	settings: SettingsManager;
	extensions: StartupExtensions;
	packages: StartupPackages;
	warn: (message: string) => void;
}): Promise<number> {
	const { cwd, args, settings, extensions, packages, warn } = options;
	await extensions.loadForHelp();
	const trust = await resolveProjectTrust({
		cwd,
		agentDir: agentDir(),
		override: args.projectTrustOverride,
		defaultProjectTrust: settings.getDefaultProjectTrust(),
		decide: extensions.trustDecider(),
		onWarning: warn,
	});
	if (trust.trusted) {
		settings.setProjectTrusted(true);
		if (settings.getProjectSettings().packages?.length) {
			await packages.load(true);
			extensions.setPackageExtensions(packages.extensions);
		}
	}
	const flags = await extensions.flagsForHelp(trust.trusted);
	// Through Bun.stdout: with extensions loaded in print mode, process.stdout belongs to stderr (output-guard.ts).
	const { writeStdout, flushStdout } = await import("../modes/output.ts");
	writeStdout(helpText(stdoutIsTerminal(), flags));
	await flushStdout();
	return 0;
}
