/**
 * The conversation as plain text for the summarizer, so the model reads it instead of continuing it.
 * Tool results are cut to 2000 characters: the summary does not need them whole.
 */
import type { AgentMessage } from "../../agent/types.ts";
import type { Message } from "../../ai/types.ts";
import { convertToLlm } from "../convert-to-llm.ts";

const TOOL_RESULT_MAX_CHARS = 2000;

function truncate(text: string, maxChars: number): string {
	if (text.length <= maxChars) return text;
	return `${text.slice(0, maxChars)}\n\n[... ${text.length - maxChars} more characters truncated]`;
}

function joinedText(content: Message["content"]): string {
	if (typeof content === "string") return content;
	let text = "";
	for (const block of content) if (block.type === "text") text += block.text;
	return text;
}

export function serializeConversation(messages: readonly Message[]): string {
	const parts: string[] = [];
	for (const message of messages) {
		if (message.role === "user") {
			const text = joinedText(message.content);
			if (text) parts.push(`[User]: ${text}`);
		} else if (message.role === "assistant") {
			const texts: string[] = [];
			const thinking: string[] = [];
			const calls: string[] = [];
			for (const block of message.content) {
				if (block.type === "text") texts.push(block.text);
				else if (block.type === "thinking") thinking.push(block.thinking);
				else {
					const args = Object.entries(block.arguments)
						.map(([key, value]) => `${key}=${JSON.stringify(value)}`)
						.join(", ");
					calls.push(`${block.name}(${args})`);
				}
			}
			if (thinking.length > 0) parts.push(`[Assistant thinking]: ${thinking.join("\n")}`);
			if (texts.length > 0) parts.push(`[Assistant]: ${texts.join("\n")}`);
			if (calls.length > 0) parts.push(`[Assistant tool calls]: ${calls.join("; ")}`);
		} else {
			const text = joinedText(message.content);
			if (text) parts.push(`[Tool result]: ${truncate(text, TOOL_RESULT_MAX_CHARS)}`);
		}
	}
	return parts.join("\n\n");
}

/** The messages as the `<conversation>` block every summarization prompt starts with. */
/** The messages as one text, so the model reads them instead of continuing them. */
export function conversationText(messages: AgentMessage[]): string {
	// System messages are prompt state, not conversation (pi 1.6.0): the compaction entry keeps their replay.
	const conversation = convertToLlm(messages).filter((message): message is Message => message.role !== "system");
	return serializeConversation(conversation);
}

/** The conversation wrapped in the tags the summary prompts refer to. */
export function conversationBlock(messages: AgentMessage[]): string {
	return `<conversation>\n${conversationText(messages)}\n</conversation>\n\n`;
}
