/**
 * AgentMessages → provider messages, right before each LLM call (pi's core/messages.js and the blockImages
 * filter from its sdk). The wording of every prefix and suffix is pi's, byte for byte.
 */

import type { AgentMessage, BashExecutionMessage } from "../agent/types.ts";
import type { ImageContent, Message, SystemMessage, TextContent } from "../ai/types.ts";

/** What the model is sent: its messages plus the system messages that carry the prompt and tools. */
export type LlmMessage = Message | SystemMessage;

export const COMPACTION_SUMMARY_PREFIX =
	"The conversation history before this point was compacted into the following summary:\n\n<summary>\n";
export const COMPACTION_SUMMARY_SUFFIX = "\n</summary>";
export const BRANCH_SUMMARY_PREFIX =
	"The following is a summary of a branch that this conversation came back from:\n\n<summary>\n";
export const BRANCH_SUMMARY_SUFFIX = "</summary>";
export const IMAGES_BLOCKED_TEXT = "Image reading is disabled.";

export function bashExecutionToText(message: BashExecutionMessage): string {
	let text = `Ran \`${message.command}\`\n`;
	text += message.output ? `\`\`\`\n${message.output}\n\`\`\`` : "(no output)";
	if (message.cancelled) text += "\n\n(command cancelled)";
	else if (message.exitCode !== null && message.exitCode !== undefined && message.exitCode !== 0) {
		text += `\n\nCommand exited with code ${message.exitCode}`;
	}
	if (message.truncated && message.fullOutputPath) {
		text += `\n\n[Output truncated. Full output: ${message.fullOutputPath}]`;
	}
	return text;
}

function toLlmMessage(message: AgentMessage): LlmMessage | undefined {
	switch (message.role) {
		case "bashExecution":
			if (message.excludeFromContext) return undefined;
			return {
				role: "user",
				content: [{ type: "text", text: bashExecutionToText(message) }],
				timestamp: message.timestamp,
			};
		case "custom":
			return {
				role: "user",
				content: typeof message.content === "string" ? [{ type: "text", text: message.content }] : message.content,
				timestamp: message.timestamp,
			};
		case "branchSummary":
			return {
				role: "user",
				content: [{ type: "text", text: BRANCH_SUMMARY_PREFIX + message.summary + BRANCH_SUMMARY_SUFFIX }],
				timestamp: message.timestamp,
			};
		case "compactionSummary":
			return {
				role: "user",
				content: [{ type: "text", text: COMPACTION_SUMMARY_PREFIX + message.summary + COMPACTION_SUMMARY_SUFFIX }],
				timestamp: message.timestamp,
			};
		case "system":
		case "user":
		case "assistant":
		case "toolResult":
			return message;
		default:
			return undefined;
	}
}

/** Images become one placeholder text each; consecutive placeholders collapse into one (as pi). */
function withoutImages(content: (TextContent | ImageContent)[]): (TextContent | ImageContent)[] {
	const result: (TextContent | ImageContent)[] = [];
	for (const block of content) {
		const replaced: TextContent | ImageContent =
			block.type === "image" ? { type: "text", text: IMAGES_BLOCKED_TEXT } : block;
		const previous = result[result.length - 1];
		const isPlaceholder = replaced.type === "text" && replaced.text === IMAGES_BLOCKED_TEXT;
		if (isPlaceholder && previous?.type === "text" && previous.text === IMAGES_BLOCKED_TEXT) continue;
		result.push(replaced);
	}
	return result;
}

function blockImages(message: LlmMessage): LlmMessage {
	if (message.role === "assistant" || message.role === "system" || !Array.isArray(message.content)) return message;
	if (!message.content.some((block) => block.type === "image")) return message;
	return { ...message, content: withoutImages(message.content) };
}

export function convertToLlm(messages: AgentMessage[], options: { blockImages?: boolean } = {}): LlmMessage[] {
	const result: LlmMessage[] = [];
	for (const message of messages) {
		const converted = toLlmMessage(message);
		if (converted) result.push(options.blockImages ? blockImages(converted) : converted);
	}
	return result;
}
