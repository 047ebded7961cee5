/**
 * The pieces the interactive controller is built from, tested on their own: the session-event renderer, chat
 * notices, the pending-queue area and the loader line. The full-screen behaviour is covered by interactive-mode.
 */
import { describe, expect, test } from "bun:test";
import type { AgentSessionEvent } from "../../src/agent/session-events.ts";
import { type AssistantMessage, emptyUsage, type ToolCall } from "../../src/ai/types.ts";
import { ChatNotices } from "../../src/modes/interactive/chat-notices.ts";
import { BashExecutionView } from "../../src/modes/interactive/components/bash-execution.ts";
import { AssistantMessageView } from "../../src/modes/interactive/components/messages.ts";
import { Column, Slot, type UiComponent } from "../../src/modes/interactive/components/primitives.ts";
import { ToolExecutionView } from "../../src/modes/interactive/components/tool-execution.ts";
import { setChatExpanded } from "../../src/modes/interactive/display-toggles.ts";
import { Keybindings, setActiveKeybindings } from "../../src/modes/interactive/keybindings.ts";
import { LoaderLine } from "../../src/modes/interactive/loader-line.ts";
import { PendingQueueView } from "../../src/modes/interactive/pending-queue.ts";
import { SessionEventRenderer } from "../../src/modes/interactive/session-event-renderer.ts";
import { terminalTitleSequence } from "../../src/modes/interactive/terminal-title.ts";

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing colours to compare text
const plain = (lines: string[]) => lines.map((line) => line.replace(/\x1b\[[0-9;]*m/g, "").trimEnd());
const text = (component: UiComponent) => plain(component.render(80)).join("\n");

function assistant(content: AssistantMessage["content"], stopReason: AssistantMessage["stopReason"] = "stop") {
	const message: AssistantMessage = {
		role: "assistant",
		content,
		api: "anthropic-messages",
		provider: "anthropic",
		model: "fake",
		usage: emptyUsage(),
		stopReason,
		timestamp: 0,
	};
	return message;
}

const readCall: ToolCall = { type: "toolCall", id: "call-1", name: "read", arguments: { path: "a.txt" } };
const bashCall: ToolCall = { type: "toolCall", id: "call-2", name: "bash", arguments: { command: "ls" } };

function update(message: AssistantMessage): AgentSessionEvent {
	return {
		type: "message_update",
		message,
		assistantMessageEvent: { type: "text_delta", contentIndex: 0, delta: ".", partial: message },
	};
}

function renderer() {
	const chat = new Column();
	const sink = { toolsExpanded: false, hideThinking: false, addToChat: (c: UiComponent) => chat.add(c) };
	const events = new SessionEventRenderer(sink, () => ({ showImages: false, widthCells: 60 }));
	const send = (event: AgentSessionEvent) => events.handle(event);
	return { chat, events, send };
}

describe("session-event renderer", () => {
	test("a streamed answer gets one view, one tool box per call, and the tool result in that box", () => {
		const { chat, send } = renderer();
		send({ type: "message_start", message: assistant([{ type: "text", text: "Let me" }]) });
		send(update(assistant([{ type: "text", text: "Let me look" }, readCall])));
		send(update(assistant([{ type: "text", text: "Let me look." }, readCall])));
		expect(chat.children.filter((c) => c instanceof AssistantMessageView)).toHaveLength(1);
		expect(chat.children.filter((c) => c instanceof ToolExecutionView)).toHaveLength(1);
		expect(text(chat)).toContain("Let me look.");
		send({ type: "tool_execution_start", toolCallId: "call-1", toolName: "read", args: readCall.arguments });
		send({
			type: "tool_execution_end",
			toolCallId: "call-1",
			toolName: "read",
			result: { content: [{ type: "text", text: "file body here" }] },
			isError: false,
		});
		expect(text(chat)).toContain("file body here");
	});

	test("an aborted answer marks its unfinished tool boxes, not the finished ones", () => {
		const { chat, send } = renderer();
		send({ type: "message_start", message: assistant([readCall, bashCall]) });
		send({
			type: "tool_execution_end",
			toolCallId: "call-1",
			toolName: "read",
			result: { content: [{ type: "text", text: "done reading" }] },
			isError: false,
		});
		send({ type: "message_end", message: assistant([readCall, bashCall], "aborted") });
		const boxes = chat.children.filter((c): c is ToolExecutionView => c instanceof ToolExecutionView);
		expect(boxes.map((box) => box.toolCallId)).toEqual(["call-1", "call-2"]);
		expect(text(boxes[0] as UiComponent)).not.toContain("Operation aborted");
		expect(text(boxes[1] as UiComponent)).toContain("Operation aborted");
	});

	test("a tool started without a streamed call still gets a box; reset forgets every box", () => {
		const { chat, events, send } = renderer();
		send({ type: "tool_execution_start", toolCallId: "x", toolName: "bash", args: { command: "pwd" } });
		expect(chat.children).toHaveLength(1);
		events.reset();
		chat.clear();
		// After a reset the old id is unknown: a result for it adds nothing and does not throw.
		events.addMessage({
			role: "toolResult",
			toolCallId: "x",
			toolName: "bash",
			content: [],
			isError: false,
			timestamp: 0,
		});
		expect(chat.children).toHaveLength(0);
		events.addMessage({ role: "user", content: "hello there", timestamp: 0 });
		expect(text(chat)).toContain("hello there");
	});
});

describe("session-event renderer: pi 1.6.0's chat differences", () => {
	test("two answers reusing a tool call id (local OpenAI-compatible servers) both get their own box and result", () => {
		const { chat, events, send } = renderer();
		const first = { ...readCall, id: "call_0", arguments: { path: "first.txt" } };
		const second = { ...readCall, id: "call_0", arguments: { path: "second.txt" } };
		send({ type: "message_start", message: assistant([first]) });
		send({ type: "message_end", message: assistant([first], "toolUse") });
		send({ type: "tool_execution_start", toolCallId: "call_0", toolName: "read", args: first.arguments });
		const result = (body: string): AgentSessionEvent => ({
			type: "tool_execution_end",
			toolCallId: "call_0",
			toolName: "read",
			result: { content: [{ type: "text", text: body }] },
			isError: false,
		});
		send(result("first body"));
		send({ type: "message_start", message: assistant([second]) });
		send(update(assistant([second])));
		send({ type: "message_end", message: assistant([second], "toolUse") });
		send({ type: "tool_execution_start", toolCallId: "call_0", toolName: "read", args: second.arguments });
		send(result("second body"));
		const boxes = chat.children.filter((c): c is ToolExecutionView => c instanceof ToolExecutionView);
		expect(boxes).toHaveLength(2);
		expect(text(boxes[0] as UiComponent)).toContain("first.txt");
		expect(text(boxes[0] as UiComponent)).toContain("first body");
		expect(text(boxes[1] as UiComponent)).toContain("second.txt");
		expect(text(boxes[1] as UiComponent)).toContain("second body");
		// The same from the stored messages (resume).
		chat.clear();
		events.reset();
		for (const [call, body] of [
			[first, "first body"],
			[second, "second body"],
		] as const) {
			events.addMessage(assistant([call], "toolUse"));
			events.addMessage({
				role: "toolResult",
				toolCallId: "call_0",
				toolName: "read",
				content: [{ type: "text", text: body }],
				isError: false,
				timestamp: 0,
			});
		}
		const stored = chat.children.filter((c): c is ToolExecutionView => c instanceof ToolExecutionView);
		expect(stored.map((box) => text(box).includes("first body"))).toEqual([true, false]);
		expect(stored.map((box) => text(box).includes("second body"))).toEqual([false, true]);
	});

	test("a /skill:name prompt shows collapsed as [skill] name, then what the user typed; Ctrl+O expands it", () => {
		const { chat, events } = renderer();
		const block =
			'<skill name="review" location="/skills/review/SKILL.md">\nReferences are relative to /skills/review.\n\nCheck the diff carefully.\n</skill>';
		events.addMessage({ role: "user", content: `${block}\n\nlook at main.ts`, timestamp: 0 });
		expect(plain(chat.render(60)).filter(Boolean)).toEqual([" [skill] review (ctrl+o to expand)", " look at main.ts"]);
		setChatExpanded(chat, true);
		const expanded = text(chat);
		expect(expanded).toContain("[skill]");
		expect(expanded).toContain("Check the diff carefully.");
		expect(expanded).not.toContain("<skill");
	});
});

describe("chat notices", () => {
	test("consecutive status lines replace each other; anything in between starts a new one", () => {
		const chat = new Column();
		let renders = 0;
		const notices = new ChatNotices(chat, () => renders++);
		notices.status("first");
		notices.status("second");
		expect(plain(chat.render(40)).filter(Boolean)).toEqual([" second"]);
		notices.warning("careful");
		notices.status("third");
		expect(plain(chat.render(40)).filter(Boolean)).toEqual([" second", " Warning: careful", " third"]);
		notices.forgetStatus();
		notices.status("fourth");
		expect(plain(chat.render(40)).filter(Boolean)).toEqual([" second", " Warning: careful", " third", " fourth"]);
		expect(renders).toBe(5);
	});

	test("errors and info blocks are never merged", () => {
		const chat = new Column();
		const notices = new ChatNotices(chat, () => {});
		notices.error("bad");
		notices.info("a\nb");
		expect(plain(chat.render(40))).toEqual(["", " Error: bad", "", " a", " b"]);
	});
});

describe("pending queue", () => {
	test("queued messages are listed with the restore key; deferred bash joins the chat when the run ends", () => {
		setActiveKeybindings(new Keybindings({}));
		let queue = { steering: ["steer me"] as readonly string[], followUp: ["later\nplease"] as readonly string[] };
		const pending = new PendingQueueView(() => queue);
		pending.show(queue.steering, queue.followUp);
		expect(plain(pending.column.render(80)).filter(Boolean)).toEqual([
			" Steering: steer me",
			" Follow-up: later please",
			" ↳ Alt+Up to edit all queued messages",
		]);
		queue = { steering: [], followUp: [] };
		const view = new BashExecutionView("echo hi", false, false);
		pending.deferBash(view);
		expect(pending.column.children).toContain(view);
		expect(text(pending.column)).not.toContain("Steering");
		const chat = new Column();
		pending.moveBashInto(chat);
		expect(chat.children).toEqual([view]);
		expect(pending.column.children).toHaveLength(0);
	});
});

describe("loader line", () => {
	test("a new message retitles the running spinner; undefined removes it", () => {
		const slot = new Slot();
		const loader = new LoaderLine(slot, () => {});
		loader.set("Working...");
		const first = plain(slot.render(40)).join("\n");
		loader.set("Compacting...");
		const second = plain(slot.render(40)).join("\n");
		expect(first).toContain("Working...");
		expect(second).toContain("Compacting...");
		expect(second).not.toContain("Working...");
		loader.set(undefined);
		expect(slot.render(40).join("")).toBe("");
		loader.dispose();
	});
});

describe("terminal title", () => {
	test("names the folder, and the session first when it has a name", () => {
		expect(terminalTitleSequence("/home/me/project", undefined)).toBe("\x1b]0;π - project\x07");
		expect(terminalTitleSequence("/home/me/project/", "refactor")).toBe("\x1b]0;π - refactor - project\x07");
		expect(terminalTitleSequence("/", undefined)).toBe("\x1b]0;π - /\x07");
	});
});
