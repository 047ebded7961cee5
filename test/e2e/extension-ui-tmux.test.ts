/**
 * Extensions' own UI end to end, in a real terminal (tmux) on pi itself — the compiled binary when PI_TEST_BINARY is
 * set, as CI does: pi's todo example (unchanged) draws its tool row with renderCall/renderResult and its /todos
 * component, the overlay-test example an overlay over the transcript; keys reach them and the editor comes back. And
 * a pi package installed with `pi install ./folder` whose extension then loads and runs its command.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { copyExample } from "../extensions/examples.ts";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
	for (const step of cleanup.splice(0)) await step();
});

async function server(turns: Parameters<typeof startLlmServer>[0]): Promise<LlmTestServer> {
	const started = await startLlmServer(turns);
	cleanup.push(() => started.close());
	return started;
}

function tmux(pi: TmuxPi): TmuxPi {
	cleanup.push(() => pi.kill());
	return pi;
}

/** The editor takes text again (typed text shows between its borders), then it is cleared. */
async function editorBack(pi: TmuxPi, probe: string): Promise<void> {
	pi.type(probe);
	await pi.waitFor((screen) => {
		const rows = screen.split("\n");
		const borders = rows.flatMap((row, index) => (/^─{20,}/.test(row) ? [index] : []));
		const [top, bottom] = borders.slice(-2);
		return (
			top !== undefined &&
			bottom !== undefined &&
			rows
				.slice(top + 1, bottom)
				.join("\n")
				.includes(probe)
		);
	});
	pi.keys("C-u");
}

describe.skipIf(!tmuxBinary)("extensions' own UI in a real terminal", () => {
	test("todo: the tool row drawn by renderCall/renderResult, /todos's component closes with Escape", async () => {
		const llm = await server({
			turns: [
				{ toolCalls: [{ name: "todo", arguments: { action: "add", text: "water plants" } }] },
				{ text: "Noted." },
			],
		});
		const env = makePiEnv(llm.url);
		const pi = tmux(new TmuxPi(env, ["-e", copyExample("1.6.0", "todo.ts")]));
		await pi.waitFor("todo.ts");
		pi.type("remind me");
		pi.keys("Enter");
		await pi.waitFor("Noted.");
		const screen = await pi.waitFor("✓ Added #1 water plants");
		expect(screen).toContain('todo add "water plants"');
		pi.type("/todos");
		await pi.waitFor("Show all todos");
		pi.keys("Enter");
		await pi.waitFor("Press Escape to close");
		expect(pi.screen()).toContain("○ #1 water plants");
		pi.keys("Escape");
		await pi.waitFor((text) => !text.includes("Press Escape to close"));
		await editorBack(pi, "back in the editor");
		pi.keys("C-d");
		expect((await pi.exited()).code).toBe(0);
	}, 60_000);

	test("overlay-test: an overlay over the transcript takes the typing; its answer is shown and the editor is back", async () => {
		const llm = await server({ turns: [] });
		const env = makePiEnv(llm.url);
		const pi = tmux(new TmuxPi(env, ["-e", copyExample("1.6.0", "overlay-test.ts")]));
		await pi.waitFor("overlay-test.ts");
		pi.type("/overlay-tes");
		await pi.waitFor("Test overlay rendering");
		pi.type("t");
		pi.keys("Enter");
		await pi.waitFor("Overlay Test");
		pi.type("needle");
		await pi.waitFor("Search: needle");
		pi.keys("Enter");
		await pi.waitFor('Search: "needle"');
		await editorBack(pi, "typing again");
		pi.keys("C-d");
		expect((await pi.exited()).code).toBe(0);
	}, 60_000);

	test("pi install ./folder: the package's extension loads at the next start and its command runs", async () => {
		const llm = await server({ turns: [] });
		const env = makePiEnv(llm.url);
		const pkg = join(env.home, "greeter-package");
		mkdirSync(join(pkg, "extensions"), { recursive: true });
		writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "greeter-package", version: "1.0.0" }));
		writeFileSync(
			join(pkg, "extensions", "greeter.ts"),
			`export default function (pi) {
	pi.registerCommand("greet", {
		description: "Say hello from a package",
		handler: async (_args, ctx) => ctx.ui.notify("Hello from the greeter package"),
	});
}
`,
		);
		const install = await runPi(["install", "./greeter-package"], { ...env, cwd: env.home });
		expect(install.exitCode).toBe(0);
		expect(install.stdout).toContain("Installed ./greeter-package");
		const pi = tmux(new TmuxPi(env));
		await pi.waitFor("greeter.ts");
		pi.type("/gree");
		await pi.waitFor("Say hello from a package");
		pi.type("t");
		pi.keys("Enter");
		await pi.waitFor("Hello from the greeter package");
		pi.keys("C-d");
		expect((await pi.exited()).code).toBe(0);
	}, 60_000);
});
