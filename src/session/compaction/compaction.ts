/**
 * Compaction (pi-spec §7.3–7.4): summarize the older part of the current branch so the kept recent part plus
 * the summary fit the context window. Preparation is pure; `compact` makes the model calls.
 */

import type { AgentMessage } from "../../agent/types.ts";
import type { Model, ThinkingLevel, Usage } from "../../ai/types.ts";
import { addUsage } from "../../ai/usage.ts";
import { buildSessionProjection } from "../context.ts";
import type { ProjectedSessionEntry, SessionEntry } from "../types.ts";
import { findCutPoint } from "./cut-point.ts";
import {
	addFileOpsFromDetails,
	addFileOpsFromMessage,
	computeFileLists,
	createFileOps,
	formatFileOperations,
} from "./file-ops.ts";
import { SUMMARIZATION_PROMPT, TURN_PREFIX_SUMMARIZATION_PROMPT, UPDATE_SUMMARIZATION_PROMPT } from "./prompts.ts";
import { conversationBlock, conversationText } from "./serialize.ts";
import { requestSummary, type SummaryCall, type SummaryRetry, type SummaryText } from "./summarize.ts";
import { estimateProjectedContextTokens } from "./tokens.ts";
import type { CompactionPreparation, CompactionResult, CompactionSettings, CompleteFn } from "./types.ts";

/** What a projected entry contributes to the summary: its messages without prompt state (pi 1.6.0). */
function summarizedMessages(entries: readonly ProjectedSessionEntry[]): AgentMessage[] {
	return entries.flatMap((entry) =>
		entry.sourceEntry.type === "compaction" ? [] : entry.messages.filter((message) => message.role !== "system"),
	);
}

/**
 * What to summarize and where the kept part starts, over the projected context (pi 1.6.0): context edits applied,
 * system messages left to the compaction's checkpoint. Undefined when there is nothing to compact (the branch
 * already ends with a compaction, or nothing older than the kept part).
 */
export function prepareCompaction(
	branch: readonly SessionEntry[],
	settings: CompactionSettings,
): CompactionPreparation | undefined {
	if (branch[branch.length - 1]?.type === "compaction") return undefined;
	const leaf = branch[branch.length - 1];
	const projection = buildSessionProjection(branch, leaf?.id ?? null);
	const entries = projection.entries;
	// The newest compaction is projected first; older ones inside its kept range contribute nothing.
	const previousIndex = entries.findIndex(
		(entry) => entry.sourceEntry.type === "compaction" && entry.messages.length > 0,
	);
	const previous = entries[previousIndex]?.sourceEntry;
	const boundaryStart = previousIndex >= 0 ? previousIndex + 1 : 0;
	const tokensBefore = estimateProjectedContextTokens(projection, branch).tokens;
	const cut = findCutPoint(entries, boundaryStart, entries.length, settings.keepRecentTokens);
	const firstKept = entries[cut.firstKeptEntryIndex]?.sourceEntry;
	if (!firstKept?.id) return undefined;

	const historyEnd = cut.isSplitTurn ? cut.turnStartIndex : cut.firstKeptEntryIndex;
	const messagesToSummarize = summarizedMessages(entries.slice(boundaryStart, historyEnd));
	const turnPrefixMessages = cut.isSplitTurn
		? summarizedMessages(entries.slice(cut.turnStartIndex, cut.firstKeptEntryIndex))
		: [];
	if (messagesToSummarize.length === 0 && turnPrefixMessages.length === 0) return undefined;

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
	if (previous?.type === "compaction") preparation.previousSummary = previous.summary;
	return preparation;
}

/** The history summary; with a previous summary the update prompt merges the new messages into it. */
export async function generateSummary(
	messages: AgentMessage[],
	call: SummaryCall,
	customInstructions: string | undefined,
	previousSummary: string | undefined,
): Promise<SummaryText> {
	let instructions = previousSummary ? UPDATE_SUMMARIZATION_PROMPT : SUMMARIZATION_PROMPT;
	if (customInstructions) instructions = `${instructions}\n\nAdditional focus: ${customInstructions}`;
	let prompt = conversationBlock(messages);
	if (previousSummary) prompt += `<previous-summary>\n${previousSummary}\n</previous-summary>\n\n`;
	prompt += instructions;
	return requestSummary(call, prompt, "Summarization");
}

/** The start of a split turn; pi 1.6.0 frames it as "# Conversation" / "# Instructions", not in tags. */
async function generateTurnPrefixSummary(
	messages: AgentMessage[],
	call: SummaryCall,
	customInstructions: string | undefined,
): Promise<SummaryText> {
	let prompt = `# Conversation\n${conversationText(messages)}\n\n# Instructions\n${TURN_PREFIX_SUMMARIZATION_PROMPT}`;
	if (customInstructions) prompt = `${prompt}\n\nAdditional focus: ${customInstructions}`;
	return requestSummary(call, prompt, "Turn prefix summarization");
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
		retry?: SummaryRetry;
		headers?: Record<string, string>;
		env?: Readonly<Record<string, string>>;
	} = {},
): Promise<CompactionResult> {
	const call: SummaryCall = { model, apiKey, complete, ...options };
	if (signal) call.signal = signal;
	let summary: string;
	let usage: Usage;
	if (preparation.isSplitTurn && preparation.turnPrefixMessages.length > 0) {
		// pi 1.6.0 asks one after the other: the history (or the previous summary when nothing new precedes the
		// turn), then the start of the turn.
		const history: SummaryText | undefined =
			preparation.messagesToSummarize.length > 0
				? await generateSummary(preparation.messagesToSummarize, call, customInstructions, preparation.previousSummary)
				: undefined;
		const prefix = await generateTurnPrefixSummary(preparation.turnPrefixMessages, call, customInstructions);
		const historyText = history?.text ?? preparation.previousSummary ?? "No prior history.";
		summary = `${historyText}\n\n---\n\n**Turn Context (split turn):**\n\n${prefix.text}`;
		usage = history ? addUsage(history.usage, prefix.usage) : prefix.usage;
	} else {
		const history = await generateSummary(
			preparation.messagesToSummarize,
			call,
			customInstructions,
			preparation.previousSummary,
		);
		summary = history.text;
		usage = history.usage;
	}
	const { readFiles, modifiedFiles } = computeFileLists(preparation.fileOps);
	summary += formatFileOperations(readFiles, modifiedFiles);
	return {
		summary,
		firstKeptEntryId: preparation.firstKeptEntryId,
		tokensBefore: preparation.tokensBefore,
		usage,
		details: { readFiles, modifiedFiles },
	};
}
