/**
 * Rebuilding the model context from the root→leaf path (pi 1.6.0, docs/session-format.md "Context Building"):
 *   1. `buildContextEntries`: the path, or with a compaction on it, the latest compaction entry first, then the
 *      non-system entries from its `firstKeptEntryId`, then everything after it;
 *   2. `buildSessionProjection`: each selected entry's messages with the latest `context_edit` of that entry on the
 *      path applied (null omits it, a replacement swaps its content); a compaction contributes its `systemMessage`
 *      checkpoint and then its summary;
 *   3. `buildSessionContext`: the messages, plus the thinking level and model from the whole path.
 * Files without system messages, edits or checkpoints (pi 0.73.1) come out exactly as before.
 */

import type { AgentMessage, BranchSummaryMessage, CompactionSummaryMessage, CustomMessage } from "../agent/types.ts";
import type { ThinkingLevel } from "../ai/types.ts";
import type {
	ContextEditEntry,
	CustomMessageEntry,
	ProjectedSessionEntry,
	SessionContext,
	SessionEntry,
	SessionProjection,
} from "./types.ts";

export function customMessageFromEntry(entry: CustomMessageEntry): CustomMessage {
	const message: CustomMessage = {
		role: "custom",
		customType: entry.customType,
		content: entry.content ?? [],
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

/** The messages one entry contributes to the context (a compaction: its checkpoint, then its summary). */
export function entryContextMessages(entry: SessionEntry): AgentMessage[] {
	switch (entry.type) {
		case "message": {
			const message = entry.message;
			// Hand-edited or foreign files may hold a system message without content; pi reads it as empty.
			if (message.role === "system" && (message.content === undefined || message.content === null)) {
				return [{ ...message, content: "" }];
			}
			return [message];
		}
		case "custom_message":
			return [customMessageFromEntry(entry)];
		case "branch_summary":
			return entry.summary ? [branchSummaryMessage(entry.summary, entry.fromId, entry.timestamp)] : [];
		case "compaction": {
			const summary = compactionSummaryMessage(entry.summary, entry.tokensBefore, entry.timestamp);
			return entry.systemMessage ? [entry.systemMessage, summary] : [summary];
		}
		default:
			return [];
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
 * The entry of `type` nearest to `leafId` on its path to the root, walking parent links without building the path
 * (asked after every answer: the path grows with the session). At most one step per entry, so a cycle ends too.
 */
export function latestOnPath<T extends SessionEntry["type"]>(
	leafId: string,
	byId: ReadonlyMap<string, SessionEntry>,
	type: T,
): Extract<SessionEntry, { type: T }> | undefined {
	let current = byId.get(leafId);
	for (let steps = 0; current && steps < byId.size; steps++) {
		if (current.type === type) return current as Extract<SessionEntry, { type: T }>;
		current = current.parentId === null ? undefined : byId.get(current.parentId);
	}
	return undefined;
}

/** `leafId` null: nothing (before the first entry); an unknown or undefined leaf falls back to the last entry. */
function sessionPath(
	entries: readonly SessionEntry[],
	leafId: string | null | undefined,
	byId: ReadonlyMap<string, SessionEntry> | undefined,
): { path: SessionEntry[]; index: ReadonlyMap<string, SessionEntry> } {
	const index = byId ?? new Map(entries.map((entry) => [entry.id, entry]));
	if (leafId === null) return { path: [], index };
	const leaf = (leafId === undefined ? undefined : index.get(leafId)) ?? entries[entries.length - 1];
	return { path: leaf ? pathToRoot(leaf.id, index) : [], index };
}

function contextSettings(path: readonly SessionEntry[]): Pick<SessionContext, "thinkingLevel" | "model"> {
	let thinkingLevel: ThinkingLevel = "off";
	let model: SessionContext["model"] = null;
	for (const entry of path) {
		if (entry.type === "thinking_level_change") thinkingLevel = entry.thinkingLevel;
		else if (entry.type === "model_change") model = { provider: entry.provider, modelId: entry.modelId };
		else if (entry.type === "message" && entry.message.role === "assistant") {
			model = { provider: entry.message.provider, modelId: entry.message.model };
		}
	}
	return { thinkingLevel, model };
}

/** The compaction-aware entry list of a path: see the file comment, step 1. */
export function contextEntriesOfPath(path: readonly SessionEntry[]): SessionEntry[] {
	const compactionIndex = path.findLastIndex((entry) => entry.type === "compaction");
	const compaction = path[compactionIndex];
	if (compaction?.type !== "compaction") return [...path];
	const selected: SessionEntry[] = [compaction];
	// Kept entries start at firstKeptEntryId; if it is not on the path none are kept. Their system messages are
	// folded into the compaction's checkpoint.
	let keeping = false;
	for (let i = 0; i < compactionIndex; i++) {
		const entry = path[i];
		if (!entry) continue;
		if (entry.id === compaction.firstKeptEntryId) keeping = true;
		if (keeping && !(entry.type === "message" && entry.message.role === "system")) selected.push(entry);
	}
	selected.push(...path.slice(compactionIndex + 1));
	return selected;
}

/** One entry's messages with its context edit applied. */
export function projectContextEntry(entry: SessionEntry, edit: ContextEditEntry | undefined): AgentMessage[] {
	const messages = entryContextMessages(entry);
	if (!edit) return messages;
	const replacement = edit.replacement;
	if (replacement === null) return [];
	return messages.map((message): AgentMessage => {
		switch (message.role) {
			case "user":
			case "custom":
				return { ...message, content: replacement.content } as AgentMessage;
			case "assistant":
			case "toolResult": {
				// Those roles need content arrays: a string replacement becomes one text block.
				const content =
					typeof replacement.content === "string" ? [{ type: "text", text: replacement.content }] : replacement.content;
				return { ...message, content } as AgentMessage;
			}
			default:
				return message;
		}
	});
}

export function buildSessionProjection(
	entries: readonly SessionEntry[],
	leafId: string | null | undefined,
	byId?: ReadonlyMap<string, SessionEntry>,
): SessionProjection {
	const { path } = sessionPath(entries, leafId, byId);
	const { thinkingLevel, model } = contextSettings(path);
	const selected = contextEntriesOfPath(path);
	const edits = new Map<string, ContextEditEntry>();
	for (const entry of selected) if (entry.type === "context_edit") edits.set(entry.targetId, entry);
	const projected = selected.map(
		(sourceEntry, index): ProjectedSessionEntry => ({
			sourceEntry,
			// An older compaction can sit inside the kept range; only the newest one (first) contributes.
			messages:
				sourceEntry.type === "compaction" && index > 0
					? []
					: projectContextEntry(sourceEntry, edits.get(sourceEntry.id)),
		}),
	);
	return { entries: projected, messages: projected.flatMap((entry) => entry.messages), thinkingLevel, model };
}

export function buildSessionContext(
	entries: readonly SessionEntry[],
	leafId: string | null | undefined,
	byId?: ReadonlyMap<string, SessionEntry>,
): SessionContext {
	const { messages, thinkingLevel, model } = buildSessionProjection(entries, leafId, byId);
	return { messages, thinkingLevel, model };
}
