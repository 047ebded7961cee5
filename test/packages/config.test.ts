/**
 * `pi config` (pi 1.6.0's resource picker) in a real terminal (tmux), through the real CLI: the resources of
 * packages and of the user's folders are listed with checkboxes; Space switches one off, which is written to
 * settings.json as pi writes it (`-path` in the settings array, or in the package entry's object form), and the
 * next run leaves it out.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { makePiEnv, runPi } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";
import { makePackage, skillMd, writeFiles } from "./fixtures.ts";

const running: TmuxPi[] = [];
afterEach(() => {
	for (const pi of running.splice(0)) pi.kill();
});

function settings(agentDir: string): Record<string, unknown> {
	return v.parse(v.record(v.string(), v.unknown()), JSON.parse(readFileSync(join(agentDir, "settings.json"), "utf8")));
}

/** An extension that registers a slash command (RPC's get_commands lists it while it loads). */
function command(name: string): string {
	return `export default function (pi) { pi.registerCommand(${JSON.stringify(name)}, { handler: async () => {} }); }\n`;
}

async function commandsOf(env: ReturnType<typeof makePiEnv>): Promise<string> {
	const run = await runPi(["--mode", "rpc"], env, { stdin: `${JSON.stringify({ id: "1", type: "get_commands" })}\n` });
	if (!run.stdout) throw new Error(`get_commands failed: ${run.stderr}`);
	return run.stdout;
}

describe("pi config", () => {
	test("without a terminal it says so and changes nothing", async () => {
		const env = makePiEnv();
		const run = await runPi(["config"], env);
		expect(run.exitCode).toBe(1);
		expect(run.stderr).toContain("pi config shows a picker and needs a terminal");
		const bad = await runPi(["config", "--bogus"], env);
		expect(bad.stderr).toBe(
			'Unknown option --bogus for "config".\nUse "pi --help" or "pi config [-l] [--approve|--no-approve]".\n',
		);
	});

	test.skipIf(!tmuxBinary)(
		"lists package and user resources; Space switches them off in settings.json",
		async () => {
			// A model is configured (RPC mode needs one); no request is ever made.
			const env = makePiEnv("http://127.0.0.1:9");
			writeFiles(env.agentDir, {
				"extensions/mine.ts": command("mine-cmd"),
				"skills/tidy/SKILL.md": skillMd("tidy", "Tidies up"),
			});
			const pkg = makePackage(
				{ name: "cfg-pkg", pi: { extensions: ["./ext/one.ts"], prompts: ["./prompts"] } },
				{ "ext/one.ts": command("one-cmd"), "prompts/review.md": "Review it." },
			);
			expect((await runPi(["install", pkg], env)).exitCode).toBe(0);
			const source = (settings(env.agentDir).packages as string[])[0] ?? "";
			const before = await commandsOf(env);
			expect(before).toContain('"name":"one-cmd"');
			expect(before).toContain('"name":"mine-cmd"');

			const pi = new TmuxPi(env, ["config"]);
			running.push(pi);
			const screen = await pi.waitFor("Global Resources");
			expect(screen).toContain(`${source} (user)`);
			expect(screen).toContain("[x] ext/one.ts");
			expect(screen).toContain("[x] review.md");
			expect(screen).toContain("[x] mine.ts");
			expect(screen).toContain("[x] tidy");
			// The first item is selected: the package's extension. Space switches it off.
			pi.type(" ");
			await pi.waitFor("[ ] ext/one.ts");
			expect(settings(env.agentDir).packages).toEqual([{ source, extensions: ["-ext/one.ts"] }]);
			// Typing filters; then the user's own extension goes off too.
			pi.type("mine");
			await pi.waitFor((text) => !text.includes("review.md"));
			pi.type(" ");
			await pi.waitFor("[ ] mine.ts");
			expect(settings(env.agentDir).extensions).toEqual(["-extensions/mine.ts"]);
			pi.keys("Escape");
			expect((await pi.exited()).code).toBe(0);

			// Opened again, the state is read back from the settings.
			const again = new TmuxPi(env, ["config"]);
			running.push(again);
			const reread = await again.waitFor("Global Resources");
			expect(reread).toContain("[ ] ext/one.ts");
			expect(reread).toContain("[ ] mine.ts");
			expect(reread).toContain("[x] review.md");
			again.type(" ");
			await again.waitFor("[x] ext/one.ts");
			expect(settings(env.agentDir).packages).toEqual([{ source, extensions: ["+ext/one.ts"] }]);
			again.keys("C-c");
			expect((await again.exited()).code).toBe(0);
		},
		60_000,
	);
});
