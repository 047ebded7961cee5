/**
 * The Anthropic SDK console.warns about deprecated models and thinking settings when a request starts. Through the
 * real CLI that text must not reach stderr (or the interactive screen); it lands in the debug log.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

test("a deprecated Claude model: the SDK's warning goes to the debug log, not stderr", async () => {
	// claude-sonnet-4-5 is in the SDK's DEPRECATED_MODELS list.
	const env = makePiEnv(server.url, { api: "anthropic-messages", modelId: "claude-sonnet-4-5" });
	server.enqueue({ text: "hello" });
	const quiet = await runPi(["-p", "hi"], env);
	expect(quiet).toEqual({ exitCode: 0, stdout: "hello\n", stderr: "" });
	expect(existsSync(join(env.agentDir, "pi-debug.log"))).toBe(false);

	server.enqueue({ text: "hello" });
	const logged = await runPi(["-p", "hi"], env, { extraEnv: { PI_DEBUG: "1" } });
	expect(logged.stderr).toBe("");
	const log = readFileSync(join(env.agentDir, "pi-debug.log"), "utf8");
	expect(log).toContain('"event":"sdk_log"');
	expect(log).toContain("The model 'claude-sonnet-4-5' is deprecated");
});
