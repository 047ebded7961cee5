/** Shared types of compaction and branch summarization (pi-spec §7). */

import type { AgentMessage } from "../../agent/types.ts";
import type { StreamFunction, Usage } from "../../ai/types.ts";

/** The model call used for summaries: the same streaming function the agent uses. */
export type CompleteFn = StreamFunction;

export interface CompactionSettings {
	enabled: boolean;
	/** Tokens kept free for the prompt and the summary. */
	reserveTokens: number;
	/** Roughly how many tokens of recent history survive a compaction verbatim. */
	keepRecentTokens: number;
}

export const DEFAULT_COMPACTION_SETTINGS: CompactionSettings = {
	enabled: true,
	reserveTokens: 16384,
	keepRecentTokens: 20000,
};

/** Files touched by tool calls, tracked across compactions and branch summaries. */
export interface FileOperations {
	read: Set<string>;
	written: Set<string>;
	edited: Set<string>;
}

/** What `details` of a pi-made compaction / branch_summary entry holds. */
export interface FileListDetails {
	readFiles: string[];
	modifiedFiles: string[];
}

export interface CompactionPreparation {
	/** The first entry kept verbatim after the summary. */
	firstKeptEntryId: string;
	/** History to fold into the summary. */
	messagesToSummarize: AgentMessage[];
	/** The start of a turn that is cut in the middle, summarized separately. */
	turnPrefixMessages: AgentMessage[];
	isSplitTurn: boolean;
	tokensBefore: number;
	/** The summary of the previous compaction on this branch, to be updated. */
	previousSummary?: string;
	fileOps: FileOperations;
	settings: CompactionSettings;
}

export interface CompactionResult {
	summary: string;
	firstKeptEntryId: string;
	tokensBefore: number;
	/** What the summary requests used. */
	usage?: Usage;
	details?: unknown;
}
