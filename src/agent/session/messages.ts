/** Small readers and edits of the agent's message list that several session parts need. */
import type { AssistantMessage } from "../../ai/types.ts";
import type { CustomMessageEntry, SessionEntry } from "../../session/types.ts";
import type { Agent } from "../agent.ts";
import type { AgentMessage } from "../types.ts";
import type { SessionHost } from "./host.ts";

/** The text of a user message (images left out); "" for any other role. */
export function userText(message: AgentMessage): string {
	if (message.role !== "user") return "";
	if (typeof message.content === "string") return message.content;
	return message.content
		.filter((block) => block.type === "text")
		.map((block) => block.text)
		.join("");
}

/** The text of a custom message entry, as the editor gets it back from /tree. */
export function customMessageText(content: CustomMessageEntry["content"]): string {
	return typeof content === "string" ? content : content.map((b) => (b.type === "text" ? b.text : "")).join("");
}

export function findLastAssistant(messages: readonly AgentMessage[]): AssistantMessage | undefined {
	for (let i = messages.length - 1; i >= 0; i--) {
		const message = messages[i];
		if (message?.role === "assistant") return message;
	}
	return undefined;
}

/** A failed answer stays in the session file, but must leave the context before the model is asked again. */
export function dropTrailingAssistant(agent: Agent): void {
	const messages = agent.state.messages;
	if (messages.at(-1)?.role === "assistant") agent.replaceMessages(messages.slice(0, -1));
}

/**
 * pi 1.6.0: a failed attempt (retried, or recovered by compaction) stays in the file but leaves the model context
 * for good: a `context_edit` omits it and the results of its tool calls (an unpaired result would fail the next
 * request), each announced as `entry_appended`, and the agent's context is rebuilt from the session. An attempt
 * that was never saved is just dropped from the context.
 */
export function omitFailedAttempt(host: SessionHost, failed: AssistantMessage): void {
	const manager = host.sessionManager;
	const branch = manager.getBranch();
	const index = branch.findIndex((entry) => entry.type === "message" && entry.message === failed);
	if (index < 0) {
		dropTrailingAssistant(host.agent);
		return;
	}
	const callIds = new Set(failed.content.flatMap((block) => (block.type === "toolCall" ? [block.id] : [])));
	const targets: SessionEntry[] = [];
	for (const entry of branch.slice(index)) {
		if (entry.type !== "message") continue;
		const message = entry.message;
		if (message === failed) targets.push(entry);
		else if (message.role === "assistant") break;
		else if (message.role === "toolResult" && callIds.has(message.toolCallId)) targets.push(entry);
	}
	for (const target of targets) {
		const entry = manager.getEntry(manager.appendContextEdit(target.id, null));
		if (entry) host.emit({ type: "entry_appended", entry });
	}
	host.agent.replaceMessages(manager.buildSessionContext().messages);
}
