/** Small readers and edits of the agent's message list that several session parts need. */
import type { AssistantMessage } from "../../ai/types.ts";
import type { CustomMessageEntry } from "../../session/types.ts";
import type { Agent } from "../agent.ts";
import type { AgentMessage } from "../types.ts";

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
