/** Small builders shared by the session tests. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AgentMessage } from "../../src/agent/types.ts";
import { type AssistantMessage, emptyUsage, type UserMessage } from "../../src/ai/types.ts";

export const FIXTURES = join(import.meta.dir, "../fixtures/sessions");

export function tempDir(prefix = "pi-session-test-"): string {
	return mkdtempSync(join(tmpdir(), prefix));
}

export function user(text: string, timestamp = Date.now()): UserMessage {
	return { role: "user", content: [{ type: "text", text }], timestamp };
}

export function assistant(text: string, options: Partial<AssistantMessage> = {}): AssistantMessage {
	return {
		role: "assistant",
		content: [{ type: "text", text }],
		api: "anthropic-messages",
		provider: "test",
		model: "test-model",
		usage: emptyUsage(),
		stopReason: "stop",
		timestamp: Date.now(),
		...options,
	};
}

/** Renames ids to <id1>, <id2>, ... in order of first appearance (both sides of a comparison make random ids). */
export function idNumberer(): (id: string) => string {
	const ids = new Map<string, string>();
	return (id) => {
		let numbered = ids.get(id);
		if (!numbered) {
			numbered = `<id${ids.size + 1}>`;
			ids.set(id, numbered);
		}
		return numbered;
	};
}

/** The text of any message, for compact assertions. */
export function textOf(message: AgentMessage): string {
	switch (message.role) {
		case "user":
		case "custom":
			return typeof message.content === "string"
				? message.content
				: message.content.map((block) => (block.type === "text" ? block.text : "[image]")).join("");
		case "assistant":
			return message.content.map((block) => (block.type === "text" ? block.text : `[${block.type}]`)).join("");
		case "toolResult":
			return message.content.map((block) => (block.type === "text" ? block.text : "[image]")).join("");
		case "bashExecution":
			return `!${message.command}`;
		case "branchSummary":
		case "compactionSummary":
			return `<${message.role}>${message.summary}`;
		case "system":
			return `<system:${Object.keys(message.sections ?? {}).join(",")}>`;
	}
}
