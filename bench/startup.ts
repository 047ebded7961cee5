/**
 * Startup benchmark of the compiled binary: `bun bench/startup.ts [--runs N] [--entry src/main.ts]`.
 *
 * Compiles pi twice into a temp folder (with and without --bytecode), then times `pi --version` and `pi --help`:
 * the median wall time of N runs (after 2 warm-up runs) and the median peak RSS. If pi 0.73.1 is installed at
 * /tmp/piref, runs its Node CLI the same way and prints how many times slower it is.
 */
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { compile } from "../build.ts";
import { median } from "./stats.ts";

const NODE_PI = "/tmp/piref/node_modules/@mariozechner/pi-coding-agent/dist/cli.js";
const COMMANDS = [["--version"], ["--help"]];
const WARMUP_RUNS = 2;

interface Sample {
	ms: number;
	rssBytes: number;
}

interface Result {
	label: string;
	args: string[];
	medianMs: number;
	medianRssMb: number;
}

function parseArgs(argv: string[]): { runs: number; entry: string } {
	let runs = 20;
	let entry = resolve(import.meta.dir, "../src/main.ts");
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === "--runs") runs = Number(argv[++i]);
		else if (argv[i] === "--entry") entry = resolve(argv[++i] ?? "");
		else throw new Error(`unknown argument: ${argv[i]}`);
	}
	if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs needs a positive whole number");
	return { runs, entry };
}

/** A throw-away HOME so no run reads the real ~/.pi, and no update check reaches the network. */
function benchEnv(): Record<string, string> {
	const home = mkdtempSync(join(tmpdir(), "pi-bench-home-"));
	return {
		PATH: process.env.PATH ?? "/usr/bin:/bin",
		HOME: home,
		PI_CODING_AGENT_DIR: join(home, ".pi", "agent"),
		PI_OFFLINE: "1",
		PI_SKIP_VERSION_CHECK: "1",
	};
}

function runOnce(command: string[], env: Record<string, string>): Sample {
	const started = performance.now();
	const proc = Bun.spawnSync(command, { env, stdout: "ignore", stderr: "pipe" });
	const ms = performance.now() - started;
	if (proc.exitCode !== 0) throw new Error(`${command.join(" ")} exited ${proc.exitCode}: ${proc.stderr.toString()}`);
	// Bun reports maxRSS in bytes.
	return { ms, rssBytes: proc.resourceUsage?.maxRSS ?? 0 };
}

function measure(label: string, command: string[], runs: number): Result {
	const env = benchEnv();
	for (let i = 0; i < WARMUP_RUNS; i++) runOnce(command, env);
	const samples = Array.from({ length: runs }, () => runOnce(command, env));
	const args = command.slice(-1);
	return {
		label,
		args,
		medianMs: median(samples.map((s) => s.ms)),
		medianRssMb: median(samples.map((s) => s.rssBytes)) / 1024 / 1024,
	};
}

function printTable(results: Result[]): void {
	console.log(`${"binary".padEnd(28)}${"command".padEnd(12)}${"median ms".padStart(10)}${"peak RSS MB".padStart(13)}`);
	for (const r of results) {
		console.log(
			`${r.label.padEnd(28)}${r.args.join(" ").padEnd(12)}${r.medianMs.toFixed(1).padStart(10)}${r.medianRssMb.toFixed(1).padStart(13)}`,
		);
	}
}

async function main(): Promise<void> {
	const { runs, entry } = parseArgs(process.argv.slice(2));
	const dir = mkdtempSync(join(tmpdir(), "pi-bench-build-"));
	const variants = [
		{ label: "pi (bytecode)", outfile: join(dir, "pi-bytecode"), bytecode: true },
		{ label: "pi (no bytecode)", outfile: join(dir, "pi-plain"), bytecode: false },
	];
	for (const variant of variants) {
		await compile({ entry, bytecode: variant.bytecode }, variant.outfile);
		console.log(`${variant.label}: ${(statSync(variant.outfile).size / 1024 / 1024).toFixed(1)} MB`);
	}
	console.log(`${runs} runs each, after ${WARMUP_RUNS} warm-up runs\n`);

	const results: Result[] = [];
	for (const args of COMMANDS) {
		for (const variant of variants) results.push(measure(variant.label, [variant.outfile, ...args], runs));
		if (existsSync(NODE_PI)) results.push(measure("node pi 0.73.1", ["node", NODE_PI, ...args], runs));
	}
	printTable(results);

	const find = (label: string, arg: string) => results.find((r) => r.label === label && r.args[0] === arg);
	console.log("");
	for (const [arg] of COMMANDS) {
		const fast = find("pi (bytecode)", arg ?? "");
		const plain = find("pi (no bytecode)", arg ?? "");
		const node = find("node pi 0.73.1", arg ?? "");
		if (fast && plain) console.log(`${arg}: no-bytecode / bytecode = ${(plain.medianMs / fast.medianMs).toFixed(2)}x`);
		if (fast && node) console.log(`${arg}: node pi / pi (bytecode) = ${(node.medianMs / fast.medianMs).toFixed(2)}x`);
	}
	if (!existsSync(NODE_PI)) console.log(`(pi 0.73.1 not found at ${NODE_PI}: no comparison with Node)`);
}

await main();
