/**
 * `pi --help` against pi 1.6.0's (recorded in test/fixtures/compat/cli/help.json): the same text, apart from the
 * differences this binary has on purpose, each taken out of pi's text below with why.
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { helpText } from "../../src/cli/help.ts";

const pi = v.parse(
	v.object({ stdout: v.string(), stderr: v.string() }),
	JSON.parse(readFileSync(join(import.meta.dir, "../fixtures/compat/cli/help.json"), "utf8")),
);

/** pi's help with our deliberate differences applied. */
function expected(): string {
	return (
		(pi.stdout + pi.stderr)
			// No `pi config` (the package resource picker) in this binary yet.
			.replace(/^ {2}pi config .*\n/m, "")
			.replace("update/list/config/auth/mcp", "update/list/auth/mcp")
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
