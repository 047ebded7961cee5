/**
 * Streaming a long answer in a real terminal (tmux, 120×40), this binary and pi 1.6.0 side by side: the local LLM
 * server streams the same Markdown answer with code blocks (2,000 deltas of 8 characters by default, a few ms
 * apart like a real model), once into an empty session and once after resuming a long generated session. The figure
 * is the process's CPU time (utime + stime from /proc/<pid>/stat, every thread) from pressing Enter until the answer
 * is drawn to its end and the process has gone quiet. Issue 19's target: ≤ 0.5× pi's, at any transcript length.
 *
 * Run: ./node_modules/.bin/bun run build.ts --host && PI_REF_160_DIR=/work/ref/pi16 ./node_modules/.bin/bun bench/stream-interactive.ts [--deltas 2000] [--delay-ms 2] [--tokens 200000]
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer } from "../test/support/llm-server.ts";
import { referencePi160 } from "../test/support/reference-pi.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { killTmuxSession, tmux, tmuxBinary } from "../test/support/tmux-server.ts";
import { writeLongSession } from "./long-session.ts";
import { processCpuMs, startInTmux, typeText, waitForScreen, waitUntilQuiet } from "./terminal.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
	const index = args.indexOf(name);
	return index === -1 ? fallback : (args[index + 1] ?? fallback);
};
const DELTAS = Number(option("--deltas", "2000"));
const DELAY_MS = Number(option("--delay-ms", "2"));
const TOKENS = Number(option("--tokens", "200000"));
const binary = join(import.meta.dir, "..", "dist", "pi");

if (!tmuxBinary) {
	console.error("tmux is not installed");
	process.exit(1);
}

const END_MARKER = "That is the whole merge order, end of answer.";

/** Markdown paragraphs, lists and fenced code blocks, cut to DELTAS × 8 characters (the server's delta size). */
function longAnswer(): string {
	const section = (n: number) =>
		[
			`## Step ${n}: how the **settings** of layer ${n} are merged`,
			"",
			`Layer ${n} reads \`settings-${n}.json\` and merges it over the layers before it; keys it does not name keep`,
			"their earlier values, and nested objects merge key by key rather than being replaced whole.",
			"",
			`- the global file of layer ${n} is read from the agent folder`,
			"- the project file overrides it, key by key",
			"",
			"```ts",
			`export function mergeLayer${n}(base: Settings, layer: Settings): Settings {`,
			"\tconst merged = { ...base, ...layer };",
			"\tmerged.terminal = { ...base.terminal, ...layer.terminal };",
			"\treturn merged;",
			"}",
			"```",
			"",
		].join("\n");
	let text = "";
	for (let n = 1; text.length < DELTAS * 8 - END_MARKER.length - 1; n++) text += section(n);
	return `${text.slice(0, DELTAS * 8 - END_MARKER.length - 2)}\n\n${END_MARKER}`;
}

interface Sample {
	cpuMs: number;
	wallMs: number;
}

const server = await startLlmServer();
const answer = longAnswer();

/** One streamed answer: launch (resuming `session` when given), submit, wait for the end, read the CPU used. */
async function stream(label: string, command: string[], session: string | undefined): Promise<Sample> {
	const env = makePiEnv(server.url);
	const name = `pi-stream-${process.pid}-${label}`;
	const sessionArgs: string[] = [];
	if (session) {
		// Each run appends to the session it resumed, so each gets a copy of the generated one.
		const copy = join(env.home, "resumed.jsonl");
		copyFileSync(session, copy);
		sessionArgs.push("--session", copy);
	}
	const pid = startInTmux(name, [...command, ...sessionArgs], env);
	try {
		await waitForScreen(name, (screen) => screen.includes("test-model"), "footer");
		await waitUntilQuiet(pid);
		const requestsBefore = server.requests.length;
		server.enqueue({ text: answer, chunkDelayMs: DELAY_MS });
		await typeText(name, "Explain how the settings are merged");
		const cpuBefore = processCpuMs(pid);
		const started = performance.now();
		tmux("send-keys", "-t", name, "Enter");
		await waitForScreen(name, (screen) => screen.includes(END_MARKER), "end of the answer", {
			timeoutMs: 600_000,
			pollMs: 50,
		});
		const wallMs = performance.now() - started;
		const cpuAfter = await waitUntilQuiet(pid, { timeoutMs: 600_000 });
		if (server.requests.length !== requestsBefore + 1)
			throw new Error(`${label}: expected one request, the server saw ${server.requests.length - requestsBefore}`);
		return { cpuMs: cpuAfter - cpuBefore, wallMs };
	} finally {
		killTmuxSession(name);
	}
}

const setup = makePiEnv();
const { file, messages } = writeLongSession(setup.cwd, join(setup.home, "sessions"), TOKENS);
console.log(
	`answer: ${DELTAS} deltas (${answer.length} characters of Markdown with code blocks), ${DELAY_MS} ms apart; ` +
		`long session: ${messages} messages, ~${TOKENS} tokens. One run each (a busy 2-core machine varies; rerun to compare).`,
);

const reference = referencePi160();
const cases = [
	{ transcript: "empty session", session: undefined },
	{ transcript: `resumed ~${TOKENS / 1000}k tokens`, session: file },
];
console.log("\ntranscript                 ours CPU (wall)        pi 1.6.0 CPU (wall)    ratio   target ≤ 0.5×");
let failed = false;
for (const { transcript, session } of cases) {
	const ours = await stream(`ours-${session ? "long" : "empty"}`, [binary], session);
	const pi = reference ? await stream(`pi-${session ? "long" : "empty"}`, reference.command, session) : undefined;
	const cell = (s: Sample) => `${s.cpuMs.toFixed(0)} ms (${(s.wallMs / 1000).toFixed(1)} s)`;
	const ratio = pi ? ours.cpuMs / pi.cpuMs : Number.NaN;
	if (!(ratio <= 0.5)) failed = true;
	console.log(
		`${transcript.padEnd(26)} ${cell(ours).padEnd(22)} ${(pi ? cell(pi) : "-").padEnd(22)} ` +
			`${pi ? `${ratio.toFixed(2)}×` : "-"}   ${pi ? (ratio <= 0.5 ? "PASS" : "MISS") : "-"}`,
	);
}
await server.close();
process.exit(failed ? 1 : 0);
