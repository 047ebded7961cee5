/**
 * Interactive mode render cost: a resumed session with 1,000 messages (user prompts, markdown answers, tool calls
 * and results), then 200 key presses and 500 streamed text deltas, each followed by one frame, like the TUI
 * does. Prints the median and p95 time per frame. Run: ./node_modules/.bin/bun bench/interactive.ts
 */
import type { AgentMessage } from "../src/agent/types.ts";
import { type AssistantMessage, emptyUsage } from "../src/ai/types.ts";
import { InteractiveController } from "../src/modes/interactive/controller.ts";
import { TUI } from "../src/tui/tui.ts";
import { createSession, TEST_MODEL } from "../test/interactive/harness.ts";
import { VirtualTerminal } from "../test/support/virtual-terminal.ts";
import { quantile } from "./stats.ts";

const PAIRS = 250;

function assistant(content: AssistantMessage["content"]): AssistantMessage {
	return {
		role: "assistant",
		content,
		api: TEST_MODEL.api,
		provider: TEST_MODEL.provider,
		model: TEST_MODEL.id,
		usage: { ...emptyUsage(), input: 1000, output: 200, totalTokens: 1200 },
		stopReason: "stop",
		timestamp: Date.now(),
	};
}

function transcript(): AgentMessage[] {
	const messages: AgentMessage[] = [];
	const answer =
		"Here is **some** markdown with `code` and a list:\n\n- one\n- two\n\n```ts\nconst x = 1;\n```\n".repeat(3);
	for (let i = 0; i < PAIRS; i++) {
		messages.push({ role: "user", content: [{ type: "text", text: `Question ${i}: what about it?` }], timestamp: 0 });
		const id = `call-${i}`;
		messages.push(assistant([{ type: "toolCall", id, name: "bash", arguments: { command: `ls -la dir${i}` } }]));
		messages.push({
			role: "toolResult",
			toolCallId: id,
			toolName: "bash",
			content: [{ type: "text", text: Array.from({ length: 40 }, (_, n) => `file-${n}.txt`).join("\n") }],
			isError: false,
			timestamp: 0,
		});
		messages.push(assistant([{ type: "text", text: answer }]));
	}
	return messages;
}

function stats(label: string, samples: number[]): void {
	console.log(
		`${label.padEnd(28)} median ${quantile(samples, 0.5).toFixed(3)} ms   p95 ${quantile(samples, 0.95).toFixed(3)} ms   (${samples.length} frames)`,
	);
}

const { session } = createSession({ turns: [] });
const messages = transcript();
for (const message of messages) session.sessionManager.appendMessage(message);
session.agent.replaceMessages(messages);

const terminal = new VirtualTerminal(120, 40);
const tui = new TUI(terminal);
const controller = new InteractiveController(session, tui, { verbose: false });
const startedAt = performance.now();
controller.start();
tui.renderFrame();
console.log(`first frame with ${messages.length} messages: ${(performance.now() - startedAt).toFixed(1)} ms`);

const keyFrames: number[] = [];
for (let i = 0; i < 200; i++) {
	const t = performance.now();
	terminal.sendInput("a");
	tui.renderFrame();
	keyFrames.push(performance.now() - t);
}
stats("key press + frame", keyFrames);

// Streaming: one growing assistant message, as message_update events would grow it.
const streamFrames: number[] = [];
let text = "";
const view = assistant([{ type: "text", text }]);
const onEvent = controller.handleSessionEvent.bind(controller);
onEvent({ type: "message_start", message: view });
for (let i = 0; i < 500; i++) {
	text += `word${i} `;
	const partial = assistant([{ type: "text", text }]);
	const t = performance.now();
	onEvent({
		type: "message_update",
		message: partial,
		assistantMessageEvent: { type: "text_delta", contentIndex: 0, delta: "", partial },
	});
	tui.renderFrame();
	streamFrames.push(performance.now() - t);
}
stats("streamed delta + frame", streamFrames);

controller.dispose();
tui.stop();
process.exit(0);
