/**
 * What extensions cost at startup, in print mode (launch → answer printed → exit) against the local LLM server:
 *   - no extension configured (must match the binary from before the extension host: pass it with --baseline);
 *   - one extension (hello), which pays for the module shims and TypeBox;
 *   - 20 of pi's example extensions at once (-e each), the target: under 60 ms added.
 * `pi --version` is timed too (it never looks at extensions).
 *
 *   bun run build.ts --host && PI_REF_160_DIR=… bun bench/extensions.ts [runs=15] [--baseline /path/to/old/pi]
 */
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startLlmServer } from "../test/support/llm-server.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { median } from "./stats.ts";

const args = process.argv.slice(2);
const baselineIndex = args.indexOf("--baseline");
const baseline = baselineIndex >= 0 ? args[baselineIndex + 1] : undefined;
const runs = Number(args.find((arg, i) => /^\d+$/.test(arg) && args[i - 1] !== "--baseline") ?? 15);
const binary = resolve(import.meta.dir, "../dist/pi");

/** Examples of pi 1.6.0 that load without npm dependencies and do nothing slow at startup. */
const TWENTY = [
	"hello.ts",
	"pirate.ts",
	"permission-gate.ts",
	"protected-paths.ts",
	"confirm-destructive.ts",
	"todo.ts",
	"tool-override.ts",
	"input-transform.ts",
	"dynamic-tools.ts",
	"status-line.ts",
	"session-name.ts",
	"event-bus.ts",
	"commands.ts",
	"model-status.ts",
	"notify.ts",
	"shutdown-command.ts",
	"question.ts",
	"bookmark.ts",
	"send-user-message.ts",
	"plan-mode",
];

const root = process.env.PI_REF_160_DIR;
if (!root) {
	console.error("PI_REF_160_DIR must name an npm prefix holding @earendil-works/pi-coding-agent@1.6.0");
	process.exit(1);
}
const examples = join(root, "node_modules/@earendil-works/pi-coding-agent/examples/extensions");
const copies = mkdtempSync(join(tmpdir(), "pi-bench-ext-"));
const paths = TWENTY.map((name) => {
	cpSync(join(examples, name), join(copies, name), { recursive: true });
	return join(copies, name);
});

const server = await startLlmServer();
const env = makePiEnv(server.url);

async function once(command: string[], expect: RegExp): Promise<number> {
	const start = performance.now();
	const proc = Bun.spawn(command, { cwd: env.cwd, env: env.env, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
	const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
	await proc.exited;
	const ms = performance.now() - start;
	if (!expect.test(out) || proc.exitCode !== 0) throw new Error(`${command.join(" ")}: unexpected output ${out}${err}`);
	return ms;
}

/** Every command once per round, rounds repeated: a busy machine slows all of them alike (medians per command). */
async function benchAll(commands: { label: string; command: string[]; expect: RegExp }[]): Promise<number[]> {
	for (const { command, expect } of commands) await once(command, expect); // warm the page cache
	const samples: number[][] = commands.map(() => []);
	for (let round = 0; round < runs; round++) {
		for (const [index, { command, expect }] of commands.entries()) samples[index]?.push(await once(command, expect));
	}
	return commands.map(({ label }, index) => {
		const result = median(samples[index] ?? []);
		console.log(`${label.padEnd(34)} ${result.toFixed(1).padStart(8)} ms`);
		return result;
	});
}

const extensionArgs = paths.flatMap((path) => ["-e", path]);
console.log(`median of ${runs} interleaved rounds, print mode: launch → answer → exit`);
const version = [
	...(baseline ? [{ label: "baseline --version", command: [baseline, "--version"], expect: /\d/ }] : []),
	{ label: "pi --version", command: [binary, "--version"], expect: /\d/ },
];
await benchAll(version);
const printRuns = [
	{ label: "pi, no extensions", command: [binary, "-p", "hi"], expect: /ok/ },
	{ label: "pi -e hello.ts", command: [binary, "-e", paths[0] ?? "", "-p", "hi"], expect: /ok/ },
	{ label: "pi with 20 example extensions", command: [binary, ...extensionArgs, "-p", "hi"], expect: /ok/ },
	...(baseline ? [{ label: "baseline, no extensions", command: [baseline, "-p", "hi"], expect: /ok/ }] : []),
];
const [none = 0, one = 0, twenty = 0, base] = await benchAll(printRuns);
if (base !== undefined) console.log(`no extensions vs baseline: ${(none - base).toFixed(1)} ms`);
console.log(`added by one extension: ${(one - none).toFixed(1)} ms`);
console.log(`added by 20 extensions: ${(twenty - none).toFixed(1)} ms (target: under 60 ms)`);
await server.close();
