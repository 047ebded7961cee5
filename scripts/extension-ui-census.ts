/**
 * The interactive half of the census of pi's example extensions (scripts/extension-census.ts runs every example in
 * RPC mode): the examples that draw their own TUI components — games, overlays, custom editors, header and footer,
 * question dialogs — run unchanged in the interactive mode of the binary, in a real terminal (tmux), against the test
 * LLM server:
 *
 *   1. start `pi -e <example>`; the editor must come up with no extension error on screen;
 *   2. each of the extension's commands is typed and run; whatever it shows (a component in the editor's place, an
 *      overlay, a dialog) must close again with Escape (at most three; a game's `q` as a last resort), and the editor
 *      must take typed text afterwards;
 *   3. examples whose UI appears when the model calls their tool (question, questionnaire) get a scripted tool call,
 *      answered with Enter; the answer must reach the model;
 *   4. Ctrl+D quits with exit code 0.
 *
 * An example passes when all of that holds. Examples that need something a terminal cannot give them are listed
 * with the reason instead of a result.
 *
 *   bun run build.ts --host && PI_REF_073_DIR=… PI_REF_160_DIR=… bun scripts/extension-ui-census.ts [--only name]
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { type ScriptedTurn, startLlmServer } from "../test/support/llm-server.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../test/support/tmux-pi.ts";
import { CUSTOM_UI, referenceExamples, sourceText, useBinary } from "./census-examples.ts";

/** What these examples need that a terminal on this machine does not give them. */
const OUTSIDE: Record<string, string> = {
	"doom-overlay": "downloads DOOM's shareware WAD from gamers.org on first use; this machine and CI have no internet",
};

/** The tool call that makes an example show its UI, and the keys that answer it. */
const TOOL_SCENARIOS: Record<string, { call: { name: string; arguments: Record<string, unknown> }; keys: string[] }> = {
	"question.ts": {
		call: {
			name: "question",
			arguments: { question: "Pick a colour", options: [{ label: "Red" }, { label: "Blue" }] },
		},
		keys: ["Enter"],
	},
	"questionnaire.ts": {
		call: {
			name: "questionnaire",
			arguments: {
				questions: [{ id: "colour", prompt: "Pick a colour", options: [{ value: "red", label: "Red" }] }],
			},
		},
		keys: ["Enter", "Enter"],
	},
};

interface Outcome {
	name: string;
	passed: boolean;
	notes: string[];
}

/** The extension's commands, read from its source (registerCommand("name", …)). */
function commandsOf(source: string): string[] {
	return [...source.matchAll(/registerCommand\(\s*["'`]([\w:-]+)["'`]/g)].map((match) => match[1] ?? "");
}

const EDITOR_TOP = /─{20,}/;
const ERROR = /Extension "[^"]*" error|Failed to load extension/;

async function settle(pi: TmuxPi, ms = 400): Promise<string> {
	await Bun.sleep(ms);
	return pi.screen();
}

/** The text inside the prompt editor: the rows between its two borders, the last ones on screen. */
function editorText(screen: string): string {
	const rows = screen.split("\n");
	// Border rows start with ─ and are mostly ─ (a custom editor may write text into them).
	const borders = rows.flatMap((row, index) =>
		row.trim().startsWith("─") && (row.match(/─/g)?.length ?? 0) >= 10 ? [index] : [],
	);
	const bottom = borders.at(-1);
	const top = borders.at(-2);
	if (bottom === undefined || top === undefined) return "";
	return rows.slice(top + 1, bottom).join("\n");
}

/** The editor takes typed text again (then it is cleared): the text must show inside the editor, nowhere else. */
async function editorBack(pi: TmuxPi, probe: string): Promise<boolean> {
	pi.type(probe);
	try {
		await pi.waitFor((screen) => editorText(screen).includes(probe), 2_000);
		pi.keys("C-u");
		return true;
	} catch {
		return false;
	}
}

async function runCommand(pi: TmuxPi, command: string, notes: string[], round: number): Promise<boolean> {
	const before = pi.screen();
	pi.type(`/${command}`);
	await Bun.sleep(150);
	pi.keys("Enter");
	const shown = await settle(pi, 800);
	if (ERROR.test(shown)) {
		notes.push(`/${command}: extension error on screen`);
		return false;
	}
	if (shown === before) notes.push(`/${command}: nothing changed on screen`);
	// Close what it shows: Escape (a game pauses on the first), then q for games that quit with it.
	for (const key of ["Escape", "Escape", "Escape", "q"]) {
		if (await editorBack(pi, `probe${round}`)) return true;
		pi.keys(key);
		await Bun.sleep(300);
	}
	const back = await editorBack(pi, `probe${round}`);
	if (!back) notes.push(`/${command}: the editor did not come back`);
	return back;
}

async function census(version: string, name: string, original: string): Promise<Outcome> {
	const notes: string[] = [];
	const folder = mkdtempSync(join(tmpdir(), "pi-ui-census-"));
	const path = join(folder, basename(original));
	cpSync(original, path, { recursive: true });
	const scenario = TOOL_SCENARIOS[name];
	const turns: ScriptedTurn[] = scenario
		? [{ toolCalls: [scenario.call] }, { text: "census done" }]
		: [{ text: "census answer" }];
	const server = await startLlmServer({ turns });
	const env = makePiEnv(server.url);
	const pi = new TmuxPi(env, ["-e", path]);
	let passed = false;
	try {
		const start = await pi.waitFor((screen) => EDITOR_TOP.test(screen), 15_000);
		if (ERROR.test(start)) notes.push("extension error at startup");
		let ok = !ERROR.test(start) && (await editorBack(pi, "typed"));
		if (!ok) notes.push("the editor does not take text at startup");
		let round = 0;
		for (const command of commandsOf(sourceText(original))) {
			if (!ok) break;
			ok = await runCommand(pi, command, notes, ++round);
		}
		if (ok && scenario) {
			pi.type("go");
			pi.keys("Enter");
			await settle(pi, 1_000);
			for (const key of scenario.keys) {
				pi.keys(key);
				await Bun.sleep(400);
			}
			try {
				await pi.waitFor("census done", 10_000);
			} catch {
				ok = false;
				notes.push(`the ${scenario.call.name} tool's UI was not answered`);
			}
		}
		const final = pi.screen();
		if (ERROR.test(final)) {
			ok = false;
			notes.push("extension error on screen");
		}
		pi.keys("C-c");
		await Bun.sleep(100);
		pi.keys("C-d");
		const exit = await pi.exited(10_000).catch(() => ({ code: -1, stty: [] }));
		if (exit.code !== 0) notes.push(`exit ${exit.code}`);
		passed = ok && exit.code === 0;
	} catch (error) {
		notes.push(error instanceof Error ? (error.message.split("\n")[0] ?? "") : String(error));
	} finally {
		pi.kill();
		await server.close();
	}
	return { name: `${version} ${name}`, passed, notes };
}

if (!tmuxBinary) {
	console.log("tmux is not installed: the interactive census needs it");
	process.exit(1);
}
useBinary();

for (const { version, dir, names: all } of referenceExamples()) {
	const names = all.filter((name) => CUSTOM_UI.test(sourceText(join(dir, name))));
	const outcomes: Outcome[] = [];
	for (const name of names) {
		const reason = OUTSIDE[name];
		if (reason) {
			console.log(`skip  ${version} ${name.padEnd(26)} ${reason}`);
			continue;
		}
		const outcome = await census(version, name, join(dir, name));
		outcomes.push(outcome);
		console.log(`${outcome.passed ? "pass " : "FAIL "} ${outcome.name.padEnd(33)} ${outcome.notes.join("; ")}`);
	}
	const pass = outcomes.filter((outcome) => outcome.passed).length;
	console.log(
		`\npi ${version}: ${names.length} examples draw custom TUI components; ${pass} of the ${outcomes.length} run ` +
			`pass in interactive mode (${names.length - outcomes.length} need something outside a terminal)`,
	);
}
