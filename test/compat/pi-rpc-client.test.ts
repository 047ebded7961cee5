/**
 * pi 1.6.0's own RpcClient (the class pi ships for programs that drive it, dist/modes/rpc/rpc-client.js) against
 * this binary and against pi 1.6.0 itself: one script, run under pi's Node against each, must see the same answers.
 * The client spawns `node <cliPath>`; for us cliPath is a shim that runs our binary (or the sources) in its place.
 * Skipped when pi 1.6.0 is not installed (PI_REF_160_DIR, see test/support/reference-pi.ts).
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { runCommand } from "../support/run-command.ts";
import { makePiEnv, piCommand } from "../support/run-pi.ts";

const reference = referencePi160();
let server: LlmTestServer;

beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

/** What the script does through RpcClient's API; it prints one JSON object with what it saw. */
function driverScript(clientModule: string, cliPath: string): string {
	return `import { RpcClient } from ${JSON.stringify(clientModule)};
const client = new RpcClient({ cliPath: ${JSON.stringify(cliPath)}, cwd: process.cwd() });
const out = {};
await client.start();
try {
	out.textBeforeAnyAnswer = await client.getLastAssistantText();
	const events = await client.promptAndWait("hello");
	out.eventTypes = [...new Set(events.map((event) => event.type))];
	out.text = await client.getLastAssistantText();
	const state = await client.getState();
	out.state = { thinkingLevel: state.thinkingLevel, isStreaming: state.isStreaming, messageCount: state.messageCount,
		pendingMessageCount: state.pendingMessageCount, model: state.model && state.model.id };
	out.levels = await client.getAvailableThinkingLevels();
	await client.setThinkingLevel("high");
	out.levelAfterSet = (await client.getState()).thinkingLevel;
	out.cycled = await client.cycleThinkingLevel();
	const stats = await client.getSessionStats();
	out.stats = { userMessages: stats.userMessages, assistantMessages: stats.assistantMessages, tokens: stats.tokens };
	out.entryTypes = (await client.getEntries()).entries.map((entry) => entry.type);
	out.treeRoots = (await client.getTree()).tree.length;
	out.clearedQueue = await client.clearQueue();
	const bash = await client.bash("echo from-bash");
	out.bash = { output: bash.output, exitCode: bash.exitCode, cancelled: bash.cancelled };
	await client.setSessionName("named by rpc");
	out.sessionName = (await client.getState()).sessionName;
	out.forkMessages = (await client.getForkMessages()).map((message) => message.text);
	out.messageRoles = (await client.getMessages()).map((message) => message.role);
	out.newSession = await client.newSession();
	out.textAfterNewSession = await client.getLastAssistantText();
	out.messagesAfterNewSession = (await client.getMessages()).length;
} finally {
	await client.stop();
}
console.log(JSON.stringify(out));
`;
}

async function runDriver(cliPath: string): Promise<unknown> {
	if (!reference) throw new Error("pi 1.6.0 is not installed");
	const node = reference.command[0] ?? "node";
	const env = makePiEnv(server.url, { reasoning: true });
	const dir = mkdtempSync(join(tmpdir(), "pi-rpc-client-"));
	const driver = join(dir, "driver.mjs");
	writeFileSync(driver, driverScript(join(reference.packageDir, "dist/modes/rpc/rpc-client.js"), cliPath));
	server.enqueue({ text: "Hello from the model" });
	const {
		stdout,
		stderr,
		exitCode: code,
	} = await runCommand([node, driver], {
		cwd: env.cwd,
		// RpcClient spawns `node` from PATH: pi's Node 22.
		env: { ...env.env, PATH: `${dirname(node)}:${process.env.PATH ?? ""}` },
	});
	if (code !== 0) throw new Error(`the RpcClient script failed (${code}): ${stderr}`);
	return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
}

/** A JS file `node` can run that runs this pi (the binary under test, or the sources through Bun) in its place. */
function ourShim(): string {
	const [command, ...args] = piCommand();
	const shim = join(mkdtempSync(join(tmpdir(), "pi-rpc-shim-")), "cli.cjs");
	writeFileSync(
		shim,
		`const { spawn } = require("node:child_process");
const child = spawn(${JSON.stringify(command)}, [...${JSON.stringify(args)}, ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
`,
	);
	return shim;
}

test.skipIf(!reference)(
	"pi 1.6.0's RpcClient gets the same answers from this binary as from pi 1.6.0",
	async () => {
		if (!reference) return;
		const theirs = await runDriver(reference.command[1] ?? "");
		const ours = await runDriver(ourShim());
		// The script ran against pi to the end; what it saw is what we must answer.
		expect(theirs).toMatchObject({ text: "Hello from the model" });
		expect(ours).toEqual(theirs);
	},
	120_000,
);
