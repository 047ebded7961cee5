/**
 * Conversation → chat components: one view per message and one tool box per tool call, updated in place while an
 * answer streams. Kept apart from the controller so the mapping from AgentSession events to what the user sees
 * can be read on its own; loader, queue and compaction events stay with the controller.
 */
import { customMessageText, userText } from "../../agent/session/messages.ts";
import type { AgentSessionEvent } from "../../agent/session-events.ts";
import type { AgentMessage } from "../../agent/types.ts";
import type { AssistantMessage } from "../../ai/types.ts";
import { BashExecutionView } from "./components/bash-execution.ts";
import {
	type MessageRendering,
	RenderedCustomEntry,
	RenderedCustomMessage,
} from "./components/custom-message-rendering.ts";
import type { ToolRenderers } from "./components/custom-tool-rendering.ts";
import {
	AssistantMessageView,
	CustomMessageView,
	parseSkillBlock,
	SkillInvocationView,
	SummaryView,
	UserMessageView,
} from "./components/messages.ts";
import { TextBlock, type UiComponent } from "./components/primitives.ts";
import { ToolExecutionView, type ToolImageSettings } from "./components/tool-execution.ts";
import { bg, fg } from "./style.ts";

/** Where the views go, and the display toggles they are created with. */
export interface ChatSink {
	addToChat(component: UiComponent): void;
	readonly toolsExpanded: boolean;
	readonly hideThinking: boolean;
}

/** Renderers extensions registered (their tools' renderCall/renderResult, their message renderers). */
export interface ExtensionRendererSource {
	tool(name: string): ToolRenderers | undefined;
	message(customType: string): MessageRendering | undefined;
	/** pi.registerEntryRenderer: custom entries (pi.appendEntry) drawn in the chat. */
	entry(customType: string): MessageRendering | undefined;
}

export class SessionEventRenderer {
	/** Set while extensions are loaded; consulted for every new tool row and custom message. */
	extensionRenderers: ExtensionRendererSource | undefined;
	private streamingView: AssistantMessageView | undefined;
	/**
	 * Tool boxes by tool call id: results arrive as separate messages/events and must find their box. An id is only
	 * unique within one answer (local OpenAI-compatible servers reuse `call_0` every turn), so a later answer's call
	 * gets a box of its own and takes the id over.
	 */
	private readonly toolViews = new Map<string, ToolExecutionView>();
	/** The tool boxes of the answer being added or streamed. */
	private answerCalls = new Map<string, ToolExecutionView>();

	constructor(
		private readonly sink: ChatSink,
		/** Read when a tool box draws its result's images. */
		private readonly imageSettings: () => ToolImageSettings,
	) {}

	/** Forget every view (the chat is being rebuilt from scratch). */
	reset(): void {
		this.toolViews.clear();
		this.answerCalls = new Map();
		this.streamingView = undefined;
	}

	/**
	 * The chat rebuilt from stored messages (after it was cleared), in order; `summaryLast` (after a compaction, as
	 * pi 1.6.0) draws the kept messages first and the summary block last, where the compaction happened.
	 */
	addTranscript(messages: readonly AgentMessage[], options: { summaryLast?: boolean } = {}): void {
		this.reset();
		const summary = options.summaryLast
			? messages.findLastIndex((message) => message.role === "compactionSummary")
			: -1;
		messages.forEach((message, index) => {
			if (index !== summary) this.addMessage(message);
		});
		const summaryMessage = messages[summary];
		if (summaryMessage) this.addMessage(summaryMessage);
	}

	/** The run is over: nothing streams into the last assistant view any more. */
	endStream(): void {
		this.streamingView = undefined;
	}

	/** A stored message (transcript rebuild) or one that starts now. */
	addMessage(message: AgentMessage): void {
		switch (message.role) {
			case "user": {
				const text = userText(message);
				if (!text) break;
				const skill = parseSkillBlock(text);
				if (skill) {
					this.sink.addToChat(new SkillInvocationView(skill, this.sink.toolsExpanded));
					if (skill.userMessage) this.sink.addToChat(new UserMessageView(skill.userMessage));
				} else this.sink.addToChat(new UserMessageView(text));
				break;
			}
			case "assistant":
				this.addAssistant(message);
				break;
			case "toolResult": {
				const view = this.toolViews.get(message.toolCallId);
				view?.updateResult(message, false);
				break;
			}
			case "bashExecution": {
				const view = new BashExecutionView(
					message.command,
					message.excludeFromContext ?? false,
					this.sink.toolsExpanded,
				);
				view.setComplete({
					output: message.output,
					exitCode: message.exitCode,
					cancelled: message.cancelled,
					truncated: message.truncated,
					fullOutputPath: message.fullOutputPath,
				});
				this.sink.addToChat(view);
				break;
			}
			case "compactionSummary":
				this.sink.addToChat(
					new SummaryView("compaction", message.summary, message.tokensBefore, this.sink.toolsExpanded),
				);
				break;
			case "branchSummary":
				this.sink.addToChat(new SummaryView("branch", message.summary, 0, this.sink.toolsExpanded));
				break;
			case "custom": {
				if (!message.display) break;
				const view = new CustomMessageView(message.customType, customMessageText(message.content));
				const rendering = this.extensionRenderers?.message(message.customType);
				this.sink.addToChat(
					rendering ? new RenderedCustomMessage(message, rendering, this.sink.toolsExpanded, view) : view,
				);
				break;
			}
		}
	}

	/** Message and tool events; any other event is left to the caller. */
	handle(event: AgentSessionEvent): void {
		switch (event.type) {
			case "message_start":
				if (event.message.role === "assistant") this.streamingView = this.addAssistant(event.message);
				else this.addMessage(event.message);
				break;
			case "message_update":
				if (event.message.role === "assistant") {
					this.streamingView?.update(event.message);
					this.syncToolCalls(event.message);
				}
				break;
			case "message_end":
				if (event.message.role === "assistant") this.finishAssistant(event.message);
				else if (event.message.role === "toolResult") {
					this.toolViews.get(event.message.toolCallId)?.updateResult(event.message, false);
				}
				break;
			// Calls a codemode script makes show as rows of its own box (details.calls), not as boxes of their own.
			case "tool_execution_start": {
				if (event.parentToolCallId) break;
				let view = this.toolViews.get(event.toolCallId);
				if (!view) {
					view = this.newToolView(event.toolName, event.toolCallId, event.args);
					this.sink.addToChat(view);
				}
				view.markStarted();
				break;
			}
			case "entry_appended": {
				const entry = event.entry;
				if (entry.type !== "custom") break;
				const rendering = this.extensionRenderers?.entry(entry.customType);
				if (!rendering) break;
				const failure = (text: string) => new TextBlock(bg("customMessageBg", fg("error", text)), 1, 1);
				this.sink.addToChat(new RenderedCustomEntry(entry, rendering, this.sink.toolsExpanded, failure));
				break;
			}
			case "tool_execution_update":
				this.toolViews.get(event.toolCallId)?.updateResult(event.partialResult, true);
				break;
			case "tool_execution_end":
				this.toolViews.get(event.toolCallId)?.updateResult({ ...event.result, isError: event.isError }, false);
				break;
		}
	}

	private finishAssistant(message: AssistantMessage): void {
		this.streamingView?.update(message);
		this.syncToolCalls(message);
		if (message.stopReason === "aborted" || message.stopReason === "error") {
			// Tool calls that will never run show the reason in their box.
			const reason = message.stopReason === "aborted" ? "Operation aborted" : message.errorMessage || "Error";
			for (const block of message.content) {
				if (block.type !== "toolCall") continue;
				const view = this.answerCalls.get(block.id);
				if (view && !view.isDone)
					view.updateResult({ content: [{ type: "text", text: reason }], isError: true }, false);
			}
		}
		this.streamingView = undefined;
	}

	private addAssistant(message: AssistantMessage): AssistantMessageView {
		this.answerCalls = new Map();
		const view = new AssistantMessageView(message, this.sink.hideThinking);
		this.sink.addToChat(view);
		this.syncToolCalls(message);
		return view;
	}

	/** A tool box for every tool call of the message, created as soon as the call appears in the stream. */
	private syncToolCalls(message: AssistantMessage): void {
		for (const block of message.content) {
			if (block.type !== "toolCall") continue;
			const existing = this.answerCalls.get(block.id);
			if (existing) existing.updateArgs(block.arguments);
			else this.sink.addToChat(this.newToolView(block.name, block.id, block.arguments));
		}
	}

	private newToolView(name: string, id: string, args: unknown): ToolExecutionView {
		const renderers = this.extensionRenderers?.tool(name);
		const view = new ToolExecutionView(name, id, args, this.sink.toolsExpanded, this.imageSettings, renderers);
		this.toolViews.set(id, view);
		this.answerCalls.set(id, view);
		return view;
	}
}
