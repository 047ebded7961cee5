/** RPC mode end to end: JSON-lines commands to a pi subprocess, responses and events back. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { RpcClient } from "../support/rpc-client.ts";
import { makePiEnv } from "../support/run-pi.ts";

let server: LlmTestServer;

beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

describe("rpc mode", () => {
	test("prompt, events, state and a clean exit when stdin closes", async () => {
		const env = makePiEnv(server.url);
		const rpc = new RpcClient(env);
		server.enqueue({ text: "Hi there" });
		const accepted = await rpc.request({ id: "1", type: "prompt", message: "hello" });
		// pi 1.6.0 says what became of the prompt.
		expect(accepted).toEqual({
			id: "1",
			type: "response",
			command: "prompt",
			success: true,
			data: { disposition: "started" },
		});
		await rpc.waitFor((line) => line.type === "agent_end");
		const state = await rpc.request({ id: "2", type: "get_state" });
		expect(state.success).toBe(true);
		const data = state.data as { isStreaming: boolean; messageCount: number; sessionFile?: string };
		expect(data.isStreaming).toBe(false);
		// The system message declaring the prompt and tools counts too (pi 1.6.0).
		expect(data.messageCount).toBe(3);
		const text = await rpc.request({ id: "3", type: "get_last_assistant_text" });
		expect(text.data).toEqual({ text: "Hi there" });
		expect(await rpc.close()).toBe(0);
		expect(data.sessionFile && existsSync(data.sessionFile)).toBe(true);
	});

	test("garbage and unknown commands get error responses and the process keeps serving", async () => {
		const env = makePiEnv(server.url);
		const rpc = new RpcClient(env);
		rpc.send("this is not json");
		const parseError = await rpc.waitFor((line) => line.type === "response" && line.command === "parse");
		expect(parseError.success).toBe(false);
		expect(String(parseError.error)).toStartWith("Failed to parse command:");
		rpc.send({ id: "u", type: "no_such_command" });
		const unknown = await rpc.waitFor(
			(line) => line.type === "response" && String(line.error).includes("Unknown command: no_such_command"),
		);
		expect(unknown.success).toBe(false);
		// pi 1.6.0 takes any level and clamps it to what the model can do.
		rpc.send({ id: "odd", type: "set_thinking_level", level: "enormous" });
		expect((await rpc.response("odd")).success).toBe(true);
		rpc.send({ id: 7, type: "get_state" });
		const numeric = await rpc.response(7);
		expect(numeric.id).toBe(7);
		expect(numeric.data).toMatchObject({ thinkingLevel: "off" });
		// No answer yet: pi 1.6.0 answers `"data":{}` (no text field), not null.
		expect(await rpc.request({ id: "t", type: "get_last_assistant_text" })).toEqual({
			id: "t",
			type: "response",
			command: "get_last_assistant_text",
			success: true,
			data: {},
		});
		const alive = await rpc.request({ id: "ok", type: "get_state" });
		expect(alive.success).toBe(true);
		expect(await rpc.close()).toBe(0);
	});

	test("abort in the middle of a tool kills it and leaves a consistent session", async () => {
		const env = makePiEnv(server.url);
		const rpc = new RpcClient(env);
		const marker = join(env.cwd, "finished.txt");
		server.enqueue({
			toolCalls: [{ id: "call_sleep", name: "bash", arguments: { command: `sleep 5 && echo done > ${marker}` } }],
		});
		await rpc.request({ id: "p", type: "prompt", message: "sleep please" });
		await rpc.waitFor((line) => line.type === "tool_execution_start");
		const aborted = await rpc.request({ id: "a", type: "abort" });
		expect(aborted.success).toBe(true);
		const end = await rpc.waitFor((line) => line.type === "tool_execution_end");
		expect(end.isError).toBe(true);
		await rpc.waitFor((line) => line.type === "agent_end");
		const messages = await rpc.request({ id: "m", type: "get_messages" });
		// As in pi, the loop asks the model once more after the tools; with the signal aborted that answer is
		// an empty "aborted" message. Every tool call has its result.
		const history = (messages.data as { messages: { role: string; stopReason?: string }[] }).messages;
		expect(history.map((m) => m.role)).toEqual(["system", "user", "assistant", "toolResult", "assistant"]);
		expect(history.at(-1)?.stopReason).toBe("aborted");

		server.enqueue({ text: "Continuing" });
		await rpc.request({ id: "p2", type: "prompt", message: "go on" });
		await rpc.waitFor(
			(line) => line.type === "agent_end" && rpc.lines.filter((l) => l.type === "agent_end").length >= 2,
		);
		expect(await rpc.close()).toBe(0);
		expect(existsSync(marker)).toBe(false);
		// The aborted tool call and its result are replayed to the model on the next prompt.
		const sent = JSON.stringify(server.requests.at(-1)?.body);
		expect(sent).toContain("call_sleep");
		expect(sent).toContain("go on");
	});

	test("steering while streaming is delivered after the running tool", async () => {
		const env = makePiEnv(server.url);
		const rpc = new RpcClient(env);
		server.enqueue(
			{ toolCalls: [{ id: "call_wait", name: "bash", arguments: { command: "sleep 0.5; echo slept" } }] },
			{ text: "Saw the steer" },
		);
		await rpc.request({ id: "p", type: "prompt", message: "start" });
		await rpc.waitFor((line) => line.type === "tool_execution_start");
		const steer = await rpc.request({ id: "s", type: "steer", message: "also do X" });
		expect(steer.success).toBe(true);
		await rpc.waitFor((line) => line.type === "agent_end");
		const sent = JSON.stringify(server.requests.at(-1)?.body);
		expect(sent).toContain("also do X");
		expect(sent).toContain("slept");
		expect(await rpc.close()).toBe(0);
	});

	test("a session of many commands: thinking, names, bash, fork, stats, new session", async () => {
		const env = makePiEnv(server.url, { reasoning: true });
		const rpc = new RpcClient(env);
		const thinking = await rpc.request({ id: "t", type: "set_thinking_level", level: "high" });
		expect(thinking.success).toBe(true);
		const cycled = await rpc.request({ id: "c", type: "cycle_thinking_level" });
		// A custom reasoning model without a thinkingLevelMap has no xhigh (pi 0.73.1), so high wraps to off.
		expect(cycled.data).toEqual({ level: "off" });
		const models = await rpc.request({ id: "m", type: "get_available_models" });
		expect((models.data as { models: { id: string }[] }).models.map((m) => m.id)).toContain("test-model");

		const bash = await rpc.request({ id: "b", type: "bash", command: "echo from-bash" });
		expect((bash.data as { output: string; exitCode: number }).output).toBe("from-bash\n");

		server.enqueue({ text: "first answer" });
		await rpc.request({ id: "p1", type: "prompt", message: "first question" });
		await rpc.waitFor((line) => line.type === "agent_end");
		// The bash output went into the context ahead of the prompt.
		expect(JSON.stringify(server.requests.at(-1)?.body)).toContain("from-bash");

		const named = await rpc.request({ id: "n", type: "set_session_name", name: "My work" });
		expect(named.success).toBe(true);
		await rpc.waitFor((line) => line.type === "session_info_changed");
		const state = await rpc.request({ id: "s", type: "get_state" });
		expect((state.data as { sessionName: string; thinkingLevel: string }).sessionName).toBe("My work");
		expect((state.data as { thinkingLevel: string }).thinkingLevel).toBe("off");

		const stats = await rpc.request({ id: "st", type: "get_session_stats" });
		expect((stats.data as { userMessages: number; assistantMessages: number }).userMessages).toBe(1);
		expect((stats.data as { assistantMessages: number }).assistantMessages).toBe(1);

		const forkable = await rpc.request({ id: "fm", type: "get_fork_messages" });
		const entries = (forkable.data as { messages: { entryId: string; text: string }[] }).messages;
		expect(entries.map((entry) => entry.text)).toEqual(["first question"]);
		const fork = await rpc.request({ id: "f", type: "fork", entryId: entries[0]?.entryId ?? "" });
		expect(fork.data).toEqual({ text: "first question", cancelled: false });
		const afterFork = await rpc.request({ id: "gm", type: "get_messages" });
		// The fork keeps what came before the first question: the `!` command and the system message (pi 1.6.0).
		expect((afterFork.data as { messages: { role: string }[] }).messages.map((m) => m.role)).toEqual([
			"bashExecution",
			"system",
		]);

		const fresh = await rpc.request({ id: "ns", type: "new_session" });
		expect(fresh.data).toEqual({ cancelled: false });
		const empty = await rpc.request({ id: "gm2", type: "get_messages" });
		expect((empty.data as { messages: unknown[] }).messages).toEqual([]);
		expect(await rpc.close()).toBe(0);
	});

	test("a context-overflow error compacts the session once and retries", async () => {
		const env = makePiEnv(server.url);
		writeFileSync(
			join(env.agentDir, "settings.json"),
			JSON.stringify({ defaultProvider: "test", defaultModel: "test-model", compaction: { keepRecentTokens: 1 } }),
		);
		const rpc = new RpcClient(env);
		server.enqueue({ text: "one" }, { text: "two" });
		await rpc.request({ id: "p1", type: "prompt", message: "first" });
		await rpc.waitFor((line) => line.type === "agent_end");
		await rpc.request({ id: "p2", type: "prompt", message: "second" });
		await rpc.waitFor(() => rpc.lines.filter((l) => l.type === "agent_end").length >= 2);

		server.enqueue(
			{
				kind: "http-error",
				status: 400,
				body: '{"error":{"message":"This model\'s maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens. Please reduce the length of the messages.","code":"context_length_exceeded"}}',
			},
			{ text: "## Goal\nSummary of the early conversation." },
			// pi 1.6.0 cuts past the omitted failed answer: "third" is summarized as the turn's prefix.
			{ text: "The turn asked for a third thing." },
			{ text: "answer after compaction" },
		);
		await rpc.request({ id: "p3", type: "prompt", message: "third" });
		const end = await rpc.waitFor((line) => line.type === "compaction_end");
		expect(end.reason).toBe("overflow");
		expect(end.willRetry).toBe(true);
		await rpc.waitFor(
			(line) => line.type === "message_end" && JSON.stringify(line.message).includes("answer after compaction"),
		);
		// The retried request carries the summary instead of the compacted messages.
		const retried = JSON.stringify(server.requests.at(-1)?.body);
		expect(retried).toContain("Summary of the early conversation.");
		expect(retried).not.toContain('"first"');
		expect(await rpc.close()).toBe(0);
	}, 60_000);

	test("the session claim marker follows the session through new_session", async () => {
		const env = makePiEnv(server.url);
		const rpc = new RpcClient(env);
		server.enqueue({ text: "first" });
		await rpc.request({ id: "p", type: "prompt", message: "hello" });
		await rpc.waitFor((line) => line.type === "agent_end");
		const before = (await rpc.request({ id: "s1", type: "get_state" })).data as { sessionFile: string };
		expect(existsSync(`${before.sessionFile}.pid`)).toBe(true);
		await rpc.request({ id: "n", type: "new_session" });
		const after = (await rpc.request({ id: "s2", type: "get_state" })).data as { sessionFile: string };
		expect(after.sessionFile).not.toBe(before.sessionFile);
		expect(existsSync(`${before.sessionFile}.pid`)).toBe(false);
		expect(existsSync(`${after.sessionFile}.pid`)).toBe(true);
		expect(await rpc.close()).toBe(0);
	});

	test("stdin closing mid-run aborts the run, saves it and exits, as pi does", async () => {
		// A model that would call tools forever, except that its third answer stalls after a word: the test
		// closes stdin while pi is known to be waiting inside that answer, so "no request after EOF" is exact (no
		// race with how fast the machine runs the loop). Without the abort, pi would wait out the stall and go on
		// calling tools unattended.
		const toolTurn = (i: number) => ({
			toolCalls: [{ id: `call_${i}`, name: "bash", arguments: { command: `echo step ${i}` } }],
		});
		const looping = await startLlmServer({
			turns: [
				toolTurn(0),
				toolTurn(1),
				{ kind: "stall", text: "waiting" },
				...Array.from({ length: 200 }, (_, i) => toolTurn(i + 2)),
			],
		});
		try {
			const env = makePiEnv(looping.url);
			const rpc = new RpcClient(env);
			await rpc.request({ id: "p", type: "prompt", message: "loop forever" });
			// (Seven letters come as one delta.)
			await rpc.waitFor(
				(line) => line.type === "message_update" && JSON.stringify(line).includes('"delta":"waiting"'),
				30_000,
			);
			const state = (await rpc.request({ id: "s", type: "get_state" })).data as { sessionFile: string };
			expect(looping.requests.length).toBe(3);
			expect(await rpc.close()).toBe(0);
			// pi has exited: no request was made after EOF.
			expect(looping.requests.length).toBe(3);
			const saved = readFileSync(state.sessionFile, "utf8")
				.trim()
				.split("\n")
				.map((line) => JSON.parse(line) as { type: string; message?: { role: string; stopReason?: string } });
			const messages = saved.filter((entry) => entry.type === "message").map((entry) => entry.message);
			// The system message declaring the prompt and tools comes first (pi 1.6.0).
			expect(messages.slice(0, 2).map((message) => message?.role)).toEqual(["system", "user"]);
			expect(messages.at(-1)?.role).toBe("assistant");
			expect(messages.at(-1)?.stopReason).toBe("aborted");
		} finally {
			await looping.close();
		}
	}, 60_000);

	test("two prompts sent at once: the second is refused or queued, never accepted and then dropped", async () => {
		const env = makePiEnv(server.url);
		const rpc = new RpcClient(env);
		server.enqueue({ text: "answer one", chunkDelayMs: 20 }, { text: "answer two" });
		rpc.send({ id: "p1", type: "prompt", message: "first prompt" });
		rpc.send({ id: "p2", type: "prompt", message: "second prompt" });
		rpc.send({ id: "p3", type: "prompt", message: "third prompt", streamingBehavior: "followUp" });
		const [first, second, third] = await Promise.all([rpc.response("p1"), rpc.response("p2"), rpc.response("p3")]);
		expect(first.success).toBe(true);
		expect(second.success).toBe(false);
		expect(String(second.error)).toContain("already processing");
		expect(third.success).toBe(true);
		// Every accepted prompt reaches the model: the follow-up runs after the first answer.
		await rpc.waitFor((line) => line.type === "agent_end");
		const messages = (await rpc.request({ id: "m", type: "get_messages" })).data as {
			messages: { role: string; content: unknown }[];
		};
		const userTexts = messages.messages.filter((m) => m.role === "user").map((m) => JSON.stringify(m.content));
		expect(userTexts.join()).toContain("first prompt");
		expect(userTexts.join()).toContain("third prompt");
		expect(userTexts.join()).not.toContain("second prompt");
		expect(await rpc.close()).toBe(0);
	});
});
