/**
 * Where to cut a branch for compaction (pi-spec §7.3): walk back from the newest message until about
 * `keepRecentTokens` are kept, then cut at the nearest message that may start the kept part. Tool results never
 * start it (they must follow their call). Cutting at an assistant message splits its turn.
 */
import type { SessionEntry } from "../types.ts";
import { estimateTokens } from "./tokens.ts";

export interface CutPoint {
	firstKeptEntryIndex: number;
	/** The entry that starts the split turn, or -1. */
	turnStartIndex: number;
	isSplitTurn: boolean;
}

function isCutPoint(entry: SessionEntry): boolean {
	if (entry.type === "message") return entry.message.role !== "toolResult";
	// Both become user-role messages in the context.
	return entry.type === "branch_summary" || entry.type === "custom_message";
}

function startsTurn(entry: SessionEntry): boolean {
	if (entry.type === "branch_summary" || entry.type === "custom_message") return true;
	return entry.type === "message" && (entry.message.role === "user" || entry.message.role === "bashExecution");
}

/** The entry at or before `index` (not before `startIndex`) that starts its turn, or -1. */
export function findTurnStartIndex(entries: readonly SessionEntry[], index: number, startIndex: number): number {
	for (let i = index; i >= startIndex; i--) {
		const entry = entries[i];
		if (entry && startsTurn(entry)) return i;
	}
	return -1;
}

/** Considers entries[startIndex, endIndex). */
export function findCutPoint(
	entries: readonly SessionEntry[],
	startIndex: number,
	endIndex: number,
	keepRecentTokens: number,
): CutPoint {
	const cutPoints: number[] = [];
	for (let i = startIndex; i < endIndex; i++) {
		const entry = entries[i];
		if (entry && isCutPoint(entry)) cutPoints.push(i);
	}
	const firstCut = cutPoints[0];
	if (firstCut === undefined) return { firstKeptEntryIndex: startIndex, turnStartIndex: -1, isSplitTurn: false };

	let cutIndex = firstCut;
	let kept = 0;
	for (let i = endIndex - 1; i >= startIndex; i--) {
		const entry = entries[i];
		if (entry?.type !== "message") continue;
		kept += estimateTokens(entry.message);
		if (kept >= keepRecentTokens) {
			const atOrAfter = cutPoints.find((point) => point >= i);
			if (atOrAfter !== undefined) cutIndex = atOrAfter;
			break;
		}
	}
	// Settings changes and other non-message entries just before the cut stay with the kept part.
	while (cutIndex > startIndex) {
		const previous = entries[cutIndex - 1];
		if (!previous || previous.type === "compaction" || previous.type === "message") break;
		cutIndex--;
	}
	const cutEntry = entries[cutIndex];
	const isUserMessage = cutEntry?.type === "message" && cutEntry.message.role === "user";
	const turnStartIndex = isUserMessage ? -1 : findTurnStartIndex(entries, cutIndex, startIndex);
	return { firstKeptEntryIndex: cutIndex, turnStartIndex, isSplitTurn: !isUserMessage && turnStartIndex !== -1 };
}
