/**
 * Session files across the two implementations. pi 1.6.0 continuing a file that we wrote was recorded
 * (record.ts: pi-continues-ours-<api>) next to pi continuing its own (continue-<api>); ours continuing pi's
 * is run by cli.test.ts. Here: pi treated our file exactly as its own, and what we write today is still the
 * file pi was shown to accept.
 */
import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import { cliFixture } from "../fixtures/compat/cli-fixture.ts";
import { CLI_SCENARIOS } from "../fixtures/compat/cli-scenarios.ts";
import { dropEntries, reduceEventFields as withoutProviderDifferences } from "../fixtures/compat/known-differences.ts";
import { runCliScenario } from "../fixtures/compat/run-scenario.ts";
import { piCommand } from "../support/run-pi.ts";

function fixture(name: string): { requests: unknown[]; session: unknown[] } {
	const recorded = cliFixture(name);
	return { requests: recorded.requests, session: recorded.session ?? [] };
}

const SystemMessageEntry = v.object({
	type: v.literal("message"),
	message: v.looseObject({ role: v.literal("system"), sections: v.record(v.string(), v.unknown()) }),
});

/**
 * The one thing pi does differently on our file: our prompt's `docs` section names the README this binary ships,
 * not pi's package, so pi declares its own `docs` section once (nothing else: no tool changes). We do the reverse
 * silently (src/agent/system-prompt.ts sameDocsExceptPaths).
 */
function isDocsUpdate(entry: unknown): boolean {
	if (!v.is(SystemMessageEntry, entry)) return false;
	const { sections, ...rest } = entry.message;
	return Object.keys(sections).join() === "docs" && Object.keys(rest).join() === "role,content,timestamp";
}

describe("pi 1.6.0 continues our session files as its own", () => {
	for (const api of ["anthropic-messages", "openai-completions", "openai-responses", "google-generative-ai"]) {
		test(api, async () => {
			const onOurs = fixture(`pi-continues-ours-${api}`);
			const onItsOwn = fixture(`continue-${api}`);
			expect(onOurs.requests).toEqual(onItsOwn.requests);
			expect(onOurs.session.filter(isDocsUpdate)).toHaveLength(1);
			expect(withoutProviderDifferences(dropEntries(onOurs.session, isDocsUpdate))).toEqual(
				withoutProviderDifferences(dropEntries(onItsOwn.session, () => false)),
			);

			const scenario = CLI_SCENARIOS.find((candidate) => candidate.name === `tools-${api}`);
			if (!scenario) throw new Error(`no tools-${api} scenario`);
			const today = await runCliScenario(piCommand(), scenario);
			const written = today.session ?? [];
			expect(written.length).toBeGreaterThan(0);
			expect(withoutProviderDifferences(onOurs.session.slice(0, written.length))).toEqual(
				withoutProviderDifferences(written),
			);
		});
	}
});
