/**
 * `pi --help` against pi 1.6.0's (recorded in test/fixtures/compat/cli/help.json): the same text, apart from the
 * differences this binary has on purpose, each taken out of pi's text below with why.
 */
import { expect, test } from "bun:test";
import { helpText } from "../../src/cli/help.ts";
import { cliFixture } from "../fixtures/compat/cli-fixture.ts";
import { CLI_SCENARIOS } from "../fixtures/compat/cli-scenarios.ts";
import { runCliScenario } from "../fixtures/compat/run-scenario.ts";
import { piCommand } from "../support/run-pi.ts";

/** pi's help (recorded for `scenario`) with our deliberate differences applied. */
function expected(scenario = "help"): string {
	const pi = cliFixture(scenario);
	return (
		(pi.stdout + pi.stderr)
			// --verbose here also shows stack traces and writes the debug log.
			.replace(/^( {2}--verbose +).*$/m, "$1Force verbose startup; show stack traces; write the debug log")
			// pi's self-update command, install telemetry and /share are pi's npm package's; PI_DEBUG is ours.
			.replace(/^ {2}PI_SELF_UPDATE_COMMAND .*\n/m, "")
			.replace(/^ {2}PI_TELEMETRY .*\n/m, "")
			.replace(
				/^ {2}PI_SHARE_VIEWER_URL .*$/m,
				"  PI_DEBUG                         - Write a debug log (JSON lines) to <config dir>/pi-debug.log when set to 1",
			)
	);
}

test("pi --help is pi 1.6.0's, apart from the differences listed here", () => {
	expect(helpText()).toBe(expected());
});

// pi 1.6.0 loads the extensions before answering --help and lists their flags: the user's, and the project's when the
// project is trusted (--approve here; without it the project's extension is not even loaded).
for (const name of ["help-extension-flags", "help-extension-flags-approved"]) {
	test(`${name}: extension flags are listed as pi 1.6.0 lists them`, async () => {
		const scenario = CLI_SCENARIOS.find((candidate) => candidate.name === name);
		if (!scenario) throw new Error(`no scenario ${name}`);
		const ours = await runCliScenario(piCommand(), scenario);
		expect(ours.exitCode).toBe(0);
		expect(ours.stdout + ours.stderr).toBe(expected(name));
	});
}
