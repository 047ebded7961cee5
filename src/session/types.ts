/**
 * Session file format v3, field for field as pi 1.6.0 writes it (docs/session-format.md); pi 0.73.1 files are the
 * same format without system messages, usage and context_edit entries, and read as they are.
 * Optional fields are omitted from the JSON when undefined, exactly as JSON.stringify does for pi.
 */

import type { AgentMessage, CustomMessage } from "../agent/types.ts";
import type {
	AssistantMessage,
	ImageContent,
	SystemMessage,
	TextContent,
	ThinkingLevel,
	ToolResultMessage,
	Usage,
	UserMessage,
} from "../ai/types.ts";

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
	/** Usage of the summary request(s), counted in the session totals (pi 1.6.0). */
	usage?: Usage;
	/** True when an extension produced the summary. */
	fromHook?: boolean;
	/** The replayed prompt and tools at this boundary (pi 1.6.0); it leads the compacted context. */
	systemMessage?: SystemMessage;
}

/** Model-attributed usage outside the conversation (e.g. cache warming): counted in totals, hidden in the tree. */
export interface UsageEntry extends EntryBase {
	type: "usage";
	/** Any string; unknown kinds are normal usage. */
	kind: string;
	provider: string;
	model: string;
	usage: Usage;
	note?: string;
}

/** Content a context edit may put in place of an entry's content. */
export type ContextEditableContent =
	| UserMessage["content"]
	| AssistantMessage["content"]
	| ToolResultMessage["content"]
	| CustomMessage["content"];

/**
 * Branch-relative edit of one earlier entry's contribution to the model context (pi 1.6.0): null omits it, a
 * replacement swaps its content only. The latest edit on the path wins; the target itself never changes.
 */
export interface ContextEditEntry extends EntryBase {
	type: "context_edit";
	targetId: string;
	replacement: { content: ContextEditableContent } | null;
}

export interface BranchSummaryEntry extends EntryBase {
	type: "branch_summary";
	/** The entry the branch continues from (the new leaf), or "root". */
	fromId: string;
	summary: string;
	details?: unknown;
	/** Usage of the summary request, counted in the session totals (pi 1.6.0). */
	usage?: Usage;
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

/**
 * An entry of a kind this version does not know (a newer pi's message role or entry type), kept as pi 1.6.0 keeps
 * it: in the tree (its children stay attached, /tree shows it, branches and forks write it back as it was read) but
 * never in the model's context. The record is held as read in `raw`, so code that switches on the known kinds never
 * mistakes it for one of them; `storedEntry` gives it back in its stored form.
 */
export interface UnknownEntry extends EntryBase {
	type: "unknown";
	/** The `type` the record has: a type we do not know, or "message" with an unknown `role`. */
	entryType: string;
	role?: string;
	/** The record as read. */
	raw: Readonly<Record<string, unknown>>;
}

export type SessionEntry =
	| MessageEntry
	| ThinkingLevelChangeEntry
	| ModelChangeEntry
	| UsageEntry
	| CompactionEntry
	| BranchSummaryEntry
	| CustomEntry
	| CustomMessageEntry
	| ContextEditEntry
	| LabelEntry
	| SessionInfoEntry
	| UnknownEntry;

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

/** One selected entry and the messages it contributes to the model context (after context edits). */
export interface ProjectedSessionEntry {
	sourceEntry: SessionEntry;
	/** Empty for state-only entries and omitted targets. */
	messages: AgentMessage[];
}

/** The model context with each message's source entry (pi 1.6.0's buildSessionProjection). */
export interface SessionProjection extends SessionContext {
	entries: ProjectedSessionEntry[];
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
