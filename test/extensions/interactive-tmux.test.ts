/**
 * pi's example extensions in interactive mode, in a real terminal (tmux): discovered from ~/.pi/agent/extensions,
 * listed at startup, their dialogs answered with keys, their commands completed and run, their statuses in the
 * footer, /reload picking up an edited extension. Skips only when tmux is not installed (.ci/run installs it).
 */
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type ScriptedTurn, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";
import { copyExample } from "./examples.ts";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
	for (const step of cleanup.splice(0)) await step();
});

async function interactive(turns: ScriptedTurn[], extensions: [version: "1.6.0" | "0.73.1", name: string][]) {
	const server = await startLlmServer({ turns });
	const env = makePiEnv(server.url);
	const folder = join(env.agentDir, "extensions");
	mkdirSync(folder, { recursive: true });
	for (const [version, name] of extensions) copyExample(version, name, folder);
	const pi = new TmuxPi(env);
	cleanup.push(
		() => pi.kill(),
		() => server.close(),
	);
	await pi.waitFor("[Extensions]");
	return { server, env, pi, folder };
}

describe.skipIf(!tmuxBinary)("extensions in interactive mode", () => {
	test("permission-gate and status-line: listed, a select dialog answered with keys, a footer status", async () => {
		const { server, env, pi } = await interactive(
			[{ toolCalls: [{ name: "bash", arguments: { command: "rm -rf victim" } }] }, { text: "Left it alone." }],
			[
				["1.6.0", "permission-gate.ts"],
				["1.6.0", "status-line.ts"],
			],
		);
		mkdirSync(join(env.cwd, "victim"));
		expect(pi.screen()).toContain("permission-gate.ts");
		await pi.waitFor("Ready");
		pi.type("clean up");
		pi.keys("Enter");
		await pi.waitFor("Allow?");
		// The dialog offers Yes then No: pick No.
		pi.keys("Down");
		pi.keys("Enter");
		await pi.waitFor("Left it alone.");
		await pi.waitFor("Turn 2 complete");
		expect(JSON.stringify(server.requests.at(-1)?.body)).toContain("Blocked by user");
		expect(existsSync(join(env.cwd, "victim"))).toBe(true);
	});

	test("pirate (0.73.1): the command is in the slash menu, runs, and changes the next request", async () => {
		const { server, pi } = await interactive([{ text: "Ahoy, matey." }], [["0.73.1", "pirate.ts"]]);
		pi.type("/pira");
		await pi.waitFor("Toggle pirate mode");
		pi.keys("Tab");
		pi.keys("Enter");
		await pi.waitFor("Arrr! Pirate mode enabled!");
		pi.type("hello");
		pi.keys("Enter");
		await pi.waitFor("Ahoy, matey.");
		expect(JSON.stringify(server.requests.at(-1)?.body)).toContain("PIRATE MODE");
	});

	test("/reload re-reads an edited extension; a broken one is listed as an issue and pi goes on", async () => {
		const { pi, folder } = await interactive(
			[],
			[
				["1.6.0", "hello.ts"],
				["1.6.0", "session-name.ts"],
			],
		);
		writeFileSync(join(folder, "broken.ts"), "export default function (pi) {\n\tpi.nonsense();\n}\n");
		pi.type("/reload");
		pi.keys("Enter");
		await pi.waitFor("[Extension issues]");
		expect(pi.screen()).toContain("pi.nonsense is not a function");
		expect(pi.screen()).toContain("broken.ts:2");
		pi.type("/session-name After reload");
		pi.keys("Enter");
		await pi.waitFor("Session named: After reload");
	});
});
