/** Events of the session layer, on top of the agent's own (pi 1.6.0 AgentSessionEvent, field for field). */
import type { ThinkingLevel, Usage } from "../ai/types.ts";
import type { SessionEntry } from "../session/types.ts";
import type { AgentEvent, AgentMessage } from "./types.ts";

export type CompactionReason = "manual" | "threshold" | "overflow";

export interface CompactionResult {
	summary: string;
	firstKeptEntryId: string;
	tokensBefore: number;
	estimatedTokensAfter?: number;
	/** The summary requests' usage (pi 1.6.0). */
	usage?: Usage;
	details?: unknown;
}

export type AgentSessionEvent =
	| Exclude<AgentEvent, { type: "agent_end" }>
	/** pi 1.6.0: `willRetry` says an automatic retry follows this run. */
	| { type: "agent_end"; messages: AgentMessage[]; willRetry: boolean }
	/** pi 1.6.0: nothing more happens on its own (no retry, compaction recovery or queued message). */
	| { type: "agent_settled"; aborted: boolean }
	/** pi 1.6.0: an entry was appended outside the conversation (e.g. a context_edit omitting a failed attempt). */
	| { type: "entry_appended"; entry: SessionEntry }
	| { type: "queue_update"; steering: readonly string[]; followUp: readonly string[] }
	| { type: "compaction_start"; reason: CompactionReason }
	| {
			type: "compaction_end";
			reason: CompactionReason;
			result: CompactionResult | undefined;
			aborted: boolean;
			willRetry: boolean;
			errorMessage?: string;
	  }
	| { type: "session_info_changed"; name: string | undefined }
	| { type: "thinking_level_changed"; level: ThinkingLevel }
	| { type: "auto_retry_start"; attempt: number; maxAttempts: number; delayMs: number; errorMessage: string }
	| { type: "auto_retry_end"; success: boolean; attempt: number; finalError?: string }
	/** pi 1.6.0: a compaction or branch summary request failed transiently and is retried after `delayMs`. */
	| {
			type: "summarization_retry_scheduled";
			attempt: number;
			maxAttempts: number;
			delayMs: number;
			errorMessage: string;
	  }
	| ({ type: "summarization_retry_attempt_start" } & SummarizationSource)
	| { type: "summarization_retry_finished" };

/** What a summary is for: a compaction (and why) or a branch summary. */
export type SummarizationSource = { source: "branchSummary" } | { source: "compaction"; reason: CompactionReason };

export type AgentSessionEventListener = (event: AgentSessionEvent) => void;
