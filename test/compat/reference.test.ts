/**
 * The compat tests against the real pi, installed from npm (test/support/reference-pi.ts; .ci/run installs both):
 *   - pi 0.73.1 still does what the recorded fixtures say, for a sample of scenarios of every kind (the other compat
 *     tests compare us with those recordings, so this keeps them honest);
 *   - pi 1.6.0 and we, side by side on the same scenario, where we follow 1.6.0: print mode without a terminal.
 * Skipped, with the reason printed, when PI_REF_073_DIR / PI_REF_160_DIR are unset.
 */
import { describe, expect, test } from "bun:test";
import { cliFixture, PI073_DIR, scenarioWithSession } from "../fixtures/compat/cli-fixture.ts";
import { CLI_SCENARIOS, type CliScenario } from "../fixtures/compat/cli-scenarios.ts";
import { eventKeyOrders, eventShape, parseJsonLines } from "../fixtures/compat/json-events.ts";
import { runCliScenario, type ScenarioResult } from "../fixtures/compat/run-scenario.ts";
import { referencePi073, referencePi160 } from "../support/reference-pi.ts";
import { piCommand } from "../support/run-pi.ts";

/** Where pi 0.73.1 was installed when the fixtures were recorded: its docs paths appear in some messages. */
const RECORDED_PACKAGE_DIR = "/tmp/piref/node_modules/@mariozechner/pi-coding-agent";

/** One scenario of each kind: output only, print with tools, stdin, images, each wire API, sessions, JSON events. */
const SAMPLE = [
	"list-models",
	"no-model-print",
	"print-tool-use",
	"stdin-no-flag",
	"file-image",
	"tools-openai-responses",
	"thinking-low-google-generative-ai",
	"continue-anthropic-messages",
	"session-other-project",
	"json-every-tool",
];

const pi073 = referencePi073();
describe.skipIf(!pi073)("pi 0.73.1 from npm still does what the fixtures recorded", () => {
	for (const name of SAMPLE) {
		test(name, async () => {
			const scenario = CLI_SCENARIOS.find((candidate) => candidate.name === name);
			if (!scenario || !pi073) throw new Error(`no scenario ${name}`);
			const live = await runCliScenario(pi073.command, scenarioWithSession(scenario, PI073_DIR));
			const recorded = cliFixture(name, PI073_DIR);
			const relocate = (text: string) => text.split(pi073.packageDir).join(RECORDED_PACKAGE_DIR);
			expect(live.exitCode).toBe(recorded.exitCode);
			if (scenario.json) {
				const [now, then] = [parseJsonLines(live.stdout), parseJsonLines(recorded.stdout)];
				expect(eventShape(now)).toEqual(eventShape(then));
				expect(eventKeyOrders(now)).toEqual(eventKeyOrders(then));
			} else {
				expect(relocate(live.stdout)).toBe(recorded.stdout);
			}
			expect(relocate(live.stderr)).toBe(recorded.stderr);
			expect(live.requests).toEqual(recorded.requests);
			expect(live.session).toEqual(recorded.session);
		}, 30_000);
	}
});

/** Our result and pi 1.6.0's for the same scenario. */
async function sideBySide(scenario: CliScenario): Promise<{ ours: ScenarioResult; pi: ScenarioResult }> {
	const pi160 = referencePi160();
	if (!pi160) throw new Error("pi 1.6.0 not installed");
	const [ours, pi] = [await runCliScenario(piCommand(), scenario), await runCliScenario(pi160.command, scenario)];
	return { ours, pi };
}

// runCliScenario gives stdin /dev/null (or a pipe) and pipes stdout: no terminal on either side.
describe.skipIf(!referencePi160())("pi 1.6.0 side by side: stdin and stdout not terminals", () => {
	test("a message without -p is print mode: the same answer on stdout, the same requests, exit 0", async () => {
		const { ours, pi } = await sideBySide({
			name: "no-tty-message",
			args: ["list the files"],
			turns: [
				{ toolCalls: [{ id: "call_1", name: "bash", arguments: { command: "echo listed" } }] },
				{ text: "Here they are." },
			],
		});
		expect(ours.exitCode).toBe(0);
		expect(pi.exitCode).toBe(0);
		expect(ours.stdout).toBe(pi.stdout);
		expect(ours.stdout).toBe("Here they are.\n");
		expect(ours.requests.length).toBe(pi.requests.length);
	}, 30_000);

	test("piped stdin is the prompt", async () => {
		const { ours, pi } = await sideBySide({
			name: "no-tty-stdin",
			args: [],
			stdin: "from the pipe\n",
			turns: [{ text: "piped answer" }],
		});
		expect([ours.exitCode, ours.stdout]).toEqual([pi.exitCode, pi.stdout]);
		expect(JSON.stringify(ours.requests.at(-1)?.body)).toContain("from the pipe");
		expect(JSON.stringify(pi.requests.at(-1)?.body)).toContain("from the pipe");
	}, 30_000);

	test("no model: a message exits 1, no message exits 0, nothing on stdout either way", async () => {
		for (const args of [["hello"], ["-p", "hello"], [], ["-p"]]) {
			const { ours, pi } = await sideBySide({ name: "no-tty-no-model", args, noProvider: true });
			expect({ args, code: ours.exitCode, stdout: ours.stdout }).toEqual({ args, code: pi.exitCode, stdout: "" });
			expect(pi.stdout).toBe("");
			expect(ours.stderr).toContain("No models available");
		}
	}, 60_000);
});
