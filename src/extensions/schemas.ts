/**
 * The valibot schemas for everything an extension hands us: registrations (tools, commands, flags, …) and the
 * values its event handlers return. Loose objects: extensions written for a newer pi may pass fields we do not know,
 * which must not make them fail. A value that does not fit is reported as that extension's error.
 */
import * as v from "valibot";
import type { Usage } from "../ai/types.ts";
import { AgentMessageSchema } from "./message-schema.ts";

const fn = v.custom<(...args: unknown[]) => unknown>((value) => typeof value === "function", "must be a function");
const optionalFn = v.optional(fn);
const record = v.custom<Record<string, unknown>>(
	(value) => typeof value === "object" && value !== null && !Array.isArray(value),
	"must be an object",
);

export const TextContentSchema = v.looseObject({ type: v.literal("text"), text: v.string() });
export const ImageContentSchema = v.looseObject({ type: v.literal("image"), data: v.string(), mimeType: v.string() });
export const ContentSchema = v.array(v.union([TextContentSchema, ImageContentSchema]));

export const ToolDefinitionSchema = v.looseObject({
	name: v.pipe(v.string(), v.minLength(1, "must not be empty")),
	label: v.optional(v.string()),
	description: v.optional(v.string()),
	parameters: record,
	promptSnippet: v.optional(v.string()),
	promptGuidelines: v.optional(v.array(v.string())),
	executionMode: v.optional(v.picklist(["parallel", "sequential"])),
	defaultActive: v.optional(v.boolean()),
	exposure: v.optional(v.string()),
	prepareArguments: optionalFn,
	execute: fn,
	renderCall: optionalFn,
	renderResult: optionalFn,
	renderShell: v.optional(v.picklist(["default", "self"])),
});

export const CommandOptionsSchema = v.looseObject({
	description: v.optional(v.string()),
	getArgumentCompletions: optionalFn,
	handler: fn,
});

export const ShortcutOptionsSchema = v.looseObject({ description: v.optional(v.string()), handler: fn });

export const FlagOptionsSchema = v.looseObject({
	description: v.optional(v.string()),
	type: v.picklist(["boolean", "string"]),
	default: v.optional(v.union([v.boolean(), v.string()])),
});

export const CustomMessageInputSchema = v.looseObject({
	customType: v.string(),
	content: v.optional(v.nullable(v.union([v.string(), ContentSchema]))),
	display: v.optional(v.boolean()),
	details: v.optional(v.unknown()),
});

export const SendMessageOptionsSchema = v.optional(
	v.looseObject({
		triggerTurn: v.optional(v.boolean()),
		deliverAs: v.optional(v.picklist(["steer", "followUp", "nextTurn"])),
	}),
);

export const SendUserMessageOptionsSchema = v.optional(
	v.looseObject({
		deliverAs: v.optional(v.picklist(["steer", "followUp"])),
		expandPromptTemplates: v.optional(v.boolean()),
	}),
);

// ---- handler results ------------------------------------------------------------------------------------

export const ToolCallResultSchema = v.looseObject({
	block: v.optional(v.boolean()),
	reason: v.optional(v.string()),
	terminate: v.optional(v.boolean()),
});

export const ToolResultPatchSchema = v.looseObject({
	content: v.optional(ContentSchema),
	details: v.optional(v.unknown()),
	isError: v.optional(v.boolean()),
	terminate: v.optional(v.boolean()),
});

export const InputResultSchema = v.variant("action", [
	v.looseObject({ action: v.literal("continue") }),
	v.looseObject({ action: v.literal("handled") }),
	v.looseObject({ action: v.literal("transform"), text: v.string(), images: v.optional(v.array(ImageContentSchema)) }),
]);

export const BeforeAgentStartResultSchema = v.looseObject({
	message: v.optional(CustomMessageInputSchema),
	systemPrompt: v.optional(v.string()),
});

export const CancelResultSchema = v.looseObject({ cancel: v.optional(v.boolean()) });

export const CompactionOverrideSchema = v.looseObject({
	summary: v.string(),
	firstKeptEntryId: v.string(),
	tokensBefore: v.number(),
	details: v.optional(v.unknown()),
});

export const BeforeCompactResultSchema = v.looseObject({
	cancel: v.optional(v.boolean()),
	compaction: v.optional(CompactionOverrideSchema),
});

export const BeforeTreeResultSchema = v.looseObject({
	cancel: v.optional(v.boolean()),
	summary: v.optional(v.looseObject({ summary: v.string(), details: v.optional(v.unknown()) })),
	customInstructions: v.optional(v.string()),
	replaceInstructions: v.optional(v.boolean()),
	label: v.optional(v.string()),
});

/** The session entries `turn_end` / `agent_before_settle` handlers may propose (pi 1.6.0's SessionBoundaryDraft). */
const BoundaryDraftSchema = v.variant("type", [
	v.looseObject({ type: v.literal("custom"), customType: v.string(), data: v.optional(v.unknown()) }),
	v.looseObject({
		type: v.literal("custom_message"),
		customType: v.string(),
		content: v.union([v.string(), ContentSchema]),
		display: v.boolean(),
		details: v.optional(v.unknown()),
	}),
	v.looseObject({
		type: v.literal("context_edit"),
		targetId: v.string(),
		replacement: v.nullable(v.looseObject({ content: v.union([v.string(), ContentSchema]) })),
	}),
	v.looseObject({
		type: v.literal("compaction"),
		summary: v.string(),
		firstKeptEntryId: v.nullable(v.string()),
		details: v.optional(v.unknown()),
		usage: v.optional(
			v.custom<Usage>(
				(value) => typeof value === "object" && value !== null && "totalTokens" in value,
				"usage must be a usage record",
			),
		),
	}),
]);

export const BoundaryResultSchema = v.looseObject({
	entries: v.optional(v.array(BoundaryDraftSchema)),
	continue: v.optional(v.boolean()),
});

export const ContextResultSchema = v.looseObject({ messages: v.optional(v.array(AgentMessageSchema)) });

export const MessageEndResultSchema = v.looseObject({ message: v.optional(AgentMessageSchema) });

export const ResourcesDiscoverResultSchema = v.looseObject({
	skillPaths: v.optional(v.array(v.string())),
	promptPaths: v.optional(v.array(v.string())),
	themePaths: v.optional(v.array(v.string())),
});

export const BashResultSchema = v.looseObject({
	output: v.string(),
	exitCode: v.optional(v.number()),
	cancelled: v.boolean(),
	truncated: v.boolean(),
	fullOutputPath: v.optional(v.string()),
});

export const UserBashOperationsResultSchema = v.looseObject({ operations: v.looseObject({ exec: fn }) });
export const UserBashFullResultSchema = v.looseObject({ result: BashResultSchema });

export const ProjectTrustResultSchema = v.looseObject({
	trusted: v.picklist(["yes", "no", "undecided"]),
	remember: v.optional(v.boolean()),
});

/** The first problem of a failed parse, as "path: message". */
export function firstIssue(issues: readonly v.BaseIssue<unknown>[]): string {
	const issue = issues[0];
	if (!issue) return "invalid value";
	const path = v.getDotPath(issue);
	return path ? `${path}: ${issue.message}` : issue.message;
}
