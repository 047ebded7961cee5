/**
 * Validation of session file lines. Entries are checked at the level the session layer relies on (type, ids,
 * the fields of each entry type); unknown extra keys are kept so a file round-trips without losing anything.
 */
import * as v from "valibot";
import type { AgentMessage, CustomMessage } from "../agent/types.ts";
import { type SystemMessage, THINKING_LEVELS, type Usage } from "../ai/types.ts";
import { lazyGroup } from "../util/lazy-schema.ts";
import type { ContextEditEntry, SessionEntry, SessionHeader } from "./types.ts";

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isContent(value: unknown): boolean {
	return typeof value === "string" || Array.isArray(value);
}

function isMissing(value: unknown): value is null | undefined {
	return value === undefined || value === null;
}

/** The message roles this version reads; a message of another role is kept as an UnknownEntry (unknown-entry.ts). */
export const AGENT_MESSAGE_ROLES: ReadonlySet<string> = new Set([
	"user",
	"assistant",
	"toolResult",
	"bashExecution",
	"custom",
	"branchSummary",
	"compactionSummary",
	"system",
]);

/** Role-level shape check of a stored message; content blocks are passed through as stored. */
function isAgentMessage(value: unknown): value is AgentMessage {
	if (!isRecord(value) || typeof value.role !== "string" || !AGENT_MESSAGE_ROLES.has(value.role)) return false;
	switch (value.role) {
		// Content may be missing or null (old versions, forks, hand-edited files): pi 1.6.0 reads it as empty, and so
		// do we (normalizeContent), rather than dropping the entry and cutting its children off the tree.
		case "user":
			return isMissing(value.content) || isContent(value.content);
		case "assistant":
			return isMissing(value.content) || Array.isArray(value.content);
		case "toolResult":
			return (isMissing(value.content) || Array.isArray(value.content)) && typeof value.toolCallId === "string";
		case "bashExecution":
			return typeof value.command === "string" && typeof value.output === "string";
		case "custom":
			return typeof value.customType === "string" && isContent(value.content);
		case "branchSummary":
		case "compactionSummary":
			return typeof value.summary === "string";
		case "system":
			// pi 1.6.0 reads a system message without content as empty (context.ts normalizes it).
			return value.content === undefined || value.content === null || isContent(value.content);
		default:
			return false;
	}
}

function isMessageContent(value: unknown): value is CustomMessage["content"] {
	if (typeof value === "string") return true;
	return (
		Array.isArray(value) &&
		value.every(
			(block) =>
				isRecord(block) &&
				((block.type === "text" && typeof block.text === "string") ||
					(block.type === "image" && typeof block.data === "string")),
		)
	);
}

function isRecordOrNull(value: unknown): boolean {
	return value === null || (isRecord(value) && isContent(value.content));
}

/**
 * Built on first use: a run that reads no session file (a new session) never needs them, and building them with
 * the other schemas at startup made valibot hot enough for the optimizing compiler (util/lazy-schema.ts).
 */
export const sessionSchemas = lazyGroup(() => {
	const agentMessageSchema = v.custom<AgentMessage>(isAgentMessage, "not a known message");
	const contentSchema = v.custom<CustomMessage["content"]>(isMessageContent, "not text or image content");
	const replacementSchema = v.custom<ContextEditEntry["replacement"]>(isRecordOrNull, "not null or { content }");
	const systemMessageSchema = v.custom<SystemMessage>(
		(value) => isRecord(value) && value.role === "system",
		"not a system message",
	);
	const usageSchema = v.custom<Usage>(
		(value) => isRecord(value) && typeof value.totalTokens === "number",
		"not a usage record",
	);

	const base = {
		id: v.string(),
		parentId: v.nullable(v.string()),
		timestamp: v.string(),
	};

	const sessionHeaderSchema = v.looseObject({
		type: v.literal("session"),
		version: v.optional(v.number()),
		id: v.string(),
		timestamp: v.string(),
		cwd: v.optional(v.string(), ""),
		parentSession: v.optional(v.string()),
	});

	const sessionEntrySchema = v.variant("type", [
		v.looseObject({ type: v.literal("message"), ...base, message: agentMessageSchema }),
		v.looseObject({ type: v.literal("thinking_level_change"), ...base, thinkingLevel: v.picklist(THINKING_LEVELS) }),
		v.looseObject({ type: v.literal("model_change"), ...base, provider: v.string(), modelId: v.string() }),
		v.looseObject({
			type: v.literal("compaction"),
			...base,
			summary: v.string(),
			firstKeptEntryId: v.string(),
			tokensBefore: v.number(),
			details: v.optional(v.unknown()),
			usage: v.optional(usageSchema),
			fromHook: v.optional(v.boolean()),
			systemMessage: v.optional(systemMessageSchema),
		}),
		v.looseObject({
			type: v.literal("usage"),
			...base,
			kind: v.string(),
			provider: v.string(),
			model: v.string(),
			usage: usageSchema,
			note: v.optional(v.string()),
		}),
		v.looseObject({ type: v.literal("context_edit"), ...base, targetId: v.string(), replacement: replacementSchema }),
		v.looseObject({
			type: v.literal("branch_summary"),
			...base,
			fromId: v.string(),
			summary: v.string(),
			details: v.optional(v.unknown()),
			usage: v.optional(usageSchema),
			fromHook: v.optional(v.boolean()),
		}),
		v.looseObject({ type: v.literal("custom"), ...base, customType: v.string(), data: v.optional(v.unknown()) }),
		v.looseObject({
			type: v.literal("custom_message"),
			...base,
			customType: v.string(),
			content: contentSchema,
			display: v.boolean(),
			details: v.optional(v.unknown()),
		}),
		v.looseObject({ type: v.literal("label"), ...base, targetId: v.string(), label: v.optional(v.string()) }),
		v.looseObject({ type: v.literal("session_info"), ...base, name: v.optional(v.string()) }),
	]);
	return { sessionHeaderSchema, sessionEntrySchema };
});

export function parseHeader(value: unknown): SessionHeader | undefined {
	const result = v.safeParse(sessionSchemas().sessionHeaderSchema, value);
	return result.success ? result.output : undefined;
}

export type EntryParseResult = { ok: true; entry: SessionEntry } | { ok: false; problem: string };

export function parseEntry(value: unknown): EntryParseResult {
	const result = v.safeParse(sessionSchemas().sessionEntrySchema, value);
	if (result.success) return { ok: true, entry: normalizeContent(result.output) };
	const issue = result.issues[0];
	const where = issue?.path?.map((item) => String(item.key)).join(".") ?? "";
	return { ok: false, problem: where ? `${where}: ${issue?.message ?? "invalid"}` : (issue?.message ?? "invalid") };
}

/** A user, assistant or tool result message stored without content gets an empty one, as pi 1.6.0 reads it. */
function normalizeContent(entry: SessionEntry): SessionEntry {
	if (entry.type !== "message") return entry;
	const message = entry.message;
	if (message.role !== "user" && message.role !== "assistant" && message.role !== "toolResult") return entry;
	if (!isMissing(message.content as unknown)) return entry;
	return { ...entry, message: { ...message, content: [] } };
}

export { isRecord };
