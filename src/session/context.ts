/** Rebuilding the LLM context from the root→leaf path (pi-spec §3.7). */

import type { AgentMessage, BranchSummaryMessage, CompactionSummaryMessage, CustomMessage } from "../agent/types.ts";
import type { ThinkingLevel } from "../ai/types.ts";
import type { CompactionEntry, CustomMessageEntry, SessionContext, SessionEntry } from "./types.ts";

export function customMessageFromEntry(entry: CustomMessageEntry): CustomMessage {
	const message: CustomMessage = {
		role: "custom",
		customType: entry.customType,
		content: entry.content,
		display: entry.display,
		timestamp: new Date(entry.timestamp).getTime(),
	};
	if (entry.details !== undefined) message.details = entry.details;
	return message;
}

export function branchSummaryMessage(summary: string, fromId: string, timestamp: string): BranchSummaryMessage {
	return { role: "branchSummary", summary, fromId, timestamp: new Date(timestamp).getTime() };
}

export function compactionSummaryMessage(
	summary: string,
	tokensBefore: number,
	timestamp: string,
): CompactionSummaryMessage {
	return { role: "compactionSummary", summary, tokensBefore, timestamp: new Date(timestamp).getTime() };
}

/** The message an entry contributes to the context, if any (compaction entries are handled separately). */
function contextMessage(entry: SessionEntry): AgentMessage | undefined {
	switch (entry.type) {
		case "message":
			return entry.message;
		case "custom_message":
			return customMessageFromEntry(entry);
		case "branch_summary":
			return entry.summary ? branchSummaryMessage(entry.summary, entry.fromId, entry.timestamp) : undefined;
		default:
			return undefined;
	}
}

/** Walks parent links from `leafId` and returns the root-first path. Stops on a cycle. */
export function pathToRoot(leafId: string, byId: ReadonlyMap<string, SessionEntry>): SessionEntry[] {
	const path: SessionEntry[] = [];
	const seen = new Set<string>();
	let current = byId.get(leafId);
	while (current && !seen.has(current.id)) {
		seen.add(current.id);
		path.push(current);
		current = current.parentId === null ? undefined : byId.get(current.parentId);
	}
	return path.reverse();
}

/**
 * `leafId` null: nothing (navigated before the first entry). An unknown or undefined leaf falls back to the
 * last entry, as pi does.
 */
export function buildSessionContext(
	entries: readonly SessionEntry[],
	leafId: string | null | undefined,
	byId?: ReadonlyMap<string, SessionEntry>,
): SessionContext {
	if (leafId === null) return { messages: [], thinkingLevel: "off", model: null };
	const index = byId ?? new Map(entries.map((entry) => [entry.id, entry]));
	let leaf = leafId === undefined ? undefined : index.get(leafId);
	if (!leaf) leaf = entries[entries.length - 1];
	if (!leaf) return { messages: [], thinkingLevel: "off", model: null };
	const path = pathToRoot(leaf.id, index);

	let thinkingLevel: ThinkingLevel = "off";
	let model: SessionContext["model"] = null;
	let compactionIndex = -1;
	for (let i = 0; i < path.length; i++) {
		const entry = path[i];
		if (!entry) continue;
		if (entry.type === "thinking_level_change") thinkingLevel = entry.thinkingLevel;
		else if (entry.type === "model_change") model = { provider: entry.provider, modelId: entry.modelId };
		else if (entry.type === "message" && entry.message.role === "assistant") {
			model = { provider: entry.message.provider, modelId: entry.message.model };
		} else if (entry.type === "compaction") compactionIndex = i;
	}

	const messages: AgentMessage[] = [];
	const emit = (entry: SessionEntry | undefined): void => {
		if (!entry) return;
		const message = contextMessage(entry);
		if (message) messages.push(message);
	};
	const compaction = path[compactionIndex];
	if (compaction?.type === "compaction") {
		messages.push(compactionMessageOf(compaction));
		// Kept entries before the compaction start at firstKeptEntryId; if it is not on the path none are kept.
		let keeping = false;
		for (let i = 0; i < compactionIndex; i++) {
			const entry = path[i];
			if (entry?.id === compaction.firstKeptEntryId) keeping = true;
			if (keeping) emit(entry);
		}
		for (let i = compactionIndex + 1; i < path.length; i++) emit(path[i]);
	} else {
		for (const entry of path) emit(entry);
	}
	return { messages, thinkingLevel, model };
}

function compactionMessageOf(entry: CompactionEntry): CompactionSummaryMessage {
	return compactionSummaryMessage(entry.summary, entry.tokensBefore, entry.timestamp);
}
