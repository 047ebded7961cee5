/** Token accounting for compaction decisions (pi-spec §7.1–7.2): real usage when known, chars/4 otherwise. */

import type { AgentMessage } from "../../agent/types.ts";
import { getCurrentSystemMessage } from "../../ai/transcript.ts";
import type { AssistantMessage, Usage } from "../../ai/types.ts";
import type { SessionEntry, SessionProjection } from "../types.ts";
import type { CompactionSettings } from "./types.ts";

/** An image is counted as 4800 characters (1200 tokens). */
const IMAGE_CHARS = 4800;

function textChars(content: unknown): number {
	if (typeof content === "string") return content.length;
	if (!Array.isArray(content)) return 0;
	let chars = 0;
	for (const block of content) {
		if (typeof block === "object" && block !== null && "type" in block) {
			if (block.type === "text" && "text" in block && typeof block.text === "string") chars += block.text.length;
		}
	}
	return chars;
}

function imageCount(content: unknown): number {
	if (!Array.isArray(content)) return 0;
	let count = 0;
	for (const block of content) {
		if (typeof block === "object" && block !== null && "type" in block && block.type === "image") count++;
	}
	return count;
}

/** Conservative estimate (overcounts): characters / 4, rounded up. */
export function estimateTokens(message: AgentMessage): number {
	switch (message.role) {
		case "system": {
			let chars = textChars(message.content);
			for (const section of Object.values(message.sections ?? {})) chars += section?.length ?? 0;
			if (message.toolsAdded) chars += JSON.stringify(message.toolsAdded).length;
			return Math.ceil(chars / 4);
		}
		case "user":
			// pi 1.6.0 counts a user message's images too.
			return Math.ceil((textChars(message.content) + IMAGE_CHARS * imageCount(message.content)) / 4);
		case "assistant": {
			let chars = 0;
			for (const block of message.content) {
				if (block.type === "text") chars += block.text.length;
				else if (block.type === "thinking") chars += block.thinking.length;
				else if (block.type === "toolCall") chars += block.name.length + JSON.stringify(block.arguments).length;
			}
			return Math.ceil(chars / 4);
		}
		case "custom":
		case "toolResult":
			return Math.ceil((textChars(message.content) + IMAGE_CHARS * imageCount(message.content)) / 4);
		case "bashExecution":
			return Math.ceil((message.command.length + message.output.length) / 4);
		case "branchSummary":
		case "compactionSummary":
			return Math.ceil(message.summary.length / 4);
		default:
			return 0;
	}
}

/** The provider's total when it reports one, else the sum of the parts. */
export function calculateContextTokens(usage: Usage): number {
	return usage.totalTokens || usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

/** Usage of an assistant message that completed (aborted/error answers carry no trustworthy usage). */
function validUsage(message: AgentMessage): Usage | undefined {
	if (message.role !== "assistant") return undefined;
	const assistant: AssistantMessage = message;
	if (assistant.stopReason === "aborted" || assistant.stopReason === "error") return undefined;
	return assistant.usage;
}

export interface ContextTokenEstimate {
	tokens: number;
	usageTokens: number;
	trailingTokens: number;
	lastUsageIndex: number | null;
}

/** Last real usage plus estimates for the messages after it; all estimated when no usage exists. */
export function estimateContextTokens(messages: readonly AgentMessage[]): ContextTokenEstimate {
	for (let i = messages.length - 1; i >= 0; i--) {
		const message = messages[i];
		const usage = message ? validUsage(message) : undefined;
		if (!usage) continue;
		const usageTokens = calculateContextTokens(usage);
		let trailingTokens = 0;
		for (let j = i + 1; j < messages.length; j++) {
			const later = messages[j];
			if (later) trailingTokens += estimateTokens(later);
		}
		return { tokens: usageTokens + trailingTokens, usageTokens, trailingTokens, lastUsageIndex: i };
	}
	let estimated = 0;
	for (const message of messages) estimated += estimateTokens(message);
	return { tokens: estimated, usageTokens: 0, trailingTokens: estimated, lastUsageIndex: null };
}

/**
 * The projected context's size without trusting usage reported before a later context edit or compaction
 * (pi 1.6.0): the last answer's usage when it is newer than both, else an estimate of the prompt (replayed once)
 * and every message.
 */
export function estimateProjectedContextTokens(
	projection: SessionProjection,
	branch: readonly SessionEntry[],
): ContextTokenEstimate {
	const estimate = estimateContextTokens(projection.messages);
	if (estimate.lastUsageIndex !== null) {
		let index = 0;
		let usageEntryId: string | undefined;
		for (const entry of projection.entries) {
			const next = index + entry.messages.length;
			if (estimate.lastUsageIndex < next) {
				usageEntryId = entry.sourceEntry.id;
				break;
			}
			index = next;
		}
		const usageIndex = usageEntryId ? branch.findIndex((entry) => entry.id === usageEntryId) : -1;
		const invalidating = branch.findLastIndex((entry) => entry.type === "context_edit" || entry.type === "compaction");
		if (usageIndex > invalidating) return estimate;
	}
	const current = getCurrentSystemMessage(projection.messages);
	let tokens = current ? estimateTokens(current) : 0;
	for (const message of projection.messages) if (message.role !== "system") tokens += estimateTokens(message);
	return { tokens, usageTokens: 0, trailingTokens: tokens, lastUsageIndex: null };
}

export function shouldCompact(contextTokens: number, contextWindow: number, settings: CompactionSettings): boolean {
	if (!settings.enabled) return false;
	return contextTokens > contextWindow - settings.reserveTokens;
}
