/** Print and JSON modes end to end: pi as a subprocess against the suite's LLM test server. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv, runPi, sessionFiles } from "../support/run-pi.ts";

let server: LlmTestServer;

beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

function lastRequestBody(): Record<string, unknown> {
	const body = server.requests.at(-1)?.body;
	if (!body || typeof body !== "object") throw new Error("no request recorded");
	return body as Record<string, unknown>;
}

describe("print mode", () => {
	test("prints the answer and sends the prompt with pi's system prompt", async () => {
		const env = makePiEnv(server.url);
		server.enqueue({ text: "Hello from the model" });
		const run = await runPi(["-p", "say hello"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Hello from the model\n");
		const body = lastRequestBody();
		expect(body.model).toBe("test-model");
		const messages = body.messages as { role: string; content: unknown }[];
		expect(messages[0]?.role).toBe("system");
		expect(JSON.stringify(messages[0]?.content)).toContain("You are a coding assistant running inside pi");
		expect(JSON.stringify(messages.at(-1))).toContain("say hello");
		const tools = (body.tools as { function: { name: string } }[]).map((tool) => tool.function.name);
		expect(tools).toEqual(["read", "bash", "edit", "write"]);
	});

	test("runs tools and writes the session file", async () => {
		const env = makePiEnv(server.url);
		server.enqueue(
			{ toolCalls: [{ id: "call_1", name: "bash", arguments: { command: "echo made > out.txt && echo ok" } }] },
			{ text: "Done." },
		);
		const run = await runPi(["-p", "make a file"], env);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Done.\n");
		expect(readFileSync(join(env.cwd, "out.txt"), "utf8")).toBe("made\n");
		const toolResult = JSON.stringify(lastRequestBody().messages);
		expect(toolResult).toContain("ok");
		const files = sessionFiles(env);
		expect(files.length).toBe(1);
		const lines = readFileSync(files[0] ?? "", "utf8")
			.trim()
			.split("\n");
		const types = lines.map((line) => JSON.parse(line) as { type: string; message?: { role: string } });
		expect(types[0]?.type).toBe("session");
		// pi 1.6.0: the first request records the prompt and tools as a system message.
		expect(types.filter((entry) => entry.type === "message").map((entry) => entry.message?.role)).toEqual([
			"system",
			"user",
			"assistant",
			"toolResult",
			"assistant",
		]);
	});

	test("--continue sends the earlier conversation", async () => {
		const env = makePiEnv(server.url);
		server.enqueue({ text: "The secret is 42." });
		expect((await runPi(["-p", "remember 42"], env)).exitCode).toBe(0);
		server.enqueue({ text: "You said 42." });
		const run = await runPi(["-c", "-p", "what number?"], env);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("You said 42.\n");
		const sent = JSON.stringify(lastRequestBody().messages);
		expect(sent).toContain("remember 42");
		expect(sent).toContain("The secret is 42.");
		expect(sessionFiles(env).length).toBe(1);
	});

	test("a provider error is printed to stderr with exit code 1", async () => {
		const env = makePiEnv(server.url);
		server.enqueue({ kind: "http-error", status: 400, body: '{"error":{"message":"bad model name"}}' });
		const run = await runPi(["-p", "hi"], env);
		expect(run.exitCode).toBe(1);
		expect(run.stdout).toBe("");
		expect(run.stderr).toContain("bad model name");
	});

	test("transient errors are retried with backoff", async () => {
		const env = makePiEnv(server.url);
		writeFileSync(
			join(env.agentDir, "settings.json"),
			JSON.stringify({
				defaultProvider: "test",
				defaultModel: "test-model",
				retry: { enabled: true, maxRetries: 2, baseDelayMs: 10 },
			}),
		);
		server.enqueue(
			{ kind: "http-error", status: 503, body: '{"error":{"message":"overloaded"}}' },
			{ text: "Recovered" },
		);
		const run = await runPi(["-p", "hi"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Recovered\n");
	});

	test("a context overflow is compacted and retried before the answer is printed", async () => {
		const env = makePiEnv(server.url);
		writeFileSync(
			join(env.agentDir, "settings.json"),
			JSON.stringify({ defaultProvider: "test", defaultModel: "test-model", compaction: { keepRecentTokens: 1 } }),
		);
		server.enqueue({ text: "early answer" });
		expect((await runPi(["-p", "early question"], env)).exitCode).toBe(0);
		server.enqueue(
			{
				kind: "http-error",
				status: 400,
				body: '{"error":{"message":"prompt is too long: 210000 tokens > 200000 maximum"}}',
			},
			{ text: "Summary of what happened." },
			// pi 1.6.0 cuts past the omitted failed answer: "late question" is summarized as the turn's prefix.
			{ text: "Summary of the late question." },
			{ text: "Final answer." },
		);
		const run = await runPi(["-c", "-p", "late question"], env);
		expect(run.stderr).toBe("");
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Final answer.\n");
	});

	test("models.json authHeader: true sends the key as a Bearer token", async () => {
		const env = makePiEnv(server.url, { api: "anthropic-messages" });
		const modelsPath = join(env.agentDir, "models.json");
		const models = JSON.parse(readFileSync(modelsPath, "utf8")) as { providers: { test: Record<string, unknown> } };
		models.providers.test.authHeader = true;
		writeFileSync(modelsPath, JSON.stringify(models));
		server.enqueue({ text: "authorized" });
		const run = await runPi(["-p", "hi"], env);
		expect(run.stderr).toBe("");
		expect(run.stdout).toBe("authorized\n");
		expect(server.requests.at(-1)?.headers.authorization).toBe("Bearer test-key");
	});

	test("piped stdin becomes the prompt", async () => {
		const env = makePiEnv(server.url);
		server.enqueue({ text: "Got it" });
		const run = await runPi([], env, { stdin: "from the pipe\n" });
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Got it\n");
		expect(JSON.stringify(lastRequestBody().messages)).toContain("from the pipe");
	});

	test("piped input over 64 MB is refused instead of read until memory runs out", async () => {
		const env = makePiEnv(server.url);
		const run = await runPi([], env, { stdin: "y\n".repeat(33 * 1024 * 1024) });
		expect(run.exitCode).toBe(1);
		expect(run.stderr).toBe(
			"Error: Piped input is larger than 64 MB; pass a file with @path or trim the input first.\n",
		);
	});

	test("no model configured is a clear error", async () => {
		const env = makePiEnv();
		const run = await runPi(["-p", "hi"], env);
		expect(run.exitCode).toBe(1);
		expect(run.stderr).toContain("No models available");
		expect(run.stderr).not.toContain("    at ");
	});

	test("a write call with cut-off or malformed arguments is answered with an error and writes nothing", async () => {
		const env = makePiEnv(server.url);
		server.enqueue(
			{
				toolCalls: [{ name: "write", arguments: {}, rawArguments: '{"path":"half.txt","content":"only the first ha' }],
			},
			{
				toolCalls: [{ name: "write", arguments: { path: "cut.txt", content: "truncated by max_tok" } }],
				stopReason: "length",
			},
			{ text: "I could not write it." },
		);
		const run = await runPi(["-p", "write two files"], env);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("I could not write it.\n");
		expect(existsSync(join(env.cwd, "half.txt"))).toBe(false);
		expect(existsSync(join(env.cwd, "cut.txt"))).toBe(false);
		const sent = JSON.stringify(lastRequestBody().messages);
		expect(sent).toContain('Invalid arguments for tool \\"write\\"');
		expect(sent).toContain("hit the output token limit");
	});

	// cron, CI steps, `ssh host pi …`, `docker run` without -t: stdin is /dev/null, not a terminal (runPi's default).
	test("stdin that is not a terminal means print mode, as in pi: the answer only, no terminal codes", async () => {
		const env = makePiEnv(server.url);
		server.enqueue({ text: "Answer without a terminal" });
		const run = await runPi(["say hello"], env);
		expect(run.exitCode).toBe(0);
		expect(run.stdout).toBe("Answer without a terminal\n");
		expect(run.stderr).toBe("");
		expect(JSON.stringify(lastRequestBody().messages)).toContain("say hello");
	});

	test("without a terminal and without a model: a message is an error (exit 1), no message only a warning (exit 0)", async () => {
		const env = makePiEnv();
		const withMessage = await runPi(["hi"], env);
		expect(withMessage.exitCode).toBe(1);
		expect(withMessage.stdout).toBe("");
		expect(withMessage.stderr).toContain("No models available");
		const withoutMessage = await runPi([], env);
		expect(withoutMessage.exitCode).toBe(0);
		expect(withoutMessage.stdout).toBe("");
		expect(withoutMessage.stderr).toContain("No models available");
	});

	test("an unknown flag is a one-line error", async () => {
		const env = makePiEnv(server.url);
		const run = await runPi(["--frobnicate", "-p", "hi"], env);
		expect(run.exitCode).toBe(1);
		expect(run.stderr).toContain("Unknown option: --frobnicate");
		expect(run.stderr.trim().split("\n").length).toBe(1);
	});
});

describe("json mode", () => {
	test("prints the session header and every event as one line", async () => {
		const env = makePiEnv(server.url);
		server.enqueue(
			{ toolCalls: [{ id: "call_1", name: "read", arguments: { path: "a.txt" } }] },
			{ text: "It says A." },
		);
		writeFileSync(join(env.cwd, "a.txt"), "A\n");
		const run = await runPi(["--mode", "json", "read a.txt"], env);
		expect(run.exitCode).toBe(0);
		const events = run.stdout
			.trim()
			.split("\n")
			.map((line) => JSON.parse(line) as { type: string; toolName?: string; isError?: boolean });
		expect(events[0]?.type).toBe("session");
		const types = events.map((event) => event.type).filter((type) => type !== "message_update");
		expect(types).toEqual([
			"session",
			"agent_start",
			"turn_start",
			"message_start", // the system message declaring the prompt and tools
			"message_end",
			"message_start",
			"message_end",
			"message_start",
			"message_end",
			"tool_execution_start",
			"tool_execution_end",
			"message_start",
			"message_end",
			"turn_end",
			"turn_start",
			"message_start",
			"message_end",
			"turn_end",
			"agent_end",
			"agent_settled",
		]);
		const toolEnd = events.find((event) => event.type === "tool_execution_end");
		expect(toolEnd?.toolName).toBe("read");
		expect(toolEnd?.isError).toBe(false);
	});
});
