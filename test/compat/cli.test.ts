/**
 * The CLI against pi 0.73.1, scenario by scenario (test/fixtures/compat/cli-scenarios.ts): exit code, stdout,
 * stderr and every request body sent to the LLM server, compared with what pi did for the same scenario
 * (recorded by test/fixtures/compat/record.ts). Differences that are deliberate or reported are listed per
 * scenario in `skip`, with the reason.
 */
import { describe, expect, test } from "bun:test";
import { cliFixture } from "../fixtures/compat/cli-fixture.ts";
import { CLI_SCENARIOS } from "../fixtures/compat/cli-scenarios.ts";
import { eventKeyOrders, eventShape, parseJsonLines } from "../fixtures/compat/json-events.ts";
import { runCliScenario, withExistingSession } from "../fixtures/compat/run-scenario.ts";
import { piCommand } from "../support/run-pi.ts";

describe("CLI compared with pi 0.73.1", () => {
	for (const scenario of CLI_SCENARIOS) {
		test(`${scenario.name}: pi ${scenario.args.join(" ")}`, async () => {
			const pi = cliFixture(scenario.name);
			const ours = await runCliScenario(piCommand(), withExistingSession(scenario, cliFixture));
			const skip = scenario.skip ?? {};
			if (!skip.exitCode) expect(ours.exitCode).toBe(pi.exitCode);
			if (scenario.eitherStream) {
				if (!skip.stdout) expect(ours.stdout + ours.stderr).toBe(pi.stdout + pi.stderr);
				else expect(ours.stdout + ours.stderr).not.toBe("");
			} else {
				if (skip.stdout) {
					// compared elsewhere or a documented difference
				} else if (scenario.json) {
					const [mine, theirs] = [parseJsonLines(ours.stdout), parseJsonLines(pi.stdout)];
					expect(eventShape(mine)).toEqual(eventShape(theirs));
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
