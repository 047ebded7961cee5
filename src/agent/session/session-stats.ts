/** Read-only figures about a session: message and token totals (/session, RPC get_session_stats) and context fill. */
import type { AssistantMessage } from "../../ai/types.ts";
import { calculateContextTokens, estimateContextTokens } from "../../session/compaction/tokens.ts";
import type { SessionEntry } from "../../session/types.ts";
import type { AgentMessage } from "../types.ts";

export interface SessionStats {
	sessionFile: string | undefined;
	sessionId: string;
	userMessages: number;
	assistantMessages: number;
	toolCalls: number;
	toolResults: number;
	totalMessages: number;
	tokens: { input: number; output: number; cacheRead: number; cacheWrite: number; total: number };
	cost: number;
	contextUsage: ContextUsage | undefined;
}

/** How full the model's context window is; tokens/percent are null right after a compaction, until the next answer. */
export interface ContextUsage {
	tokens: number | null;
	contextWindow: number;
	percent: number | null;
}

/** The text of the newest answer worth copying (/copy); an aborted answer with nothing in it does not count. */
export function lastAssistantText(messages: readonly AgentMessage[]): string | undefined {
	const last = [...messages]
		.reverse()
		.find(
			(m): m is AssistantMessage => m.role === "assistant" && !(m.stopReason === "aborted" && m.content.length === 0),
		);
	if (!last) return undefined;
	const text = last.content
		.filter((block) => block.type === "text")
		.map((block) => block.text)
		.join("");
	return text.trim() || undefined;
}

export function computeSessionStats(input: {
	messages: readonly AgentMessage[];
	sessionFile: string | undefined;
	sessionId: string;
	contextUsage: ContextUsage | undefined;
}): SessionStats {
	const { messages } = input;
	const tokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 };
	let toolCalls = 0;
	let cost = 0;
	for (const message of messages) {
		if (message.role !== "assistant") continue;
		toolCalls += message.content.filter((block) => block.type === "toolCall").length;
		tokens.input += message.usage.input;
		tokens.output += message.usage.output;
		tokens.cacheRead += message.usage.cacheRead;
		tokens.cacheWrite += message.usage.cacheWrite;
		cost += message.usage.cost.total;
	}
	tokens.total = tokens.input + tokens.output + tokens.cacheRead + tokens.cacheWrite;
	return {
		sessionFile: input.sessionFile,
		sessionId: input.sessionId,
		userMessages: messages.filter((m) => m.role === "user").length,
		assistantMessages: messages.filter((m) => m.role === "assistant").length,
		toolCalls,
		toolResults: messages.filter((m) => m.role === "toolResult").length,
		totalMessages: messages.length,
		tokens,
		cost,
		contextUsage: input.contextUsage,
	};
}

/**
 * pi's rule: after a compaction only an answer that came later tells the real size, so until then the usage is
 * unknown (null) rather than an estimate of the summary. Undefined when the model's window is unknown.
 */
export function computeContextUsage(
	branch: readonly SessionEntry[],
	messages: readonly AgentMessage[],
	contextWindow: number,
): ContextUsage | undefined {
	if (contextWindow <= 0) return undefined;
	let compactionIndex = -1;
	for (let i = branch.length - 1; i >= 0; i--) {
		if (branch[i]?.type === "compaction") {
			compactionIndex = i;
			break;
		}
	}
	if (compactionIndex >= 0 && !answeredSince(branch, compactionIndex)) {
		return { tokens: null, contextWindow, percent: null };
	}
	const tokens = estimateContextTokens(messages).tokens;
	return { tokens, contextWindow, percent: (tokens / contextWindow) * 100 };
}

/** Whether the newest usable answer after `index` reported a context size. */
function answeredSince(branch: readonly SessionEntry[], index: number): boolean {
	for (let i = branch.length - 1; i > index; i--) {
		const entry = branch[i];
		if (entry?.type !== "message" || entry.message.role !== "assistant") continue;
		const { stopReason, usage } = entry.message;
		if (stopReason === "aborted" || stopReason === "error") continue;
		return calculateContextTokens(usage) > 0;
	}
	return false;
}
