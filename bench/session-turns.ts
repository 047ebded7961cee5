/**
 * 50 turns of one interactive session in a real terminal (tmux, 120×40), this binary and pi 1.6.0 side by side —
 * interactive because that is how pi users hold long sessions. Each prompt is typed and submitted once the previous
 * turn is over; the local LLM server answers it with a short text plus one `read` call of a small file, then, after
 * the tool result, with a short final text. Figures: the process's CPU time (utime + stime from /proc/<pid>/stat)
 * from the first submit to the end of the last turn, and its peak RSS (VmHWM). Issue 19's target: both ≤ 0.5× pi's.
 *
 * Run: ./node_modules/.bin/bun run build.ts --host && PI_REF_160_DIR=/work/ref/pi16 ./node_modules/.bin/bun bench/session-turns.ts [--turns 50]
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { type RecordedRequest, startLlmServer } from "../test/support/llm-server.ts";
import { referencePi160 } from "../test/support/reference-pi.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { killTmuxSession, tmux, tmuxBinary } from "../test/support/tmux-server.ts";
import {
	peakRssMbOf,
	processCpuMs,
	rssMbOf,
	startInTmux,
	typeText,
	waitForScreen,
	waitUntilQuiet,
} from "./terminal.ts";

const args = process.argv.slice(2);
const turnsIndex = args.indexOf("--turns");
const TURNS = Number(turnsIndex === -1 ? "50" : (args[turnsIndex + 1] ?? "50"));
const binary = join(import.meta.dir, "..", "dist", "pi");

if (!tmuxBinary) {
	console.error("tmux is not installed");
	process.exit(1);
}

const NOTES = Array.from({ length: 20 }, (_, n) => `note ${n + 1}: the settings merge keeps key ${n} from the project`);
const doneMarker = (turn: number) => `turn-${turn}-done`;

// The chat-completions body (openai-completions): only the last message's role decides the answer.
const ChatBody = v.object({ messages: v.array(v.object({ role: v.string() })) });

let turn = 0;
const server = await startLlmServer({
	// Answers by what is asked rather than by a fixed queue, so an extra request (a title, a retry) cannot shift
	// every later answer: a tool result gets the final text, anything else the text + `read` call.
	onRequest(request: RecordedRequest) {
		const body = v.safeParse(ChatBody, request.body);
		const last = body.success ? body.output.messages.at(-1)?.role : undefined;
		if (last === "tool") server.enqueue({ text: `The notes list twenty settings. ${doneMarker(turn)}` });
		else
			server.enqueue({
				text: "Let me read the notes first.",
				toolCalls: [{ name: "read", arguments: { path: "notes.txt" } }],
			});
	},
});

interface Result {
	cpuMs: number;
	wallMs: number;
	peakRssMb: number;
	rssMb: number;
	requests: number;
}

async function session(label: string, command: string[]): Promise<Result> {
	const env = makePiEnv(server.url);
	writeFileSync(join(env.cwd, "notes.txt"), `${NOTES.join("\n")}\n`);
	const name = `pi-turns-${process.pid}-${label}`;
	const pid = startInTmux(name, command, env);
	try {
		await waitForScreen(name, (screen) => screen.includes("test-model"), "footer");
		await waitUntilQuiet(pid);
		const requestsBefore = server.requests.length;
		const cpuBefore = processCpuMs(pid);
		const started = performance.now();
		let cpuAfter = cpuBefore;
		for (turn = 1; turn <= TURNS; turn++) {
			await typeText(name, `Turn ${turn}: read notes.txt and sum it up`);
			tmux("send-keys", "-t", name, "Enter");
			const marker = doneMarker(turn);
			await waitForScreen(name, (screen) => screen.includes(marker), `end of turn ${turn}`, { pollMs: 20 });
			// The next prompt only once the turn is over (a prompt typed while the agent works would steer it).
			cpuAfter = await waitUntilQuiet(pid, { quietMs: 250 });
		}
		return {
			cpuMs: cpuAfter - cpuBefore,
			wallMs: performance.now() - started,
			peakRssMb: peakRssMbOf(pid),
			rssMb: rssMbOf(pid),
			requests: server.requests.length - requestsBefore,
		};
	} finally {
		killTmuxSession(name);
	}
}

console.log(
	`${TURNS} turns, interactive in tmux (how pi users drive long sessions); each turn: prompt → text + read call → ` +
		"final text. One run each (a busy 2-core machine varies; rerun to compare).",
);
const ours = await session("ours", [binary]);
const reference = referencePi160();
const pi = reference ? await session("pi", reference.command) : undefined;
const show = (label: string, r: Result) =>
	console.log(
		`${label.padEnd(10)} CPU ${r.cpuMs.toFixed(0)} ms (${(r.cpuMs / TURNS).toFixed(1)} ms a turn), wall ` +
			`${(r.wallMs / 1000).toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB (at the end ${r.rssMb.toFixed(0)} MB), ` +
			`${r.requests} requests`,
	);
show("ours", ours);
if (pi) show("pi 1.6.0", pi);

let failed = false;
if (pi) {
	console.log("\ntarget                           ours        pi 1.6.0    ratio   result");
	const row = (target: string, figure: number, reference: number, unit: string) => {
		const ratio = figure / reference;
		if (!(ratio <= 0.5)) failed = true;
		console.log(
			`${target.padEnd(32)} ${`${figure.toFixed(0)} ${unit}`.padEnd(11)} ${`${reference.toFixed(0)} ${unit}`.padEnd(11)} ` +
				`${ratio.toFixed(2)}×   ${ratio <= 0.5 ? "PASS" : "MISS"}`,
		);
	};
	row(`${TURNS} turns: CPU ≤ 0.5× pi's`, ours.cpuMs, pi.cpuMs, "ms");
	row(`${TURNS} turns: peak RSS ≤ 0.5× pi's`, ours.peakRssMb, pi.peakRssMb, "MB");
}
await server.close();
process.exit(failed ? 1 : 0);
