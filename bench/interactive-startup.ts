/**
 * Interactive startup: time from launch to a drawn, typeable editor (the footer with the model name is on screen)
 * in a real pseudo-terminal (tmux), and the idle memory (RSS) of the process once drawn. tmux's own cost of
 * starting a pane and showing a line is measured too and subtracted.
 * Compares with pi on Node when PI_REFERENCE_CLI points at pi-coding-agent's dist/cli.js.
 *
 *   bun run build.ts --host && bun bench/interactive-startup.ts [runs=15]
 *   PI_REFERENCE_CLI=/tmp/piref/node_modules/@mariozechner/pi-coding-agent/dist/cli.js bun bench/interactive-startup.ts
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { startLlmServer } from "../test/support/llm-server.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { killTmuxSession, tmux } from "../test/support/tmux-server.ts";
import { median } from "./stats.ts";

const runs = Number(process.argv[2] ?? 15);
const binary = resolve(import.meta.dir, "../dist/pi");
const server = await startLlmServer();
const env = makePiEnv(server.url);

function rssMb(pid: number): number {
	const status = readFileSync(`/proc/${pid}/status`, "utf8");
	const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
	return kb / 1024;
}

async function measure(command: string[]): Promise<{ ms: number; rss: number }> {
	const name = `pi-bench-${process.pid}`;
	const envFlags = Object.entries(env.env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
	const start = performance.now();
	tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", env.cwd, ...envFlags, ...command);
	let ms = Number.NaN;
	while (performance.now() - start < 15_000) {
		if (tmux("capture-pane", "-p", "-t", name).includes("test-model")) {
			ms = performance.now() - start;
			break;
		}
		await Bun.sleep(1);
	}
	await Bun.sleep(300); // let startup work settle before reading idle memory
	const pid = Number(tmux("list-panes", "-t", name, "-F", "#{pane_pid}").trim());
	const rss = Number.isFinite(pid) && pid > 0 ? rssMb(pid) : Number.NaN;
	killTmuxSession(name);
	return { ms, rss };
}

async function bench(label: string, command: string[]): Promise<{ ms: number; rss: number }> {
	const samples: { ms: number; rss: number }[] = [];
	for (let i = 0; i < runs; i++) samples.push(await measure(command));
	const result = { ms: median(samples.map((s) => s.ms)), rss: median(samples.map((s) => s.rss)) };
	console.log(
		`${label.padEnd(12)} launch → editor: ${result.ms.toFixed(1)} ms (median of ${runs}), idle RSS ${result.rss.toFixed(1)} MB`,
	);
	return result;
}

// What tmux itself costs to start a pane and show a line: subtracted to give the program's own figure.
const overhead = await bench("tmux only", ["sh", "-c", "echo test-model; sleep 5"]);
const ours = await bench("pi (binary)", [binary]);
console.log(`pi (binary) without tmux's own ${overhead.ms.toFixed(1)} ms: ${(ours.ms - overhead.ms).toFixed(1)} ms`);
const reference = process.env.PI_REFERENCE_CLI;
if (reference) {
	const theirs = await bench("pi (node)", ["node", reference]);
	console.log(`pi (node) without tmux's own ${overhead.ms.toFixed(1)} ms: ${(theirs.ms - overhead.ms).toFixed(1)} ms`);
	console.log(
		`ratio: ${(theirs.ms / ours.ms).toFixed(1)}× faster to a typeable editor, ${(theirs.rss / ours.rss).toFixed(1)}× less memory`,
	);
}
console.log("targets: < 60 ms to a drawn editor, < 60 MB idle");
await server.close();
