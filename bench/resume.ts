/**
 * Resume of a long session in a real terminal (tmux, 120×40): `pi --session <file>` of a generated session with
 * ~1M tokens of transcript (questions, bash calls with 30-line outputs, Markdown answers with code blocks), for this
 * binary and — with PI_REF_160_DIR — pi 1.6.0. Prints, for each: CPU (and wall) time until the footer is drawn (a
 * typeable editor), the CPU used in the second after that (idle: < 50 ms), and the RSS then; with PASS/MISS for
 * issue 19's targets: typeable in < 300 ms, idle within 1 s, RSS ≤ 0.5× pi 1.6.0's.
 *
 * Run: ./node_modules/.bin/bun run build.ts --host && PI_REF_160_DIR=/work/ref/pi16 ./node_modules/.bin/bun bench/resume.ts [--tokens 1000000] [--runs 3]
 */
import { join } from "node:path";
import { referencePi160 } from "../test/support/reference-pi.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { killTmuxSession, tmuxBinary } from "../test/support/tmux-server.ts";
import { writeLongSession } from "./long-session.ts";
import { median } from "./stats.ts";
import { mainThreadCpuMs, rssMbOf, startInTmux, waitForScreen } from "./terminal.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
	const index = args.indexOf(name);
	return index === -1 ? fallback : (args[index + 1] ?? fallback);
};
const TOKENS = Number(option("--tokens", "1000000"));
const RUNS = Number(option("--runs", "3"));
const binary = join(import.meta.dir, "..", "dist", "pi");

if (!tmuxBinary) {
	console.error("tmux is not installed");
	process.exit(1);
}

interface Sample {
	cpuMs: number;
	wallMs: number;
	idleCpuMs: number;
	rssMb: number;
}

async function resume(command: string[], file: string): Promise<Sample> {
	const env = makePiEnv("http://127.0.0.1:9");
	const samples: Sample[] = [];
	for (let i = 0; i < RUNS + 1; i++) {
		const name = `pi-resume-${process.pid}-${i}`;
		const started = performance.now();
		const pid = startInTmux(name, [...command, "--session", file], env);
		// The footer (model name) is the last thing of a drawn screen; a trust or other prompt would stop here.
		await waitForScreen(name, (screen) => screen.includes("test-model"), "footer");
		const cpuMs = mainThreadCpuMs(pid);
		const wallMs = performance.now() - started;
		await Bun.sleep(1000);
		const afterOne = mainThreadCpuMs(pid);
		await Bun.sleep(1000);
		const idleCpuMs = mainThreadCpuMs(pid) - afterOne;
		const rssMb = rssMbOf(pid);
		killTmuxSession(name);
		if (i > 0) samples.push({ cpuMs, wallMs, idleCpuMs, rssMb });
	}
	return {
		cpuMs: median(samples.map((s) => s.cpuMs)),
		wallMs: median(samples.map((s) => s.wallMs)),
		idleCpuMs: median(samples.map((s) => s.idleCpuMs)),
		rssMb: median(samples.map((s) => s.rssMb)),
	};
}

const setup = makePiEnv();
const { file, messages } = writeLongSession(setup.cwd, join(setup.home, "sessions"), TOKENS);
console.log(`session: ${messages} messages, ~${TOKENS} tokens, ${(Bun.file(file).size / 1e6).toFixed(1)} MB`);

const ours = await resume([binary], file);
const reference = referencePi160();
const pi = reference ? await resume(reference.command, file) : undefined;
const show = (label: string, s: Sample) =>
	console.log(
		`${label.padEnd(10)} typeable after ${s.cpuMs.toFixed(0)} ms CPU (${s.wallMs.toFixed(0)} ms wall), ` +
			`CPU in the second after 1 s: ${s.idleCpuMs.toFixed(0)} ms, RSS ${s.rssMb.toFixed(0)} MB`,
	);
show("ours", ours);
if (pi) show("pi 1.6.0", pi);

console.log("\ntarget                                   figure            pi 1.6.0          result");
const row = (name: string, figure: string, reference: string, ok: boolean) =>
	console.log(`${name.padEnd(40)} ${figure.padEnd(17)} ${reference.padEnd(17)} ${ok ? "PASS" : "MISS"}`);
row(
	"resume to a typeable editor < 300 ms",
	`${ours.cpuMs.toFixed(0)} ms CPU`,
	pi ? `${pi.cpuMs.toFixed(0)} ms` : "-",
	ours.cpuMs < 300,
);
row(
	"idle within 1 s (< 50 ms CPU in 1 s)",
	`${ours.idleCpuMs.toFixed(0)} ms`,
	pi ? `${pi.idleCpuMs.toFixed(0)} ms` : "-",
	ours.idleCpuMs < 50,
);
if (pi)
	row("RSS ≤ 0.5× pi 1.6.0's", `${ours.rssMb.toFixed(0)} MB`, `${pi.rssMb.toFixed(0)} MB`, ours.rssMb <= pi.rssMb / 2);
process.exit(0);
