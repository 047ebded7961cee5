/**
 * A census of pi's example extensions on our binary: every example of pi 0.73.1 and 1.6.0, loaded unchanged, driven
 * through one scripted scenario in RPC mode against the test LLM server:
 *
 *   1. start `pi --mode rpc -e <example>` (an example with npm dependencies gets them installed in a temp copy);
 *   2. `get_commands`: the extension's commands are listed;
 *   3. a prompt, answered by the model: session_start, input, before_agent_start, context, the turn and message
 *      events and agent_end all reach the extension;
 *   4. each of its commands, run without arguments (dialogs are answered "cancel");
 *   5. stdin closes: session_shutdown, exit code 0.
 *
 * An example passes when it loads, the prompt is answered, no `extension_error` arrives and pi exits with 0. Examples
 * whose source uses custom TUI components (ctx.ui.custom, custom editors, header/footer) are counted apart: in RPC
 * mode `custom()` resolves to undefined, as in pi; their UI is exercised by the interactive-mode tests.
 *
 *   bun run build.ts --host && PI_REF_073_DIR=… PI_REF_160_DIR=… bun scripts/extension-census.ts [--only name]
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { startLlmServer } from "../test/support/llm-server.ts";
import { type Line, RpcClient } from "../test/support/rpc-client.ts";
import { makePiEnv } from "../test/support/run-pi.ts";
import { CUSTOM_UI, referenceExamples, sourceText, useBinary } from "./census-examples.ts";

/** What an example's own comments say must exist before it runs. */
const PRECONDITIONS: Record<string, (cwd: string) => void> = {
	"file-trigger.ts": () => writeFileSync("/tmp/agent-trigger.txt", ""),
	"provider-payload.ts": (cwd) => mkdirSync(join(cwd, ".pi"), { recursive: true }),
};

const DIALOGS = new Set(["select", "confirm", "input", "editor"]);

interface Outcome {
	version: string;
	name: string;
	loaded: boolean;
	answered: boolean;
	commands: string[];
	errors: string[];
	exitCode: number | null;
	customUi: boolean;
	note?: string;
}

/** A private copy; an example folder with npm dependencies gets them installed (as its README asks). */
async function prepare(original: string): Promise<{ path: string; note?: string }> {
	const folder = mkdtempSync(join(tmpdir(), "pi-census-"));
	const path = join(folder, basename(original));
	cpSync(original, path, { recursive: true });
	const manifest = join(path, "package.json");
	if (!existsSync(manifest)) return { path };
	const parsed: unknown = JSON.parse(readFileSync(manifest, "utf8"));
	const dependencies =
		typeof parsed === "object" && parsed !== null && "dependencies" in parsed ? parsed.dependencies : undefined;
	if (typeof dependencies !== "object" || dependencies === null || Object.keys(dependencies).length === 0) {
		return { path };
	}
	const install = Bun.spawn([process.execPath, "install", "--production", "--ignore-scripts"], {
		cwd: path,
		stdout: "ignore",
		stderr: "pipe",
		env: { ...process.env, BUN_BE_BUN: "1" },
	});
	const [stderr, code] = await Promise.all([new Response(install.stderr).text(), install.exited]);
	return { path, note: code === 0 ? "npm dependencies installed" : `npm install failed: ${stderr.trim()}` };
}

async function until<T>(what: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = what();
		if (value !== undefined) return value;
		await Bun.sleep(20);
	}
	return undefined;
}

async function census(version: string, name: string, original: string): Promise<Outcome> {
	const customUi = CUSTOM_UI.test(sourceText(original));
	const { path, note } = await prepare(original);
	const server = await startLlmServer();
	const env = makePiEnv(server.url);
	PRECONDITIONS[name]?.(env.cwd);
	const rpc = new RpcClient(env, ["-e", path]);
	const outcome: Outcome = {
		version,
		name,
		loaded: false,
		answered: false,
		commands: [],
		errors: [],
		exitCode: null,
		customUi,
		note,
	};
	// Dialogs are answered "cancel" as they come, so commands that ask do not wait forever.
	const answered = new Set<unknown>();
	const answerDialogs = setInterval(() => {
		for (const line of rpc.lines) {
			if (line.type !== "extension_ui_request" || answered.has(line.id) || !DIALOGS.has(String(line.method))) continue;
			answered.add(line.id);
			rpc.send({ type: "extension_ui_response", id: line.id, cancelled: true });
		}
	}, 20);
	let id = 0;
	const request = async (command: Record<string, unknown>, timeoutMs = 20_000): Promise<Line | undefined> => {
		if (rpc.exitCode !== undefined) return undefined;
		const requestId = `census-${++id}`;
		rpc.send({ ...command, id: requestId });
		return until(
			() =>
				rpc.lines.find((line) => line.type === "response" && line.id === requestId) ??
				(rpc.exitCode !== undefined ? null : undefined),
			timeoutMs,
		).then((line) => line ?? undefined);
	};
	const idle = async () => {
		for (let i = 0; i < 200 && rpc.exitCode === undefined; i++) {
			const state = await request({ type: "get_state" }, 5_000);
			const data = state?.data as { isStreaming?: boolean } | undefined;
			if (data && !data.isStreaming) return;
			await Bun.sleep(50);
		}
		await request({ type: "abort" }, 5_000);
	};
	try {
		const commands = await request({ type: "get_commands" });
		outcome.loaded = commands?.success === true && !/Failed to load extension/.test(rpc.stderr);
		const list = (commands?.data as { commands?: { name: string; source: string }[] } | undefined)?.commands ?? [];
		outcome.commands = list.filter((command) => command.source === "extension").map((command) => command.name);
		const before = rpc.lines.length;
		await request({ type: "prompt", message: "hello" });
		const end = await until(() => rpc.lines.slice(before).find((line) => line.type === "agent_end"), 20_000);
		outcome.answered = end !== undefined;
		await idle();
		for (const command of outcome.commands) {
			await request({ type: "prompt", message: `/${command}` });
			await idle();
			// A command may end pi (ctx.shutdown()): that is its scenario's end.
			if (rpc.exitCode !== undefined) break;
		}
	} finally {
		clearInterval(answerDialogs);
		const exited = await Promise.race([rpc.close(), Bun.sleep(15_000).then(() => null)]);
		outcome.exitCode = exited;
		await server.close();
	}
	await Bun.sleep(50);
	outcome.loaded &&= !/Failed to load extension/.test(rpc.stderr);
	outcome.errors = rpc.lines
		.filter((line) => line.type === "extension_error")
		.map((line) => `${String(line.event)}: ${String(line.error)}`);
	return outcome;
}

function passed(outcome: Outcome): boolean {
	return outcome.loaded && outcome.answered && outcome.errors.length === 0 && outcome.exitCode === 0;
}

useBinary();

for (const { version, dir, names } of referenceExamples()) {
	const outcomes: Outcome[] = [];
	for (const name of names) {
		const outcome = await census(version, name, join(dir, name));
		outcomes.push(outcome);
		const status = passed(outcome) ? (outcome.customUi ? "pass*" : "pass ") : outcome.loaded ? "FAIL " : "NOLOAD";
		const details = [
			outcome.commands.length ? `commands: ${outcome.commands.join(", ")}` : "",
			outcome.answered ? "" : "prompt not answered",
			outcome.exitCode === 0 ? "" : `exit ${outcome.exitCode}`,
			...outcome.errors,
			outcome.note ?? "",
		].filter(Boolean);
		console.log(`${status} ${version} ${name.padEnd(30)} ${details.join("; ")}`);
	}
	const loaded = outcomes.filter((outcome) => outcome.loaded).length;
	const pass = outcomes.filter(passed);
	const custom = pass.filter((outcome) => outcome.customUi).length;
	console.log(
		`\npi ${version}: ${outcomes.length} examples, ${loaded} load, ${pass.length} pass the scenario ` +
			`(${custom} of them draw custom TUI components, not shown in RPC mode: pass*)`,
	);
}
