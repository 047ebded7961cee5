import { describe, expect, test } from "bun:test";
import { Agent, type AgentOptions } from "../../src/agent/agent.ts";
import type { AgentEvent, AgentMessage, AgentTool } from "../../src/agent/types.ts";
import { toToolDeclaration } from "../../src/ai/transcript.ts";
import type { ToolResultMessage } from "../../src/ai/types.ts";
import { keepLlmMessages, MODEL, type Script, scriptedModel, sleepTool, textOf, userMessage } from "./fake-model.ts";

function makeAgent(scripts: Script[], tools: AgentTool[] = [], options: Partial<AgentOptions> = {}) {
	const model = scriptedModel(scripts);
	const agent = new Agent({
		streamFn: model.streamFn,
		convertToLlm: keepLlmMessages,
		getApiKey: async (provider) => `key-for-${provider}`,
		...options,
	});
	agent.setModel(MODEL);
	agent.setTools(tools);
	// The prompt and tools travel in the transcript (pi 1.6.0): a leading system message declares them.
	agent.replaceMessages([
		{ role: "system", content: "SYSTEM", toolsAdded: tools.map(toToolDeclaration), timestamp: 0 },
	]);
	const events: AgentEvent[] = [];
	agent.subscribe((event) => {
		events.push(event);
	});
	return { agent, calls: model.calls, events };
}

/** Compact event trace: type plus the role of message events. */
function trace(events: AgentEvent[]): string[] {
	return events
		.filter((e) => e.type !== "message_update" && e.type !== "tool_execution_update")
		.map((e) => {
			if (e.type === "message_start" || e.type === "message_end") return `${e.type}:${e.message.role}`;
			if (e.type === "tool_execution_start" || e.type === "tool_execution_end") return `${e.type}:${e.toolCallId}`;
			return e.type;
		});
}

function toolResults(messages: AgentMessage[]): ToolResultMessage[] {
	return messages.filter((m): m is ToolResultMessage => m.role === "toolResult");
}

describe("Agent loop", () => {
	test("a text answer: event order, request context and options", async () => {
		const { agent, calls, events } = makeAgent([{ text: "hello" }], [sleepTool()], {
			sessionId: "sess-1",
			streamOptions: { maxRetryDelayMs: 5, idleTimeoutMs: 7 },
		});
		agent.setThinkingLevel("high");
		await agent.prompt([userMessage("hi")]);

		expect(trace(events)).toEqual([
			"agent_start",
			"turn_start",
			"message_start:user",
			"message_end:user",
			"message_start:assistant",
			"message_end:assistant",
			"turn_end",
			"agent_end",
		]);
		const updates = events.filter((e) => e.type === "message_update");
		expect(updates.map((e) => (e.type === "message_update" ? e.assistantMessageEvent.type : ""))).toEqual([
			"text_start",
			"text_delta",
			"text_end",
		]);
		expect(agent.state.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
		expect(agent.state.isStreaming).toBe(false);
		const end = events.at(-1);
		expect(end?.type === "agent_end" ? end.messages : []).toEqual(agent.state.messages.slice(1));

		expect(calls).toHaveLength(1);
		const call = calls[0];
		expect(call?.context.systemPrompt).toBe("SYSTEM");
		expect(call?.context.messages.map((m) => m.role)).toEqual(["user"]);
		expect(call?.context.tools).toEqual([
			{ name: "sleep", description: "Wait a while", parameters: sleepTool().parameters },
		]);
		expect(call?.options?.apiKey).toBe("key-for-fake");
		expect(call?.options?.sessionId).toBe("sess-1");
		expect(call?.options?.reasoning).toBe("high");
		expect(call?.options?.maxRetryDelayMs).toBe(5);
		expect(call?.options?.idleTimeoutMs).toBe(7);
		expect(call?.options?.signal).toBeInstanceOf(AbortSignal);
	});

	test("thinking level off sends no reasoning option", async () => {
		const { agent, calls } = makeAgent([{ text: "ok" }]);
		agent.setThinkingLevel("off");
		await agent.prompt([userMessage("hi")]);
		expect(calls[0]?.options && "reasoning" in calls[0].options).toBe(false);
	});

	test("multi-turn tool use feeds results back until the model stops", async () => {
		const { agent, calls, events } = makeAgent(
			[
				{ toolCalls: [{ id: "t1", name: "sleep", args: { ms: 1, label: "a" } }] },
				{ toolCalls: [{ id: "t2", name: "sleep", args: { ms: 1, label: "b" } }] },
				{ text: "done" },
			],
			[sleepTool()],
		);
		await agent.prompt([userMessage("go")]);
		expect(agent.state.messages.map((m) => m.role)).toEqual([
			"system",
			"user",
			"assistant",
			"toolResult",
			"assistant",
			"toolResult",
			"assistant",
		]);
		expect(calls).toHaveLength(3);
		expect(calls[2]?.context.messages.map((m) => m.role)).toEqual([
			"user",
			"assistant",
			"toolResult",
			"assistant",
			"toolResult",
		]);
		const turnEnds = events.filter((e) => e.type === "turn_end");
		expect(turnEnds).toHaveLength(3);
		const first = turnEnds[0];
		expect(first?.type === "turn_end" ? first.toolResults.map((r) => textOf(r)) : []).toEqual(["slept a"]);
		expect(events.filter((e) => e.type === "turn_start")).toHaveLength(3);
		const [result] = toolResults(agent.state.messages);
		expect(result).toMatchObject({ toolCallId: "t1", toolName: "sleep", isError: false, details: { ms: 1 } });
		const update = events.find((e) => e.type === "tool_execution_update");
		expect(update).toMatchObject({ toolCallId: "t1", toolName: "sleep", args: { ms: 1, label: "a" } });
	});

	test("parallel tool calls run concurrently; results keep the model's order", async () => {
		const log: string[] = [];
		const { agent, events } = makeAgent(
			[
				{
					toolCalls: [
						{ id: "slow", name: "sleep", args: { ms: 60, label: "slow" } },
						{ id: "fast", name: "sleep", args: { ms: 5, label: "fast" } },
					],
				},
				{ text: "ok" },
			],
			[sleepTool(log)],
		);
		await agent.prompt([userMessage("go")]);
		expect(log).toEqual(["start slow", "start fast", "end fast", "end slow"]);
		const ends = events
			.filter((e) => e.type === "tool_execution_end")
			.map((e) => (e.type === "tool_execution_end" ? e.toolCallId : ""));
		expect(ends).toEqual(["fast", "slow"]);
		expect(toolResults(agent.state.messages).map((r) => r.toolCallId)).toEqual(["slow", "fast"]);
		expect(trace(events).slice(4, 12)).toEqual([
			"message_start:assistant",
			"message_end:assistant",
			"tool_execution_start:slow",
			"tool_execution_start:fast",
			"tool_execution_end:fast",
			"tool_execution_end:slow",
			"message_start:toolResult",
			"message_end:toolResult",
		]);
	});

	test("sequential mode runs one tool at a time", async () => {
		const log: string[] = [];
		const { agent } = makeAgent(
			[
				{
					toolCalls: [
						{ id: "slow", name: "sleep", args: { ms: 30, label: "slow" } },
						{ id: "fast", name: "sleep", args: { ms: 1, label: "fast" } },
					],
				},
				{ text: "ok" },
			],
			[sleepTool(log)],
			{ toolExecution: "sequential" },
		);
		await agent.prompt([userMessage("go")]);
		expect(log).toEqual(["start slow", "end slow", "start fast", "end fast"]);
	});

	test("invalid arguments, unknown tools and throwing tools become error results", async () => {
		let executed = 0;
		const failing: AgentTool = {
			name: "fail",
			label: "Fail",
			description: "always fails",
			parameters: { type: "object" },
			parseArgs: (raw) => raw,
			execute: async () => {
				executed++;
				throw new Error("disk on fire");
			},
		};
		const { agent, events } = makeAgent(
			[
				{
					toolCalls: [
						{ id: "bad", name: "sleep", args: { ms: "soon" } },
						{ id: "missing", name: "nope", args: {} },
						{ id: "boom", name: "fail", args: {} },
					],
				},
				{ text: "sorry" },
			],
			[sleepTool(), failing],
		);
		await agent.prompt([userMessage("go")]);
		const results = toolResults(agent.state.messages);
		expect(results.map((r) => [r.toolCallId, r.isError, textOf(r)])).toEqual([
			["bad", true, expect.stringContaining('Validation failed for tool "sleep"')],
			["missing", true, "Tool nope not found"],
			["boom", true, "disk on fire"],
		]);
		expect(results[1]?.details).toEqual({});
		expect(executed).toBe(1);
		const errorEnds = events.filter((e) => e.type === "tool_execution_end" && e.isError);
		expect(errorEnds).toHaveLength(3);
		expect(agent.state.messages.at(-1)?.role).toBe("assistant");
	});

	test("arguments that were not valid JSON, or cut off by the output token limit, never run the tool", async () => {
		let executed = 0;
		const write: AgentTool = {
			name: "write",
			label: "Write",
			description: "writes",
			parameters: { type: "object" },
			parseArgs: (raw) => raw,
			execute: async () => {
				executed++;
				return { content: [{ type: "text", text: "written" }], details: {} };
			},
		};
		const { agent } = makeAgent(
			[
				{
					toolCalls: [
						{
							id: "broken",
							name: "write",
							args: {},
							argumentsError: `JSON Parse error: Unterminated string\n\nReceived arguments:\n{"path":"a.txt","content":"hal`,
						},
					],
				},
				{
					toolCalls: [{ id: "cut", name: "write", args: { path: "a.txt", content: "half a fi" } }],
					stopReason: "length",
				},
				{ text: "giving up" },
			],
			[write],
		);
		await agent.prompt([userMessage("write it")]);
		const results = toolResults(agent.state.messages);
		expect(results.map((r) => [r.toolCallId, r.isError, textOf(r)])).toEqual([
			["broken", true, expect.stringContaining('Invalid arguments for tool "write": JSON Parse error')],
			[
				"cut",
				true,
				'Tool call "write" was not executed: the response hit the output token limit, so its arguments may be truncated. Re-issue the tool call with complete arguments.',
			],
		]);
		expect(executed).toBe(0);
	});

	test("steering during a tool: the batch finishes, then the message is injected before the next call", async () => {
		const log: string[] = [];
		const { agent, calls, events } = makeAgent(
			[
				{
					toolCalls: [
						{ id: "a", name: "sleep", args: { ms: 40, label: "a" } },
						{ id: "b", name: "sleep", args: { ms: 40, label: "b" } },
					],
				},
				{ text: "steered" },
			],
			[sleepTool(log)],
		);
		agent.subscribe((event) => {
			if (event.type === "tool_execution_start" && event.toolCallId === "a") agent.steer(userMessage("change course"));
		});
		await agent.prompt([userMessage("go")]);
		// pi 0.73.1 does not skip the remaining calls of the batch.
		expect(toolResults(agent.state.messages).map((r) => [r.toolCallId, r.isError])).toEqual([
			["a", false],
			["b", false],
		]);
		expect(agent.state.messages.map((m) => m.role)).toEqual([
			"system",
			"user",
			"assistant",
			"toolResult",
			"toolResult",
			"user",
			"assistant",
		]);
		expect(calls[1]?.context.messages.at(-1)).toMatchObject({ role: "user", content: [{ text: "change course" }] });
		expect(trace(events).slice(-8)).toEqual([
			"turn_end",
			"turn_start",
			"message_start:user",
			"message_end:user",
			"message_start:assistant",
			"message_end:assistant",
			"turn_end",
			"agent_end",
		]);
		expect(agent.hasQueuedMessages()).toBe(false);
	});

	test("follow-ups wait until the agent would stop", async () => {
		const { agent, calls } = makeAgent(
			[
				{ toolCalls: [{ id: "a", name: "sleep", args: { ms: 10, label: "a" } }] },
				{ text: "first answer" },
				{ text: "second answer" },
			],
			[sleepTool()],
		);
		agent.subscribe((event) => {
			if (event.type === "tool_execution_start") agent.followUp(userMessage("and then?"));
		});
		await agent.prompt([userMessage("go")]);
		expect(agent.state.messages.map((m) => m.role)).toEqual([
			"system",
			"user",
			"assistant",
			"toolResult",
			"assistant",
			"user",
			"assistant",
		]);
		expect(calls).toHaveLength(3);
		expect(calls[1]?.context.messages.at(-1)?.role).toBe("toolResult");
	});

	test("one-at-a-time steering delivers one message per turn; 'all' delivers them together", async () => {
		for (const mode of ["one-at-a-time", "all"] as const) {
			const { agent, calls } = makeAgent([{ text: "1" }, { text: "2" }, { text: "3" }], [], { steeringMode: mode });
			agent.steer(userMessage("s1"));
			agent.steer(userMessage("s2"));
			await agent.prompt([userMessage("go")]);
			const roles = agent.state.messages.map((m) => m.role);
			if (mode === "all") expect(roles).toEqual(["system", "user", "user", "user", "assistant"]);
			else expect(roles).toEqual(["system", "user", "user", "assistant", "user", "assistant"]);
			expect(calls).toHaveLength(mode === "all" ? 1 : 2);
		}
	});

	test("abort during the stream persists an aborted assistant message", async () => {
		const { agent, events } = makeAgent([{ text: "partial", hang: true }]);
		agent.subscribe((event) => {
			if (event.type === "message_update" && event.assistantMessageEvent.type === "text_end") agent.abort();
		});
		await agent.prompt([userMessage("go")]);
		const last = agent.state.messages.at(-1);
		expect(last).toMatchObject({
			role: "assistant",
			stopReason: "aborted",
			content: [{ type: "text", text: "partial" }],
		});
		expect(trace(events).slice(-3)).toEqual(["message_end:assistant", "turn_end", "agent_end"]);
		expect(agent.state.isStreaming).toBe(false);
	});

	test("abort during a tool signals it; every tool call still gets a result", async () => {
		const log: string[] = [];
		const { agent, calls } = makeAgent(
			[
				{
					toolCalls: [
						{ id: "a", name: "sleep", args: { ms: 5000, label: "a" } },
						{ id: "b", name: "sleep", args: { ms: 5000, label: "b" } },
					],
				},
				{ text: "never" },
			],
			[sleepTool(log)],
		);
		agent.subscribe((event) => {
			if (event.type === "tool_execution_update" && event.toolCallId === "b") agent.abort();
		});
		const started = Date.now();
		await agent.prompt([userMessage("go")]);
		expect(Date.now() - started).toBeLessThan(2000);
		expect(log).toEqual(["start a", "start b", "aborted a", "aborted b"]);
		const results = toolResults(agent.state.messages);
		expect(results.map((r) => [r.toolCallId, r.isError, textOf(r)])).toEqual([
			["a", true, "Operation aborted"],
			["b", true, "Operation aborted"],
		]);
		// The next model call sees the aborted signal and ends the run.
		expect(calls).toHaveLength(2);
		expect(agent.state.messages.at(-1)).toMatchObject({ role: "assistant", stopReason: "aborted" });
	});

	test("a stream error ends the run with the error message in history; continue() resumes", async () => {
		const { agent, calls, events } = makeAgent([{ text: "x", error: "503 overloaded" }, { text: "recovered" }]);
		await agent.prompt([userMessage("go")]);
		expect(agent.state.messages.at(-1)).toMatchObject({ stopReason: "error", errorMessage: "503 overloaded" });
		expect(agent.state.error).toBe("503 overloaded");
		const end = events.at(-1);
		expect(end?.type === "agent_end" ? end.messages.map((m) => m.role) : []).toEqual(["user", "assistant"]);

		await expect(agent.continue()).rejects.toThrow("Cannot continue from message role: assistant");
		// What the session layer does for auto-retry: drop the error message, then continue.
		agent.replaceMessages(agent.state.messages.slice(0, -1));
		await agent.continue();
		expect(calls).toHaveLength(2);
		expect(agent.state.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
		expect(agent.state.messages.at(-1)).toMatchObject({ stopReason: "stop" });
		expect(agent.state.error).toBeUndefined();
	});

	test("continue() after an assistant message runs queued steering, then follow-ups", async () => {
		const { agent, calls } = makeAgent([{ text: "a" }, { text: "b" }, { text: "c" }, { text: "d" }]);
		await agent.prompt([userMessage("go")]);
		agent.followUp(userMessage("later"));
		agent.steer(userMessage("now"));
		// The steering message starts the run; the follow-up is delivered when that run would stop.
		await agent.continue();
		expect(calls).toHaveLength(3);
		agent.followUp(userMessage("more"));
		await agent.continue();
		expect(calls).toHaveLength(4);
		const texts = agent.state.messages.map((m) =>
			m.role === "user" && Array.isArray(m.content)
				? `user:${m.content.map((b) => (b.type === "text" ? b.text : "")).join("")}`
				: m.role,
		);
		expect(texts).toEqual([
			"system",
			"user:go",
			"assistant",
			"user:now",
			"assistant",
			"user:later",
			"assistant",
			"user:more",
			"assistant",
		]);
		await expect(agent.continue()).rejects.toThrow("Cannot continue from message role: assistant");
	});

	test("misuse is rejected: prompting while busy, no model, continuing with nothing", async () => {
		const { agent } = makeAgent([{ text: "slow", stepMs: 20 }]);
		await expect(agent.continue()).rejects.toThrow("No messages to continue from");
		const first = agent.prompt([userMessage("one")]);
		expect(agent.state.isStreaming).toBe(true);
		await expect(agent.prompt([userMessage("two")])).rejects.toThrow("Agent is already processing a prompt");
		await expect(agent.continue()).rejects.toThrow("Agent is already processing");
		await agent.waitForIdle();
		await first;
		expect(agent.state.messages).toHaveLength(3);

		agent.setModel(undefined);
		await expect(agent.prompt([userMessage("x")])).rejects.toThrow("No model selected");
	});

	test("a failure outside the stream ends the run with an error message and agent_end", async () => {
		const { agent, events } = makeAgent([{ text: "never" }], [], {
			convertToLlm: () => {
				throw new Error("cannot convert");
			},
		});
		await agent.prompt([userMessage("go")]);
		expect(agent.state.messages.at(-1)).toMatchObject({
			role: "assistant",
			stopReason: "error",
			errorMessage: "cannot convert",
			model: MODEL.id,
		});
		expect(events.at(-1)?.type).toBe("agent_end");
		expect(agent.state.isStreaming).toBe(false);
	});

	test("state tracks the streaming message and pending tool calls; listeners are awaited in order", async () => {
		const seen: string[] = [];
		const { agent } = makeAgent(
			[{ toolCalls: [{ id: "a", name: "sleep", args: { ms: 5, label: "a" } }] }, { text: "ok" }],
			[sleepTool()],
		);
		agent.subscribe(async (event) => {
			if (event.type === "tool_execution_start") {
				seen.push(`pending ${[...agent.state.pendingToolCalls].join(",")}`);
				await new Promise((resolve) => setTimeout(resolve, 5));
				seen.push("slow listener done");
			}
			if (event.type === "tool_execution_end") seen.push(`pending after ${agent.state.pendingToolCalls.size}`);
			if (event.type === "message_update") seen.push(`streaming ${agent.state.streamMessage?.role}`);
		});
		await agent.prompt([userMessage("go")]);
		expect(seen.filter((s) => !s.startsWith("streaming"))).toEqual([
			"pending a",
			"slow listener done",
			"pending after 0",
		]);
		expect(seen).toContain("streaming assistant");
		expect(agent.state.streamMessage).toBeNull();
	});

	test("reset clears messages and queues; unsubscribe stops events", async () => {
		const { agent, events } = makeAgent([{ text: "a" }, { text: "b" }]);
		const extra: AgentEvent[] = [];
		const unsubscribe = agent.subscribe((event) => {
			extra.push(event);
		});
		await agent.prompt([userMessage("go")]);
		unsubscribe();
		agent.followUp(userMessage("x"));
		expect(agent.hasQueuedMessages()).toBe(true);
		agent.reset();
		expect(agent.hasQueuedMessages()).toBe(false);
		expect(agent.state.messages).toEqual([]);
		const count = extra.length;
		await agent.prompt([userMessage("again")]);
		expect(extra.length).toBe(count);
		expect(events.filter((e) => e.type === "agent_end")).toHaveLength(2);
	});
});
