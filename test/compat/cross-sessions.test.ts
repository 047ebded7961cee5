/**
 * Session files across the two implementations. pi 0.73.1 continuing a file that we wrote was recorded
 * (record.ts: pi-continues-ours-<api>) next to pi continuing its own (continue-<api>); ours continuing pi's
 * is run by cli.test.ts. Here: pi treated our file exactly as its own, and what we write today is still the
 * file pi was shown to accept.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { CLI_SCENARIOS } from "../fixtures/compat/cli-scenarios.ts";
import { runCliScenario } from "../fixtures/compat/run-scenario.ts";
import { piCommand } from "../support/run-pi.ts";

const FixtureSchema = v.object({
	requests: v.array(v.object({ api: v.string(), path: v.string(), body: v.unknown() }), "requests"),
	session: v.array(v.unknown()),
});

function fixture(name: string) {
	const text = readFileSync(join(import.meta.dir, "../fixtures/compat/cli", `${name}.json`), "utf8");
	return v.parse(FixtureSchema, JSON.parse(text));
}

describe("pi 0.73.1 continues our session files as its own", () => {
	for (const api of ["anthropic-messages", "openai-completions", "openai-responses", "google-generative-ai"]) {
		test(api, async () => {
			const onOurs = fixture(`pi-continues-ours-${api}`);
			const onItsOwn = fixture(`continue-${api}`);
			expect(onOurs.requests).toEqual(onItsOwn.requests);
			expect(onOurs.session).toEqual(onItsOwn.session);

			const scenario = CLI_SCENARIOS.find((candidate) => candidate.name === `tools-${api}`);
			if (!scenario) throw new Error(`no tools-${api} scenario`);
			const today = await runCliScenario(piCommand(), scenario);
			const written = today.session ?? [];
			expect(written.length).toBeGreaterThan(0);
			expect(onOurs.session.slice(0, written.length)).toEqual(written);
		});
	}
});
