/**
 * Compaction (pi-spec §7.3–7.4): summarize the older part of the current branch so the kept recent part plus
 * the summary fit the context window. Preparation is pure; `compact` makes the model calls.
 */

import type { AgentMessage } from "../../agent/types.ts";
import type { Model, ThinkingLevel } from "../../ai/types.ts";
import { branchSummaryMessage, buildSessionContext, customMessageFromEntry } from "../context.ts";
import type { SessionEntry } from "../types.ts";
import { findCutPoint } from "./cut-point.ts";
import {
	addFileOpsFromDetails,
	addFileOpsFromMessage,
	computeFileLists,
	createFileOps,
	formatFileOperations,
} from "./file-ops.ts";
import { SUMMARIZATION_PROMPT, TURN_PREFIX_SUMMARIZATION_PROMPT, UPDATE_SUMMARIZATION_PROMPT } from "./prompts.ts";
import { conversationBlock } from "./serialize.ts";
import { requestSummary, type SummaryCall } from "./summarize.ts";
import { estimateContextTokens } from "./tokens.ts";
import type { CompactionPreparation, CompactionResult, CompactionSettings, CompleteFn } from "./types.ts";

/** The message an entry contributes to the text being summarized (earlier compactions enter as previousSummary). */
function messageForSummary(entry: SessionEntry): AgentMessage | undefined {
	switch (entry.type) {
		case "message":
			return entry.message;
		case "custom_message":
			return customMessageFromEntry(entry);
		case "branch_summary":
			return branchSummaryMessage(entry.summary, entry.fromId, entry.timestamp);
		default:
			return undefined;
	}
}

function messagesBetween(entries: readonly SessionEntry[], start: number, end: number): AgentMessage[] {
	const messages: AgentMessage[] = [];
	for (let i = start; i < end; i++) {
		const entry = entries[i];
		const message = entry ? messageForSummary(entry) : undefined;
		if (message) messages.push(message);
	}
	return messages;
}

/** undefined when there is nothing to compact (the branch already ends with a compaction, or no ids). */
export function prepareCompaction(
	branch: readonly SessionEntry[],
	settings: CompactionSettings,
): CompactionPreparation | undefined {
	if (branch[branch.length - 1]?.type === "compaction") return undefined;
	const previousIndex = branch.findLastIndex((entry) => entry.type === "compaction");
	const previous = branch[previousIndex];
	let previousSummary: string | undefined;
	let boundaryStart = 0;
	if (previous?.type === "compaction") {
		previousSummary = previous.summary;
		const keptIndex = branch.findIndex((entry) => entry.id === previous.firstKeptEntryId);
		boundaryStart = keptIndex >= 0 ? keptIndex : previousIndex + 1;
	}
	const tokensBefore = estimateContextTokens(buildSessionContext(branch, undefined).messages).tokens;
	const cut = findCutPoint(branch, boundaryStart, branch.length, settings.keepRecentTokens);
	const firstKept = branch[cut.firstKeptEntryIndex];
	if (!firstKept?.id) return undefined;

	const historyEnd = cut.isSplitTurn ? cut.turnStartIndex : cut.firstKeptEntryIndex;
	const messagesToSummarize = messagesBetween(branch, boundaryStart, historyEnd);
	const turnPrefixMessages = cut.isSplitTurn
		? messagesBetween(branch, cut.turnStartIndex, cut.firstKeptEntryIndex)
		: [];

	const fileOps = createFileOps();
	if (previous?.type === "compaction" && !previous.fromHook) addFileOpsFromDetails(previous.details, fileOps);
	for (const message of messagesToSummarize) addFileOpsFromMessage(message, fileOps);
	for (const message of turnPrefixMessages) addFileOpsFromMessage(message, fileOps);

	const preparation: CompactionPreparation = {
		firstKeptEntryId: firstKept.id,
		messagesToSummarize,
		turnPrefixMessages,
		isSplitTurn: cut.isSplitTurn,
		tokensBefore,
		fileOps,
		settings,
	};
	if (previousSummary !== undefined) preparation.previousSummary = previousSummary;
	return preparation;
}

/** The history summary; with a previous summary the update prompt merges the new messages into it. */
export async function generateSummary(
	messages: AgentMessage[],
	call: SummaryCall,
	customInstructions: string | undefined,
	previousSummary: string | undefined,
): Promise<string> {
	let instructions = previousSummary ? UPDATE_SUMMARIZATION_PROMPT : SUMMARIZATION_PROMPT;
	if (customInstructions) instructions = `${instructions}\n\nAdditional focus: ${customInstructions}`;
	let prompt = conversationBlock(messages);
	if (previousSummary) prompt += `<previous-summary>\n${previousSummary}\n</previous-summary>\n\n`;
	prompt += instructions;
	return requestSummary(call, prompt, "Summarization failed");
}

async function generateTurnPrefixSummary(messages: AgentMessage[], call: SummaryCall): Promise<string> {
	const prompt = conversationBlock(messages) + TURN_PREFIX_SUMMARIZATION_PROMPT;
	return requestSummary(call, prompt, "Turn prefix summarization failed");
}

export async function compact(
	preparation: CompactionPreparation,
	model: Model,
	apiKey: string,
	customInstructions: string | undefined,
	complete: CompleteFn,
	signal?: AbortSignal,
	options: {
		thinkingLevel?: ThinkingLevel;
		headers?: Record<string, string>;
		env?: Readonly<Record<string, string>>;
	} = {},
): Promise<CompactionResult> {
	const { settings } = preparation;
	const historyCall: SummaryCall = {
		model,
		apiKey,
		complete,
		maxTokens: Math.floor(0.8 * settings.reserveTokens),
		...options,
	};
	if (signal) historyCall.signal = signal;
	let summary: string;
	if (preparation.isSplitTurn && preparation.turnPrefixMessages.length > 0) {
		// A smaller budget for the turn prefix; both calls run at once.
		const prefixCall: SummaryCall = { ...historyCall, maxTokens: Math.floor(0.5 * settings.reserveTokens) };
		const [history, prefix] = await Promise.all([
			preparation.messagesToSummarize.length > 0
				? generateSummary(preparation.messagesToSummarize, historyCall, customInstructions, preparation.previousSummary)
				: Promise.resolve("No prior history."),
			generateTurnPrefixSummary(preparation.turnPrefixMessages, prefixCall),
		]);
		summary = `${history}\n\n---\n\n**Turn Context (split turn):**\n\n${prefix}`;
	} else {
		summary = await generateSummary(
			preparation.messagesToSummarize,
			historyCall,
			customInstructions,
			preparation.previousSummary,
		);
	}
	const { readFiles, modifiedFiles } = computeFileLists(preparation.fileOps);
	summary += formatFileOperations(readFiles, modifiedFiles);
	return {
		summary,
		firstKeptEntryId: preparation.firstKeptEntryId,
		tokensBefore: preparation.tokensBefore,
		details: { readFiles, modifiedFiles },
	};
}
