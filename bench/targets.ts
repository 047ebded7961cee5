/**
 * Issue 19's startup, size and memory targets, each with its figure, pi's figure where it applies, and PASS/MISS;
 * with --check, also the cheap-bench regression gate CI runs (.ci/run).
 *
 * CPU figures are CPU time (user + system) of the process over --runs; each is also expressed as a ratio to
 * a baseline measured in the same run on the same machine — a bare compiled Bun hello world for process figures,
 * a fixed JavaScript workload for in-process frame figures — so machine speed cancels out of the ratios.
 *
 *   bun bench/targets.ts [--binary dist/pi] [--runs 20]       the table (build first: bun run build.ts --host)
 *   bun bench/targets.ts --check bench/baseline.json           also fail (exit 1) on a ratio >25 % above the baseline
 *   bun bench/targets.ts --write-baseline bench/baseline.json  record the ratios of this machine as the baseline
 * PI_REF_160_DIR / PI_REF_073_DIR (test/support/reference-pi.ts) add pi's figures.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as v from "valibot";
import { compile } from "../build.ts";
import { startLlmServer } from "../test/support/llm-server.ts";
import { type ReferencePi, referencePi073, referencePi160 } from "../test/support/reference-pi.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { median } from "./stats.ts";

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
	const index = argv.indexOf(name);
	return index === -1 ? undefined : argv[index + 1];
};
const repoRoot = resolve(import.meta.dir, "..");
const binary = resolve(option("--binary") ?? join(repoRoot, "dist/pi"));
const runs = Number(option("--runs") ?? 20);
const checkPath = option("--check");
const writePath = option("--write-baseline");
if (!existsSync(binary)) throw new Error(`${binary} does not exist: build it first (bun run build.ts --host)`);

const scratch = mkdtempSync(join(tmpdir(), "pi-targets-"));
const home = join(scratch, "home");
const cleanEnv = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: home, PI_OFFLINE: "1", PI_SKIP_VERSION_CHECK: "1" };

interface Sample {
	cpuMs: number;
	rssMb: number;
}

function sampleOf(usage: NonNullable<ReturnType<typeof Bun.spawnSync>["resourceUsage"]>): Sample {
	return { cpuMs: Number(usage.cpuTime.user + usage.cpuTime.system) / 1000, rssMb: usage.maxRSS / 1024 / 1024 };
}

const MeasuredSchema = v.array(v.object({ cpuMs: v.array(v.number()), rssMb: v.array(v.number()) }));

/**
 * CPU and peak RSS of short commands, run in alternation by bench/measure_command.py (see there why not from
 * here), after two warm-up rounds: the minimum CPU (other work on a busy machine only ever adds to a sample) and
 * the median RSS.
 */
function measureCommands(commands: string[][]): Sample[] {
	const helper = join(import.meta.dir, "measure_command.py");
	const args = commands.flatMap((command, index) => (index === 0 ? command : ["--", ...command]));
	const proc = Bun.spawnSync(["python3", helper, String(runs + 2), ...args], {
		env: cleanEnv,
		stdout: "pipe",
		stderr: "pipe",
	});
	if (proc.exitCode !== 0) throw new Error(`measuring ${commands.map((c) => c.join(" ")).join(", ")}: ${proc.stderr}`);
	return v.parse(MeasuredSchema, JSON.parse(proc.stdout.toString())).map((measured) => ({
		cpuMs: Math.min(...measured.cpuMs.slice(2)),
		rssMb: median(measured.rssMb.slice(2)),
	}));
}

/**
 * A bare compiled Bun hello world, compiled by build.ts's own command line (bytecode, exec argv such as
 * --use-system-ca, which alone adds ~1 MB of RSS) so that only our code differs.
 */
async function buildHello(): Promise<string> {
	const source = join(scratch, "hello.ts");
	const out = join(scratch, "hello");
	writeFileSync(source, 'console.log("0.1.0");\n');
	await compile({ bytecode: true, entry: source, bare: true }, out);
	return out;
}

/** A fixed JavaScript workload: what a frame's work is divided by, so CI machines of any speed compare. */
function calibrationMs(): number {
	const times: number[] = [];
	for (let round = 0; round < 15; round++) {
		const start = process.cpuUsage();
		let text = "";
		for (let i = 0; i < 20_000; i++) text += `line ${i}: ${"word ".repeat(i % 7)}\n`;
		const lines = text.split("\n").map((line) => line.padEnd(40).slice(0, 40).toUpperCase());
		JSON.parse(JSON.stringify(lines));
		const used = process.cpuUsage(start);
		times.push((used.user + used.system) / 1000);
	}
	return median(times);
}

/** CPU time a pid has used so far (schedstat: nanoseconds, finer than stat's clock ticks). */
function cpuMsOf(pid: number): number {
	return Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]) / 1e6;
}

function rssMbOf(pid: number): number {
	return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024;
}

/**
 * Launch to a drawn, typeable editor in a real terminal (tmux): CPU used when the footer first shows the model,
 * and the RSS once idle a second later. Undefined without tmux.
 */
async function launchToEditor(command: string[], serverUrl: string): Promise<Sample & { idleRssMb: number }> {
	const { killTmuxSession, tmux, tmuxBinary } = await import("../test/support/tmux-server.ts");
	if (!tmuxBinary) throw new Error("tmux is not installed");
	const env = makePiEnv(serverUrl);
	const samples: (Sample & { idleRssMb: number })[] = [];
	for (let i = 0; i < Math.min(runs, 8) + 1; i++) {
		const name = `pi-targets-${process.pid}-${i}`;
		const envFlags = Object.entries(env.env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
		tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", env.cwd, ...envFlags, ...command);
		const pid = Number(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").trim());
		let cpuMs = Number.NaN;
		let rssMb = Number.NaN;
		const deadline = Date.now() + 30_000;
		while (Date.now() < deadline) {
			if (tmux("capture-pane", "-p", "-t", name).includes("test-model")) {
				cpuMs = cpuMsOf(pid);
				rssMb = rssMbOf(pid);
				break;
			}
			await Bun.sleep(2);
		}
		// Idle memory: whatever startup work is left has had a second to finish.
		await Bun.sleep(1000);
		const idleRssMb = rssMbOf(pid);
		killTmuxSession(name);
		if (i > 0) samples.push({ cpuMs, rssMb, idleRssMb });
	}
	return {
		// The least CPU, as for the commands: other work on a busy machine, and the poll finding the drawn footer a
		// little late, only ever add to a sample (the median of 8 varied by 30 % between runs of one binary).
		cpuMs: Math.min(...samples.map((s) => s.cpuMs)),
		rssMb: median(samples.map((s) => s.rssMb)),
		idleRssMb: median(samples.map((s) => s.idleRssMb)),
	};
}

const CODE_ANSWER = [
	"Here it is:",
	"",
	"```typescript",
	"export function add(a: number, b: number): number {",
	"\treturn a + b; // the sum",
	"}",
	"```",
	"",
	"code-block-done",
].join("\n");

/**
 * The first highlighted code block: one answer with a TypeScript block (loading the highlighter and its grammar),
 * RSS once the process has gone quiet and a second more. Median of up to 4 runs.
 */
async function firstCodeBlock(command: string[], serverUrl: string, enqueue: () => void): Promise<number> {
	const { killTmuxSession, tmux } = await import("../test/support/tmux-server.ts");
	const { startInTmux, typeText, waitForScreen, waitUntilQuiet } = await import("./terminal.ts");
	const samples: number[] = [];
	for (let i = 0; i < Math.min(runs, 4); i++) {
		const name = `pi-targets-code-${process.pid}-${i}`;
		const pid = startInTmux(name, command, makePiEnv(serverUrl));
		try {
			await waitForScreen(name, (screen) => screen.includes("test-model"), "footer", { timeoutMs: 30_000 });
			enqueue();
			await typeText(name, "show me the code");
			tmux("send-keys", "-t", name, "Enter");
			await waitForScreen(name, (screen) => screen.includes("code-block-done"), "the answer", { timeoutMs: 30_000 });
			await waitUntilQuiet(pid, { timeoutMs: 30_000 });
			// The figure is the highlighter's: a block drawn plain (shiki failing to load) would read lower and pass.
			const codeLine = tmux("capture-pane", "-p", "-e", "-t", name)
				.split("\n")
				// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR codes split the line's text
				.find((line) => line.replace(/\x1b\[[\d;]*m/g, "").includes("add(a"));
			// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR colour codes
			const colours = new Set(codeLine?.match(/\x1b\[[\d;]*m/g) ?? []);
			// Keyword, function name, parameters, types: a plain block (the fallback) has one colour at most.
			if (colours.size < 3) throw new Error("the code block was not highlighted");
			await Bun.sleep(1000);
			samples.push(rssMbOf(pid));
		} finally {
			killTmuxSession(name);
		}
	}
	return median(samples);
}

/** One print-mode answer against the local LLM server. */
async function printMode(command: string[], serverUrl: string, enqueue: () => void): Promise<Sample> {
	const env = makePiEnv(serverUrl, { api: "anthropic-messages" });
	const samples: Sample[] = [];
	for (let i = 0; i < Math.min(runs, 10) + 1; i++) {
		enqueue();
		const proc = Bun.spawn([...command, "-p", "what is the answer?"], {
			cwd: env.cwd,
			env: env.env,
			stdin: "ignore",
			stdout: "pipe",
			stderr: "pipe",
		});
		const out = await new Response(proc.stdout).text();
		if ((await proc.exited) !== 0 || out.trim() !== "The answer is 42.") throw new Error(`print mode failed: ${out}`);
		const usage = proc.resourceUsage();
		if (i > 0 && usage) samples.push(sampleOf(usage));
	}
	return { cpuMs: median(samples.map((s) => s.cpuMs)), rssMb: median(samples.map((s) => s.rssMb)) };
}

/** Frame CPU per key press and per streamed token at 10k and 100k tokens of transcript (bench/frame-pipeline.ts). */
function frames(): Map<string, number> {
	const proc = Bun.spawnSync(
		[process.execPath, join(import.meta.dir, "frame-pipeline.ts"), "--sizes", "10000,100000", "--frames", "100"],
		{ stdout: "pipe", stderr: "pipe" },
	);
	const figures = new Map<string, number>();
	for (const line of proc.stdout.toString().split("\n")) {
		const match = /^regular\s+(\d+) tokens.*key ([\d.]+) ms, token ([\d.]+) ms/.exec(line);
		if (!match) continue;
		const size = `${Number(match[1]) / 1000}k`;
		figures.set(`frame key ${size}`, Number(match[2]));
		figures.set(`frame token ${size}`, Number(match[3]));
	}
	if (figures.size === 0) throw new Error(`bench/frame-pipeline.ts printed no figures:\n${proc.stderr.toString()}`);
	return figures;
}

// ------------------------------------------------------------------------------------------------------------- run

interface Row {
	target: string;
	figure: string;
	pi?: string;
	pass?: boolean;
}
const rows: Row[] = [];
/** Ratio metrics for the regression gate (lower is better). */
const ratios: Record<string, number> = {};

const hello = await buildHello();
const [bare, version, help] = measureCommands([[hello], [binary, "--version"], [binary, "--help"]]);
if (!bare || !version || !help) throw new Error("measurement missing");
const runtimeBytes = statSync(hello).size;
console.log(
	`bare Bun hello world: ${bare.cpuMs.toFixed(1)} ms CPU, ${bare.rssMb.toFixed(1)} MB (best CPU / median RSS of ${runs})`,
);

for (const [flag, ours] of [
	["--version", version],
	["--help", help],
] as const) {
	const cpu = ours.cpuMs / bare.cpuMs;
	const rss = ours.rssMb / bare.rssMb;
	ratios[`${flag} cpu`] = cpu;
	ratios[`${flag} rss`] = rss;
	rows.push({
		target: `pi ${flag} ≤ 1.1× bare Bun (CPU, RSS)`,
		figure: `${ours.cpuMs.toFixed(1)} ms (${cpu.toFixed(2)}×), ${ours.rssMb.toFixed(1)} MB (${rss.toFixed(2)}×)`,
		pass: cpu <= 1.1 && rss <= 1.1,
	});
}

const sizeMb = (statSync(binary).size - runtimeBytes) / 1024 / 1024;
ratios["binary MB over runtime"] = sizeMb;
rows.push({ target: "our code over the Bun runtime ≤ 10 MB", figure: `${sizeMb.toFixed(1)} MB`, pass: sizeMb <= 10 });

const server = await startLlmServer();
const references = [referencePi160(), referencePi073()].flatMap((pi): ReferencePi[] => (pi ? [pi] : []));
const answer = () => server.enqueue({ text: "The answer is 42." });

const print = await printMode([binary], server.url, answer);
ratios["print mode cpu"] = print.cpuMs / bare.cpuMs;
const piPrint = references[0] ? await printMode(references[0].command, server.url, answer) : undefined;
rows.push({
	target: "print mode, one answer (CPU, peak RSS)",
	figure: `${print.cpuMs.toFixed(0)} ms, ${print.rssMb.toFixed(0)} MB`,
	pi: piPrint && `${piPrint.cpuMs.toFixed(0)} ms, ${piPrint.rssMb.toFixed(0)} MB (${references[0]?.version})`,
});

try {
	const editor = await launchToEditor([binary], server.url);
	ratios["launch to editor cpu"] = editor.cpuMs / bare.cpuMs;
	const piEditor = references[0] ? await launchToEditor(references[0].command, server.url) : undefined;
	rows.push({
		target: "launch → drawn editor ≤ 40 ms CPU",
		figure: `${editor.cpuMs.toFixed(0)} ms`,
		pi: piEditor && `${piEditor.cpuMs.toFixed(0)} ms`,
		pass: editor.cpuMs <= 40,
	});
	rows.push({
		target: "idle RSS ≤ 50 MB",
		figure: `${editor.idleRssMb.toFixed(0)} MB`,
		pi: piEditor && `${piEditor.idleRssMb.toFixed(0)} MB`,
		pass: editor.idleRssMb <= 50,
	});
} catch (error) {
	rows.push({ target: "launch → drawn editor ≤ 40 ms CPU", figure: `not measured (${String(error)})` });
}
try {
	const codeAnswer = () => server.enqueue({ text: CODE_ANSWER });
	const code = await firstCodeBlock([binary], server.url, codeAnswer);
	const piCode = references[0] ? await firstCodeBlock(references[0].command, server.url, codeAnswer) : undefined;
	rows.push({
		target: "RSS after first highlighted code block ≤ 70 MB",
		figure: `${code.toFixed(0)} MB`,
		pi: piCode === undefined ? undefined : `${piCode.toFixed(0)} MB`,
		pass: code <= 70,
	});
} catch (error) {
	rows.push({
		target: "RSS after first highlighted code block ≤ 70 MB",
		figure: `not measured (${String(error)})`,
	});
}
await server.close();

const calibration = calibrationMs();
/** Frame figures in ms, for the gate's floor (FRAME_FLOOR_MS). */
const frameMs = new Map<string, number>();
for (const [name, ms] of frames()) {
	ratios[name] = ms / calibration;
	frameMs.set(name, ms);
	rows.push({ target: `${name} of transcript < 1 ms CPU`, figure: `${ms.toFixed(3)} ms`, pass: ms < 1 });
}

console.log(`\n${"target".padEnd(48)} ${"figure".padEnd(34)} ${"pi".padEnd(24)} result`);
for (const row of rows) {
	const result = row.pass === undefined ? "" : row.pass ? "PASS" : "MISS";
	console.log(`${row.target.padEnd(48)} ${row.figure.padEnd(34)} ${(row.pi ?? "").padEnd(24)} ${result}`);
}

// ---------------------------------------------------------------------------------------------- regression gate

const BaselineSchema = v.object({ ratios: v.record(v.string(), v.number()) });
const TOLERANCE = 1.25;
/**
 * A frame counts as regressed only when it also costs at least a quarter of its 1 ms budget: far below it (frames
 * take ~0.03-0.1 ms) the figure moves by more than 25 % between runs of the same code on a busy machine.
 */
const FRAME_FLOOR_MS = 0.25;

if (writePath) {
	writeFileSync(writePath, `${JSON.stringify({ ratios }, null, "\t")}\n`);
	console.log(`\nbaseline written to ${writePath}`);
}
if (checkPath) {
	const baseline = v.parse(BaselineSchema, JSON.parse(readFileSync(checkPath, "utf8"))).ratios;
	console.log(`\n${"ratio (lower is better)".padEnd(30)} ${"now".padStart(8)} ${"baseline".padStart(9)}  verdict`);
	const regressions: string[] = [];
	for (const [name, now] of Object.entries(ratios)) {
		const then = baseline[name];
		const belowFloor = (frameMs.get(name) ?? Number.POSITIVE_INFINITY) < FRAME_FLOOR_MS;
		const verdict =
			then === undefined ? "new" : now <= then * TOLERANCE ? "ok" : belowFloor ? "ok (below floor)" : "REGRESSED";
		if (verdict === "REGRESSED") regressions.push(name);
		console.log(
			`${name.padEnd(30)} ${now.toFixed(3).padStart(8)} ${(then?.toFixed(3) ?? "-").padStart(9)}  ${verdict}`,
		);
	}
	if (regressions.length > 0) {
		console.log(`\nregressed by more than ${Math.round((TOLERANCE - 1) * 100)} %: ${regressions.join(", ")}`);
		process.exit(1);
	}
}
