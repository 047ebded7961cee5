/**
 * Session file format v3, field for field as pi 0.73.1 writes it (pi-spec §3.2–3.3).
 * Optional fields are omitted from the JSON when undefined, exactly as JSON.stringify does for pi.
 */

import type { AgentMessage } from "../agent/types.ts";
import type { ImageContent, TextContent, ThinkingLevel } from "../ai/types.ts";

export const CURRENT_SESSION_VERSION = 3;

export interface SessionHeader {
	type: "session";
	/** Absent in v1 files. */
	version?: number;
	id: string;
	timestamp: string;
	cwd: string;
	parentSession?: string;
}

interface EntryBase {
	id: string;
	/** null for a root entry. */
	parentId: string | null;
	/** ISO-8601. */
	timestamp: string;
}

export interface MessageEntry extends EntryBase {
	type: "message";
	message: AgentMessage;
}

export interface ThinkingLevelChangeEntry extends EntryBase {
	type: "thinking_level_change";
	thinkingLevel: ThinkingLevel;
}

export interface ModelChangeEntry extends EntryBase {
	type: "model_change";
	provider: string;
	modelId: string;
}

export interface CompactionEntry extends EntryBase {
	type: "compaction";
	summary: string;
	firstKeptEntryId: string;
	tokensBefore: number;
	/** pi: `{ readFiles: string[]; modifiedFiles: string[] }` */
	details?: unknown;
	/** True when an extension produced the summary. */
	fromHook?: boolean;
}

export interface BranchSummaryEntry extends EntryBase {
	type: "branch_summary";
	/** The entry the branch continues from (the new leaf), or "root". */
	fromId: string;
	summary: string;
	details?: unknown;
	fromHook?: boolean;
}

export interface CustomEntry extends EntryBase {
	type: "custom";
	customType: string;
	data?: unknown;
}

export interface CustomMessageEntry extends EntryBase {
	type: "custom_message";
	customType: string;
	content: string | (TextContent | ImageContent)[];
	display: boolean;
	details?: unknown;
}

export interface LabelEntry extends EntryBase {
	type: "label";
	targetId: string;
	/** Absent or empty clears the label. */
	label?: string;
}

export interface SessionInfoEntry extends EntryBase {
	type: "session_info";
	name?: string;
}

export type SessionEntry =
	| MessageEntry
	| ThinkingLevelChangeEntry
	| ModelChangeEntry
	| CompactionEntry
	| BranchSummaryEntry
	| CustomEntry
	| CustomMessageEntry
	| LabelEntry
	| SessionInfoEntry;

export type SessionEntryType = SessionEntry["type"];

export interface SessionTreeNode {
	entry: SessionEntry;
	children: SessionTreeNode[];
	label?: string;
	labelTimestamp?: string;
}

export interface SessionContext {
	messages: AgentMessage[];
	thinkingLevel: ThinkingLevel;
	model: { provider: string; modelId: string } | null;
}

/** One row of `/resume` and `--session` lookups (pi's SessionInfo). */
export interface SessionInfo {
	path: string;
	id: string;
	cwd: string;
	name?: string;
	parentSessionPath?: string;
	created: Date;
	modified: Date;
	messageCount: number;
	firstMessage: string;
	allMessagesText: string;
}
