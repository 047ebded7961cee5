/** Compaction and branch summarization (pi-spec §7). */
export { collectEntriesForBranchSummary, generateBranchSummary, prepareBranchEntries } from "./branch-summary.ts";
export { compact, generateSummary, prepareCompaction } from "./compaction.ts";
export { findCutPoint, findTurnStartIndex } from "./cut-point.ts";
export { computeFileLists, formatFileOperations } from "./file-ops.ts";
export * from "./prompts.ts";
export { serializeConversation } from "./serialize.ts";
export { SummarizationAbortedError } from "./summarize.ts";
export { calculateContextTokens, estimateContextTokens, estimateTokens, shouldCompact } from "./tokens.ts";
export * from "./types.ts";
