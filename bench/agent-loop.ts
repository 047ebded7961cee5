/**
 * Per-turn overhead of the agent loop: 1,000 turns against an instant fake model (events pushed synchronously)
 * and a no-op tool, with one listener attached like the session layer. Run: bun bench/agent-loop.ts
 */
import { Agent } from "../src/agent/agent.ts";
import type { AgentMessage, AgentTool } from "../src/agent/types.ts";
import { PushAssistantStream } from "../src/ai/event-stream.ts";
import type { AssistantMessage, Message, Model, StreamFunction, ToolCall } from "../src/ai/types.ts";
import { assistantMessage } from "./long-session.ts";

const TURNS = 1000;

const model: Model = {
	id: "instant",
	name: "Instant",
	api: "anthropic-messages",
	provider: "bench",
	baseUrl: "http://127.0.0.1:1",
	reasoning: false,
	input: ["text"],
	cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
	contextWindow: 1_000_000,
	maxTokens: 1000,
};

/** An assistant message of the fake model (the usage figures do not matter to the loop). */
function assistant(content: AssistantMessage["content"], stopReason: AssistantMessage["stopReason"]): AssistantMessage {
	return assistantMessage(model, content, stopReason);
}

let calls = 0;
/** Asks for the no-op tool until the last turn, then answers with text. */
const instantModel: StreamFunction = () => {
	calls++;
	const stream = new PushAssistantStream();
	if (calls >= TURNS) {
		stream.push({ type: "start", partial: assistant([], "stop") });
		stream.push({ type: "done", reason: "stop", message: assistant([{ type: "text", text: "done" }], "stop") });
		return stream;
	}
	const toolCall: ToolCall = { type: "toolCall", id: `call-${calls}`, name: "noop", arguments: { n: calls } };
	stream.push({ type: "start", partial: assistant([], "stop") });
	stream.push({ type: "toolcall_start", contentIndex: 0, partial: assistant([toolCall], "stop") });
	stream.push({ type: "toolcall_end", contentIndex: 0, toolCall, partial: assistant([toolCall], "stop") });
	stream.push({ type: "done", reason: "toolUse", message: assistant([toolCall], "toolUse") });
	return stream;
};

const noop: AgentTool = {
	name: "noop",
	label: "No-op",
	description: "does nothing",
	parameters: { type: "object", properties: {} },
	parseArgs: (raw) => raw,
	execute: async () => ({ content: [{ type: "text", text: "ok" }] }),
};

const agent = new Agent({
	streamFn: instantModel,
	convertToLlm: (messages: AgentMessage[]) =>
		messages.filter((m): m is Message => m.role === "user" || m.role === "assistant" || m.role === "toolResult"),
	getApiKey: async () => "bench-key",
});
agent.setModel(model);
agent.setTools([noop]);
let events = 0;
agent.subscribe(() => {
	events++;
});

const started = performance.now();
await agent.prompt([{ role: "user", content: "go", timestamp: Date.now() }]);
const elapsed = performance.now() - started;

const perTurn = elapsed / TURNS;
console.log(`turns: ${calls}, messages: ${agent.state.messages.length}, events: ${events}`);
console.log(
	`total: ${elapsed.toFixed(1)} ms, per turn: ${perTurn.toFixed(3)} ms (${perTurn < 1 ? "ok" : "TOO SLOW"}, budget 1 ms)`,
);
if (calls !== TURNS || perTurn >= 1) process.exitCode = 1;
