/** Read-only figures about a session: message and token totals (/session, RPC get_session_stats) and context fill. */
import type { AssistantMessage, Usage } from "../../ai/types.ts";
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

/**
 * Totals over every entry of the session file, all branches and compacted history included (pi 1.6.0: what was
 * billed): answers, usage entries, summary requests (compaction/branch summary usage) and tools' nested usage.
 */
export function computeSessionStats(input: {
	entries: readonly SessionEntry[];
	sessionFile: string | undefined;
	sessionId: string;
	contextUsage: ContextUsage | undefined;
}): SessionStats {
	const totals = new SessionTotals();
	for (const entry of input.entries) totals.add(entry);
	return {
		sessionFile: input.sessionFile,
		sessionId: input.sessionId,
		...totals.counts,
		tokens: totals.tokenTotals(),
		cost: totals.cost,
		contextUsage: input.contextUsage,
	};
}

/**
 * computeSessionStats's totals, built one entry at a time: a session only grows, so the footer adds the new entries
 * instead of counting the whole file again after every message.
 */
export class SessionTotals {
	readonly tokens = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
	cost = 0;
	readonly counts = { userMessages: 0, assistantMessages: 0, toolCalls: 0, toolResults: 0, totalMessages: 0 };
	/** Compaction entries seen: without any, no branch of the session holds one. */
	compactions = 0;
	/** The usage of the newest answer added. */
	lastAnswerUsage: Usage | undefined;

	add(entry: SessionEntry): void {
		if (entry.type === "compaction") this.compactions++;
		if (entry.type === "usage") this.addUsage(entry.usage);
		else if ((entry.type === "compaction" || entry.type === "branch_summary") && entry.usage)
			this.addUsage(entry.usage);
		if (entry.type !== "message") return;
		const counts = this.counts;
		counts.totalMessages++;
		const message = entry.message;
		if (message.role === "user") counts.userMessages++;
		else if (message.role === "toolResult") {
			counts.toolResults++;
			const nested: unknown = Reflect.get(message, "usage");
			if (isUsage(nested)) this.addUsage(nested);
		} else if (message.role === "assistant") {
			counts.assistantMessages++;
			for (const block of message.content) if (block.type === "toolCall") counts.toolCalls++;
			this.addUsage(message.usage);
			this.lastAnswerUsage = message.usage;
		}
	}

	/** The token counts with their sum, as SessionStats reports them. */
	tokenTotals(): SessionStats["tokens"] {
		const { input, output, cacheRead, cacheWrite } = this.tokens;
		return { input, output, cacheRead, cacheWrite, total: input + output + cacheRead + cacheWrite };
	}

	private addUsage(usage: Usage): void {
		this.tokens.input += usage.input;
		this.tokens.output += usage.output;
		this.tokens.cacheRead += usage.cacheRead;
		this.tokens.cacheWrite += usage.cacheWrite;
		this.cost += usage.cost.total;
	}
}

function isUsage(value: unknown): value is Usage {
	return typeof value === "object" && value !== null && typeof Reflect.get(value, "input") === "number";
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
