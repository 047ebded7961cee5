/**
 * Ctrl+O and Alt+T change how components already in the chat are drawn, not only new ones; these walk the chat
 * and tell every component that has such a switch.
 */
import { BashExecutionView } from "./components/bash-execution.ts";
import { RenderedCustomEntry, RenderedCustomMessage } from "./components/custom-message-rendering.ts";
import { ResourceSection } from "./components/loaded-resources.ts";
import { AssistantMessageView, SkillInvocationView, SummaryView } from "./components/messages.ts";
import type { Column } from "./components/primitives.ts";
import { ToolExecutionView } from "./components/tool-execution.ts";

/** Tool output, bash output, summaries and the startup resource listing: collapsed or expanded. */
export function setChatExpanded(chat: Column, expanded: boolean): void {
	for (const child of chat.children) {
		if (
			child instanceof ToolExecutionView ||
			child instanceof BashExecutionView ||
			child instanceof SummaryView ||
			child instanceof RenderedCustomMessage ||
			child instanceof RenderedCustomEntry ||
			child instanceof SkillInvocationView ||
			child instanceof ResourceSection
		) {
			child.setExpanded(expanded);
		}
	}
}

/** Thinking blocks of every answer: hidden (one "Thinking..." line) or shown. */
export function setChatThinkingHidden(chat: Column, hidden: boolean): void {
	for (const child of chat.children) {
		if (child instanceof AssistantMessageView) child.setHideThinking(hidden);
	}
}
