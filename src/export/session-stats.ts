/** Totals shown in the export header, over all entries of all branches (as pi's export counts them). */
import type { SessionEntry } from "../session/types.ts";

export interface ExportStats {
	userMessages: number;
	assistantMessages: number;
	toolResults: number;
	customMessages: number;
	compactions: number;
	branchSummaries: number;
	toolCalls: number;
	tokens: { input: number; output: number; cacheRead: number; cacheWrite: number };
	cost: number;
	models: string[];
}

export function computeStats(entries: readonly SessionEntry[]): ExportStats {
	const stats: ExportStats = {
		userMessages: 0,
		assistantMessages: 0,
		toolResults: 0,
		customMessages: 0,
		compactions: 0,
		branchSummaries: 0,
		toolCalls: 0,
		tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
		cost: 0,
		models: [],
	};
	const models = new Set<string>();
	for (const entry of entries) {
		if (entry.type === "compaction") stats.compactions++;
		else if (entry.type === "branch_summary") stats.branchSummaries++;
		else if (entry.type === "custom_message") stats.customMessages++;
		if (entry.type !== "message") continue;
		const message = entry.message;
		if (message.role === "user") stats.userMessages++;
		else if (message.role === "toolResult") stats.toolResults++;
		else if (message.role === "assistant") {
			stats.assistantMessages++;
			models.add(`${message.provider}/${message.model}`);
			stats.tokens.input += message.usage.input;
			stats.tokens.output += message.usage.output;
			stats.tokens.cacheRead += message.usage.cacheRead;
			stats.tokens.cacheWrite += message.usage.cacheWrite;
			stats.cost += message.usage.cost.total;
			stats.toolCalls += message.content.filter((block) => block.type === "toolCall").length;
		}
	}
	stats.models = [...models];
	return stats;
}

/** 1234 → "1.2k", 1234567 → "1.2M" (the footer's style). */
export function formatTokens(count: number): string {
	if (count < 1000) return String(count);
	if (count < 10_000) return `${(count / 1000).toFixed(1)}k`;
	if (count < 1_000_000) return `${Math.round(count / 1000)}k`;
	return `${(count / 1_000_000).toFixed(1)}M`;
}
