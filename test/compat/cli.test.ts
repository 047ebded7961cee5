/**
 * The CLI against pi 1.6.0, scenario by scenario (test/fixtures/compat/cli-scenarios.ts): exit code, stdout,
 * stderr, every request body sent to the LLM server and the session file, compared with what pi did for the same
 * scenario (recorded by test/fixtures/compat/record.ts). Differences that are deliberate are listed per scenario in
 * `skip`; PENDING lists the ones still being closed, with what closes them. Provider-layer differences are removed
 * from both sides by known-differences.ts.
 */
import { describe, expect, test } from "bun:test";
import { cliFixture, scenarioWithSession } from "../fixtures/compat/cli-fixture.ts";
import { CLI_SCENARIOS } from "../fixtures/compat/cli-scenarios.ts";
import { eventKeyOrders, eventShape, parseJsonLines } from "../fixtures/compat/json-events.ts";
import { reduceEventFields, reduceKnownDifferences } from "../fixtures/compat/known-differences.ts";
import { runCliScenario } from "../fixtures/compat/run-scenario.ts";
import { piCommand } from "../support/run-pi.ts";

type Part = "stdout" | "stderr" | "exitCode" | "requests" | "session";
const JSON_PROTOCOL = "pi 1.6.0's JSON event stream (message_update without the message, agent_settled, ...)";
const RETRY_EDIT = "pi 1.6.0 records a retried failure as a context_edit that omits it";
const CLI_PASS = "pi 1.6.0's CLI messages";
/** Differences being closed (issue 14), per scenario and part. */
const PENDING: Record<string, Partial<Record<Part, string>>> = {
	version: { stdout: "our own version number" },
	"list-models-no-keys": { stdout: CLI_PASS, stderr: CLI_PASS },
	"no-model-print": { stderr: CLI_PASS },
	"api-key-without-model": { stderr: CLI_PASS },
	"thinking-invalid": { stderr: "pi 1.6.0's `max` thinking level (issue 17's catalog)" },
	"provider-without-model": {
		stdout: CLI_PASS,
		stderr: CLI_PASS,
		exitCode: CLI_PASS,
		requests: CLI_PASS,
		session: CLI_PASS,
	},
	"provider-unknown": { stdout: CLI_PASS, stderr: CLI_PASS, exitCode: CLI_PASS, requests: CLI_PASS, session: CLI_PASS },
	"mode-invalid": { stdout: CLI_PASS, stderr: CLI_PASS, exitCode: CLI_PASS, requests: CLI_PASS, session: CLI_PASS },
	"json-sdk-retry": { stdout: "pi 1.6.0 turns off the SDK's own retries", session: "the same" },
	"json-agent-retry": { stdout: JSON_PROTOCOL, session: RETRY_EDIT },
	"json-retry-exhausted": { stdout: JSON_PROTOCOL, session: RETRY_EDIT },
	"print-retry-exhausted": { session: RETRY_EDIT },
	"json-error-no-retry": { stdout: "pi 1.6.0's provider error text (issue 17)", session: "the same" },
	"json-bad-tool-args": {
		stdout: JSON_PROTOCOL,
		requests: "pi 1.6.0's argument validation wording",
		session: "the same",
	},
	"json-every-tool": { stdout: JSON_PROTOCOL, requests: "pi 1.6.0's write and edit results", session: "the same" },
	"json-thinking-and-tools": { stdout: JSON_PROTOCOL, session: "pi 1.6.0 leaves `details` out of error results" },
	"json-length-stop": { stdout: JSON_PROTOCOL, session: "pi 1.6.0 omits a cut-off answer with a context_edit" },
	"json-continue": { stdout: JSON_PROTOCOL },
	"json-stdin": { stdout: JSON_PROTOCOL },
	"json-stream-error": { stdout: JSON_PROTOCOL },
	"json-unknown-tool": { stdout: JSON_PROTOCOL },
	"json-with-print-flag": { stdout: JSON_PROTOCOL },
};

describe("CLI compared with pi 1.6.0", () => {
	for (const scenario of CLI_SCENARIOS) {
		if (scenario.onlyFor && scenario.onlyFor !== "1.6.0") continue;
		test(`${scenario.name}: pi ${scenario.args.join(" ")}`, async () => {
			const pi = reduceKnownDifferences(cliFixture(scenario.name));
			const ours = reduceKnownDifferences(await runCliScenario(piCommand(), scenarioWithSession(scenario)));
			const skip = { ...PENDING[scenario.name], ...scenario.skip };
			if (!skip.exitCode) expect(ours.exitCode).toBe(pi.exitCode);
			if (scenario.eitherStream) {
				if (!skip.stdout) expect(ours.stdout + ours.stderr).toBe(pi.stdout + pi.stderr);
				else expect(ours.stdout + ours.stderr).not.toBe("");
			} else {
				if (skip.stdout) {
					// compared elsewhere or a documented difference
				} else if (scenario.json) {
					const [mine, theirs] = [parseJsonLines(ours.stdout), parseJsonLines(pi.stdout)];
					expect(reduceEventFields(eventShape(mine))).toEqual(reduceEventFields(eventShape(theirs)));
					expect(eventKeyOrders(mine)).toEqual(eventKeyOrders(theirs));
				} else {
					expect(ours.stdout).toBe(pi.stdout);
				}
				if (!skip.stderr) expect(ours.stderr).toBe(pi.stderr);
			}
			if (!skip.requests) expect(ours.requests).toEqual(pi.requests);
			if (!skip.session) expect(ours.session).toEqual(pi.session);
		});
	}
});
