/**
 * Trains build.ts's --bytecode-order. A run of an executable built with `--bytecode` and BUN_BYTECODE_ORDER_OUT set
 * writes which functions, modules and strings of the embedded bytecode it used; given those files, `bun build` lays
 * that bytecode out together at the front of the executable, so starting up touches fewer of its pages.
 *
 * The runs are what must start lean, most important first: `--version`, `--help`, one print-mode answer and an
 * interactive launch to a drawn editor (in a pseudo-terminal; not on Windows, which has none in Bun), against the
 * tests' local LLM server, offline, each in a throwaway home. It is the same JavaScript for every target, so this
 * machine's executable trains all of them.
 */
import { existsSync, rmSync } from "node:fs";
import { join } from "node:path";
import { startLlmServer } from "../test/support/llm-server.ts";
import { makePiEnv, type PiEnv } from "../test/support/run-pi.ts";

const EDITOR_DEADLINE_MS = 60_000;

/** Runs `executable` (built for this machine with --bytecode) through the training; returns the order files. */
export async function trainBytecodeOrder(executable: string, dir: string): Promise<string[]> {
	const server = await startLlmServer();
	const homes: PiEnv[] = [];
	const envFor = (api?: string): PiEnv => {
		const env = makePiEnv(server.url, api ? { api } : {});
		homes.push(env);
		return env;
	};
	const orders: string[] = [];
	const orderFile = () => {
		const file = join(dir, `order-${orders.length}.txt`);
		orders.push(file);
		return file;
	};
	try {
		for (const args of [["--version"], ["--help"]]) await run(executable, args, envFor(), orderFile());
		server.enqueue({ text: "The answer is 42." });
		await run(executable, ["-p", "what is the answer?"], envFor("anthropic-messages"), orderFile());
		if (process.platform !== "win32") await launchToEditor(executable, envFor(), orderFile());
		return orders.filter((order) => existsSync(order));
	} finally {
		await server.close();
		for (const env of homes) rmSync(env.home, { recursive: true, force: true });
	}
}

async function run(executable: string, args: string[], env: PiEnv, order: string): Promise<void> {
	const proc = Bun.spawn([executable, ...args], {
		cwd: env.cwd,
		env: { ...env.env, BUN_BYTECODE_ORDER_OUT: order },
		stdin: "ignore",
		stdout: "ignore",
		stderr: "pipe",
	});
	const stderr = await new Response(proc.stderr).text();
	if ((await proc.exited) !== 0) throw new Error(`pi ${args.join(" ")} exited ${proc.exitCode}: ${stderr}`);
}

/** Starts pi in a pseudo-terminal, waits for the editor's footer (it names the model), then quits with ctrl+d. */
async function launchToEditor(executable: string, env: PiEnv, order: string): Promise<void> {
	let screen = "";
	const decoder = new TextDecoder();
	let terminal: Bun.Terminal;
	try {
		terminal = new Bun.Terminal({
			cols: 120,
			rows: 40,
			data(_terminal, data) {
				screen += decoder.decode(data, { stream: true });
			},
		});
	} catch (error) {
		// A build machine without pseudo-terminals (some containers) still builds, without this part of the order.
		console.warn(`bytecode order: no pseudo-terminal (${String(error)}), the interactive launch is not trained`);
		return;
	}
	const proc = Bun.spawn([executable], { cwd: env.cwd, env: { ...env.env, BUN_BYTECODE_ORDER_OUT: order }, terminal });
	try {
		const deadline = Date.now() + EDITOR_DEADLINE_MS;
		while (!screen.includes("test-model")) {
			if (proc.exitCode !== null || Date.now() > deadline) {
				throw new Error(`interactive pi never drew its editor (exit ${proc.exitCode}): ${screen.slice(-500)}`);
			}
			await Bun.sleep(10);
		}
		// What pi still does in its first second (what the idle RSS of bench/targets.ts includes) belongs to it too.
		await Bun.sleep(1000);
		terminal.write("\x04");
		const timer = setTimeout(() => proc.kill(), EDITOR_DEADLINE_MS);
		const code = await proc.exited;
		clearTimeout(timer);
		if (code !== 0) throw new Error(`interactive pi exited ${code} after ctrl+d`);
	} finally {
		proc.kill();
		terminal.close();
	}
}
