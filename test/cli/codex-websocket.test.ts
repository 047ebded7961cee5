/**
 * A ChatGPT (Codex) login answered over the WebSocket transport end to end: pi prefers the socket ("auto"), and
 * print mode still exits as soon as the answer is printed, though the session's connection is pooled.
 */
import { afterAll, beforeAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fakeChatGptToken } from "../ai/subscriptions/jwt.ts";
import { type CodexWsServer, startCodexWsServer } from "../support/codex-ws-server.ts";
import { makePiEnv, runPi } from "../support/run-pi.ts";

let server: CodexWsServer;
beforeAll(() => {
	server = startCodexWsServer();
});
afterAll(() => server.close());

function codexEnv(settings: Record<string, unknown> = {}) {
	const env = makePiEnv();
	writeFileSync(
		join(env.agentDir, "auth.json"),
		JSON.stringify({
			"openai-codex": {
				type: "oauth",
				access: fakeChatGptToken("acct-e2e"),
				refresh: "refresh",
				expires: Date.now() + 3600_000,
				accountId: "acct-e2e",
			},
		}),
	);
	writeFileSync(join(env.agentDir, "settings.json"), JSON.stringify(settings));
	return env;
}

test("print mode answers over the socket and exits at once", async () => {
	server.enqueue({ text: "socket answer" });
	const env = codexEnv();
	const started = Date.now();
	const result = await runPi(["--model", "openai-codex/gpt-6.2-sol", "-p", "hi"], env, {
		extraEnv: { PI_OPENAI_CODEX_BASE_URL: server.baseUrl },
	});
	expect(result.stderr).toBe("");
	expect(result.stdout).toBe("socket answer\n");
	expect(server.requests.at(-1)?.transport).toBe("websocket");
	// A pooled connection must not hold the process (its idle close is minutes away).
	expect(Date.now() - started).toBeLessThan(30_000);
});

test('the transport setting "sse" keeps Codex on SSE', async () => {
	server.enqueue({ text: "sse answer" });
	const env = codexEnv({ transport: "sse" });
	const handshakes = server.handshakes.length;
	const result = await runPi(["--model", "openai-codex/gpt-6.2-sol", "-p", "hi"], env, {
		extraEnv: { PI_OPENAI_CODEX_BASE_URL: server.baseUrl },
	});
	expect(result.stdout).toBe("sse answer\n");
	expect(server.requests.at(-1)?.transport).toBe("sse");
	expect(server.handshakes.length).toBe(handshakes);
});
