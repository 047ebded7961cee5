/**
 * MCP and codemode figures of the compiled binary:
 *  1. launch → drawn, typeable editor (tmux) with no MCP server and with 5 configured stdio servers
 *     (server-everything): the connections run in the background, so the editor must not wait for them;
 *  2. a codemode script making 100 tool calls (`ls`, in parallel and one after another), end to end in print mode,
 *     minus the same run with a script that makes no calls: what the calls cost through the sandbox and the
 *     tool pipeline (target: under 1 s for 100 calls);
 *  3. `pi -p` with no MCP config vs with 5 servers (background connect + close on exit).
 *
 *   bun run build.ts --host && bun bench/mcp.ts [runs=7]
 */
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startLlmServer } from "../test/support/llm-server.ts";
import { everythingStdio } from "../test/support/mcp-servers.ts";
import { makePiEnv, type PiEnv } from "../test/support/run-pi.ts";
import { killTmuxSession, tmux } from "../test/support/tmux-server.ts";
import { median } from "./stats.ts";

const runs = Number(process.argv[2] ?? 7);
const binary = resolve(import.meta.dir, "../dist/pi");
const server = await startLlmServer();

function envWith(servers: number): PiEnv {
	const env = makePiEnv(server.url);
	const config = Object.fromEntries(Array.from({ length: servers }, (_, i) => [`s${i}`, everythingStdio()]));
	writeFileSync(join(env.agentDir, "mcp.json"), JSON.stringify({ mcpServers: config }));
	return env;
}

async function editorMs(env: PiEnv): Promise<number> {
	const name = `pi-bench-mcp-${process.pid}`;
	const flags = Object.entries(env.env).flatMap(([key, value]) => ["-e", `${key}=${value}`]);
	const start = performance.now();
	tmux("new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", env.cwd, ...flags, binary);
	let ms = Number.NaN;
	while (performance.now() - start < 15_000) {
		if (tmux("capture-pane", "-p", "-t", name).includes("test-model")) {
			ms = performance.now() - start;
			break;
		}
		await Bun.sleep(1);
	}
	killTmuxSession(name);
	return ms;
}

async function printMs(env: PiEnv, args: string[]): Promise<number> {
	const start = performance.now();
	const proc = Bun.spawn([binary, "-p", ...args, "go"], { cwd: env.cwd, env: env.env, stdout: "pipe", stderr: "pipe" });
	const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
	await proc.exited;
	if (!out.includes("done")) throw new Error(`unexpected output: ${out}\n${err}`);
	return performance.now() - start;
}

async function sample(label: string, once: () => Promise<number>): Promise<number> {
	await once();
	const values: number[] = [];
	for (let i = 0; i < runs; i++) values.push(await once());
	const value = median(values);
	console.log(`${label.padEnd(58)} ${value.toFixed(1).padStart(8)} ms (median of ${runs})`);
	return value;
}

console.log("1. launch → typeable editor");
const none = await sample("no MCP server", () => editorMs(makePiEnv(server.url)));
const five = await sample("5 stdio MCP servers configured", () => editorMs(envWith(5)));
console.log(`   difference: ${(five - none).toFixed(1)} ms`);

console.log("2. codemode script with 100 tool calls (JSON mode: tool_execution_start → end of the codemode call)");
const codeEnv = makePiEnv(server.url);
const script = (calls: "parallel" | "serial" | "none") =>
	calls === "none"
		? "return 1;"
		: calls === "parallel"
			? "await Promise.all(Array.from({ length: 100 }, () => tools.ls({ path: '.' }))); return 1;"
			: "for (let i = 0; i < 100; i++) await tools.ls({ path: '.' }); return 1;";
/** Milliseconds between the codemode call's start and end events, read as the lines arrive. */
async function scriptMs(calls: "parallel" | "serial" | "none"): Promise<number> {
	server.enqueue({ toolCalls: [{ id: "c1", name: "codemode", arguments: { code: script(calls) } }] }, { text: "done" });
	const proc = Bun.spawn([binary, "--mode", "json", "--tools", "ls,codemode", "go"], {
		cwd: codeEnv.cwd,
		env: codeEnv.env,
		stdout: "pipe",
		stderr: "ignore",
	});
	let started = 0;
	let ended = 0;
	let buffer = "";
	const decoder = new TextDecoder();
	for await (const chunk of proc.stdout) {
		buffer += decoder.decode(chunk, { stream: true });
		let newline = buffer.indexOf("\n");
		while (newline >= 0) {
			const event = JSON.parse(buffer.slice(0, newline)) as { type: string; toolCallId?: string };
			buffer = buffer.slice(newline + 1);
			if (event.toolCallId === "c1" && event.type === "tool_execution_start") started = performance.now();
			if (event.toolCallId === "c1" && event.type === "tool_execution_end") ended = performance.now();
			newline = buffer.indexOf("\n");
		}
	}
	await proc.exited;
	if (!started || !ended) throw new Error("no codemode call seen");
	return ended - started;
}
const baseline = await sample("script without calls (sandbox start included)", () => scriptMs("none"));
const parallel = await sample("100 `ls` calls with Promise.all", () => scriptMs("parallel"));
const serial = await sample("100 `ls` calls one after another", () => scriptMs("serial"));
console.log(
	`   100 calls cost: parallel ${(parallel - baseline).toFixed(1)} ms, serial ${(serial - baseline).toFixed(1)} ms, the ls tool's own work included (target < 1000 ms)`,
);

console.log("3. print mode, one answer");
const plain = await sample("no MCP config", () => {
	server.enqueue({ text: "done" });
	return printMs(makePiEnv(server.url), []);
});
const withServers = await sample("5 stdio servers (codemode exposure, closed on exit)", () => {
	server.enqueue({ text: "done" });
	return printMs(envWith(5), []);
});
console.log(`   difference: ${(withServers - plain).toFixed(1)} ms`);
await server.close();
