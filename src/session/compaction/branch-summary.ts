/**
 * Branch summaries for `/tree` navigation (pi-spec §7.6): when the user leaves a branch, the entries between the
 * old leaf and the common ancestor with the target are summarized so the context is not lost.
 */

import type { AgentMessage } from "../../agent/types.ts";
import type { Model, Usage } from "../../ai/types.ts";
import { branchSummaryMessage, compactionSummaryMessage, customMessageFromEntry } from "../context.ts";
import type { SessionManager } from "../session-manager.ts";
import type { SessionEntry } from "../types.ts";
import {
	addFileOpsFromDetails,
	addFileOpsFromMessage,
	computeFileLists,
	createFileOps,
	formatFileOperations,
} from "./file-ops.ts";
import { BRANCH_SUMMARY_PREAMBLE, BRANCH_SUMMARY_PROMPT } from "./prompts.ts";
import { conversationBlock } from "./serialize.ts";
import { requestSummary, type SummaryRetry } from "./summarize.ts";
import { estimateTokens } from "./tokens.ts";
import type { CompleteFn, FileListDetails, FileOperations } from "./types.ts";

/** Entries from the old leaf back to (not including) the deepest common ancestor with `targetId`, oldest first. */
export function collectEntriesForBranchSummary(
	manager: SessionManager,
	oldLeafId: string | null,
	targetId: string,
): SessionEntry[] {
	if (!oldLeafId) return [];
	const oldPath = new Set(manager.getBranch(oldLeafId).map((entry) => entry.id));
	const targetPath = manager.getBranch(targetId);
	let commonAncestorId: string | null = null;
	for (let i = targetPath.length - 1; i >= 0; i--) {
		const id = targetPath[i]?.id;
		if (id !== undefined && oldPath.has(id)) {
			commonAncestorId = id;
			break;
		}
	}
	const entries: SessionEntry[] = [];
	let current: string | null = oldLeafId;
	while (current && current !== commonAncestorId) {
		const entry = manager.getEntry(current);
		if (!entry) break;
		entries.push(entry);
		current = entry.parentId;
	}
	return entries.reverse();
}

/** Tool results are left out: the assistant's tool call carries what matters. */
function messageForBranchSummary(entry: SessionEntry): AgentMessage | undefined {
	switch (entry.type) {
		case "message":
			return entry.message.role === "toolResult" ? undefined : entry.message;
		case "custom_message":
			return customMessageFromEntry(entry);
		case "branch_summary":
			return branchSummaryMessage(entry.summary, entry.fromId, entry.timestamp);
		case "compaction":
			return compactionSummaryMessage(entry.summary, entry.tokensBefore, entry.timestamp);
		default:
			return undefined;
	}
}

/**
 * The newest messages that fit `tokenBudget` (0 = no limit); a summary entry that overflows is still taken
 * while under 90% of the budget. File operations come from every entry, fitting or not.
 */
export function prepareBranchEntries(
	entries: readonly SessionEntry[],
	tokenBudget = 0,
): { messages: AgentMessage[]; fileOps: FileOperations; totalTokens: number } {
	const fileOps = createFileOps();
	for (const entry of entries) {
		if (entry.type === "branch_summary" && !entry.fromHook) addFileOpsFromDetails(entry.details, fileOps);
	}
	const newestFirst: AgentMessage[] = [];
	let totalTokens = 0;
	for (let i = entries.length - 1; i >= 0; i--) {
		const entry = entries[i];
		const message = entry ? messageForBranchSummary(entry) : undefined;
		if (!entry || !message) continue;
		addFileOpsFromMessage(message, fileOps);
		const tokens = estimateTokens(message);
		if (tokenBudget > 0 && totalTokens + tokens > tokenBudget) {
			const isSummary = entry.type === "compaction" || entry.type === "branch_summary";
			if (isSummary && totalTokens < tokenBudget * 0.9) {
				newestFirst.push(message);
				totalTokens += tokens;
			}
			break;
		}
		newestFirst.push(message);
		totalTokens += tokens;
	}
	return { messages: newestFirst.reverse(), fileOps, totalTokens };
}

export async function generateBranchSummary(
	entries: SessionEntry[],
	model: Model,
	apiKey: string,
	complete: CompleteFn,
	signal?: AbortSignal,
	customInstructions?: string,
	options: {
		reserveTokens?: number;
		replaceInstructions?: boolean;
		retry?: SummaryRetry;
		headers?: Record<string, string>;
		env?: Readonly<Record<string, string>>;
	} = {},
): Promise<{ summary: string; details?: FileListDetails; usage?: Usage }> {
	const tokenBudget = (model.contextWindow || 128000) - (options.reserveTokens ?? 16384);
	const { messages, fileOps } = prepareBranchEntries(entries, tokenBudget);
	if (messages.length === 0) return { summary: "No content to summarize" };

	let instructions = BRANCH_SUMMARY_PROMPT;
	if (customInstructions) {
		instructions = options.replaceInstructions
			? customInstructions
			: `${BRANCH_SUMMARY_PROMPT}\n\nAdditional focus: ${customInstructions}`;
	}
	const prompt = conversationBlock(messages) + instructions;
	// pi sends branch summaries without a thinking level
	const call = {
		model,
		apiKey,
		complete,
		...(signal ? { signal } : {}),
		...(options.headers ? { headers: options.headers } : {}),
		...(options.env ? { env: options.env } : {}),
		...(options.retry ? { retry: options.retry } : {}),
	};
	const { text, usage } = await requestSummary(call, prompt, "Branch summarization");
	const { readFiles, modifiedFiles } = computeFileLists(fileOps);
	const summary = BRANCH_SUMMARY_PREAMBLE + text + formatFileOperations(readFiles, modifiedFiles);
	return { summary, details: { readFiles, modifiedFiles }, usage };
}
