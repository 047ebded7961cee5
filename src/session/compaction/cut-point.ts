/**
 * Where to cut a branch for compaction (pi 1.6.0's findProjectedCutPoint): over the projected context (context
 * edits applied), walk back from the newest message until about `keepRecentTokens` are kept, then cut at the nearest
 * entry whose messages may start the kept part. Tool results never start it (they must follow their call). Cutting
 * at an assistant message splits its turn.
 */
import type { AgentMessage } from "../../agent/types.ts";
import { entryContextMessages } from "../context.ts";
import type { ProjectedSessionEntry } from "../types.ts";
import { estimateTokens } from "./tokens.ts";

export interface CutPoint {
	firstKeptEntryIndex: number;
	/** The entry that starts the split turn, or -1. */
	turnStartIndex: number;
	isSplitTurn: boolean;
}

function isCutPointMessage(message: AgentMessage): boolean {
	return message.role !== "toolResult" && message.role !== "system";
}

function isTurnStartMessage(message: AgentMessage): boolean {
	return message.role !== "assistant" && message.role !== "toolResult" && message.role !== "system";
}

function startsTurn(entry: ProjectedSessionEntry): boolean {
	return entry.sourceEntry.type !== "compaction" && entry.messages.some(isTurnStartMessage);
}

/** The entry at or before `index` (not before `startIndex`) that starts its turn, or -1. */
export function findTurnStartIndex(
	entries: readonly ProjectedSessionEntry[],
	index: number,
	startIndex: number,
): number {
	for (let i = index; i >= startIndex; i--) {
		const entry = entries[i];
		if (entry && startsTurn(entry)) return i;
	}
	return -1;
}

/** An entry that would show in the context but a context_edit hides. */
function isOmitted(entry: ProjectedSessionEntry): boolean {
	return (
		entry.sourceEntry.type !== "context_edit" &&
		entryContextMessages(entry.sourceEntry).length > 0 &&
		entry.messages.length === 0
	);
}

/**
 * After the cut, only an omitted recovery attempt (a failed answer and its omission edits) may remain: then the cut
 * moves past it, so the kept part does not start with invisible entries before unsent input (pi 1.6.0).
 */
function isRecoveryOmissionSuffix(suffix: readonly ProjectedSessionEntry[]): boolean {
	const omittedIds = new Set(suffix.filter(isOmitted).map((entry) => entry.sourceEntry.id));
	const externalReplacement = suffix.some(
		(entry) =>
			entry.sourceEntry.type === "context_edit" &&
			entry.sourceEntry.replacement !== null &&
			!omittedIds.has(entry.sourceEntry.targetId),
	);
	if (externalReplacement) return false;
	const omitsAnswer = suffix.some(
		(entry) =>
			entry.sourceEntry.type === "message" && entry.sourceEntry.message.role === "assistant" && isOmitted(entry),
	);
	const onlyInvisible = suffix.every(
		(entry) =>
			entry.sourceEntry.type !== "compaction" &&
			(entry.sourceEntry.type === "context_edit" ||
				entryContextMessages(entry.sourceEntry).length === 0 ||
				isOmitted(entry)),
	);
	return omitsAnswer && onlyInvisible;
}

/** Considers entries[startIndex, endIndex). */
export function findCutPoint(
	entries: readonly ProjectedSessionEntry[],
	startIndex: number,
	endIndex: number,
	keepRecentTokens: number,
): CutPoint {
	const cutPoints: number[] = [];
	for (let i = startIndex; i < endIndex; i++) {
		const entry = entries[i];
		if (entry && entry.sourceEntry.type !== "compaction" && entry.messages.some(isCutPointMessage)) cutPoints.push(i);
	}
	const firstCut = cutPoints[0];
	if (firstCut === undefined) return { firstKeptEntryIndex: startIndex, turnStartIndex: -1, isSplitTurn: false };

	let cutIndex = firstCut;
	let kept = 0;
	let exceededBudget = false;
	for (let i = endIndex - 1; i >= startIndex; i--) {
		const tokens = (entries[i]?.messages ?? []).reduce((sum, message) => sum + estimateTokens(message), 0);
		if (tokens === 0) continue;
		kept += tokens;
		if (kept >= keepRecentTokens) {
			exceededBudget = true;
			cutIndex = cutPoints.find((point) => point >= i) ?? cutPoints[cutPoints.length - 1] ?? firstCut;
			break;
		}
	}
	if (exceededBudget && isRecoveryOmissionSuffix(entries.slice(cutIndex + 1, endIndex))) cutIndex++;
	// Settings changes and other entries without messages just before the cut stay with the kept part.
	while (cutIndex > startIndex) {
		const previous = entries[cutIndex - 1];
		if (!previous || previous.sourceEntry.type === "compaction" || previous.messages.length > 0) break;
		cutIndex--;
	}
	const cutEntry = entries[cutIndex];
	const cutStartsTurn = cutEntry !== undefined && startsTurn(cutEntry);
	const turnStartIndex = cutStartsTurn ? -1 : findTurnStartIndex(entries, cutIndex, startIndex);
	return { firstKeptEntryIndex: cutIndex, turnStartIndex, isSplitTurn: !cutStartsTurn && turnStartIndex !== -1 };
}
