/**
 * A print-mode run of a one-answer script against the local LLM test server, end to end: wall time and peak RSS
 * of the compiled binary, and of pi 0.73.1 on Node when PI_REFERENCE_CLI points at its dist/cli.js.
 *
 *   bun run build.ts --host && bun bench/print-mode.ts [runs=15]
 *   PI_REFERENCE_CLI=/tmp/piref/node_modules/@mariozechner/pi-coding-agent/dist/cli.js bun bench/print-mode.ts
 */
import { resolve } from "node:path";
import { startLlmServer } from "../test/support/llm-server.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { median } from "./stats.ts";

const runs = Number(process.argv[2] ?? 15);
const binary = resolve(import.meta.dir, "../dist/pi");
const server = await startLlmServer();
const env = makePiEnv(server.url, { api: process.env.BENCH_API ?? "anthropic-messages" });

interface Sample {
	ms: number;
	rssMb: number;
}

async function once(command: string[]): Promise<Sample> {
	server.enqueue({ text: "The answer is 42." });
	const start = performance.now();
	const proc = Bun.spawn([...command, "-p", "what is the answer?"], {
		cwd: env.cwd,
		env: env.env,
		stdin: "ignore",
		stdout: "pipe",
		stderr: "pipe",
	});
	const out = await new Response(proc.stdout).text();
	await proc.exited;
	const ms = performance.now() - start;
	if (out.trim() !== "The answer is 42.") throw new Error(`unexpected output: ${out}`);
	const rssBytes = proc.resourceUsage()?.maxRSS ?? 0;
	// Bun reports maxRSS in bytes.
	return { ms, rssMb: rssBytes / 1024 / 1024 };
}

async function bench(label: string, command: string[]): Promise<Sample> {
	await once(command); // warm the page cache
	const samples: Sample[] = [];
	for (let i = 0; i < runs; i++) samples.push(await once(command));
	const result = { ms: median(samples.map((s) => s.ms)), rssMb: median(samples.map((s) => s.rssMb)) };
	console.log(`${label.padEnd(12)} ${result.ms.toFixed(1).padStart(8)} ms   peak RSS ${result.rssMb.toFixed(1)} MB`);
	return result;
}

console.log(`print mode, one answer, median of ${runs} runs`);
const ours = await bench("pi (binary)", [binary]);
const reference = process.env.PI_REFERENCE_CLI;
if (reference) {
	const theirs = await bench("pi (node)", ["node", reference]);
	console.log(
		`ratio: ${(theirs.ms / ours.ms).toFixed(1)}× faster end to end, peak memory ${((ours.rssMb / theirs.rssMb) * 100).toFixed(0)}% of pi's`,
	);
}
console.log("targets: ≥ 10× faster than pi on Node, peak memory under a third of pi's");
await server.close();
