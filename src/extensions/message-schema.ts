/**
 * Messages an extension hands back (a `context` handler's list, a `message_end` replacement) are parsed, not trusted:
 * each must be one of the agent's message kinds with the fields the rest of pi relies on. Unknown extra fields are
 * kept (extensions may carry their own data along).
 */
import * as v from "valibot";
import type { AgentMessage } from "../agent/types.ts";

const Text = v.looseObject({ type: v.literal("text"), text: v.string(), textSignature: v.optional(v.string()) });
const Image = v.looseObject({ type: v.literal("image"), data: v.string(), mimeType: v.string() });
const Thinking = v.looseObject({
	type: v.literal("thinking"),
	thinking: v.string(),
	thinkingSignature: v.optional(v.string()),
	redacted: v.optional(v.boolean()),
});
const ToolCall = v.looseObject({
	type: v.literal("toolCall"),
	id: v.string(),
	name: v.string(),
	arguments: v.record(v.string(), v.unknown()),
	thoughtSignature: v.optional(v.string()),
});
const Cost = v.looseObject({
	input: v.number(),
	output: v.number(),
	cacheRead: v.number(),
	cacheWrite: v.number(),
	total: v.number(),
});
const Usage = v.looseObject({
	input: v.number(),
	output: v.number(),
	cacheRead: v.number(),
	cacheWrite: v.number(),
	totalTokens: v.number(),
	cost: Cost,
});
const UserContent = v.union([v.string(), v.array(v.union([Text, Image]))]);

const ToolDeclaration = v.looseObject({
	name: v.string(),
	description: v.string(),
	parameters: v.record(v.string(), v.unknown()),
});

export const AgentMessageSchema = v.variant("role", [
	// pi 1.6.0's prompt and tool declarations in the transcript (context_with_system handlers see and return them).
	v.looseObject({
		role: v.literal("system"),
		content: v.union([v.string(), v.array(Text)]),
		sections: v.optional(v.record(v.string(), v.nullable(v.string()))),
		toolsAdded: v.optional(v.array(ToolDeclaration)),
		toolsRemoved: v.optional(v.array(v.looseObject({ name: v.string() }))),
		timestamp: v.number(),
	}),
	v.looseObject({ role: v.literal("user"), content: UserContent, timestamp: v.number() }),
	v.looseObject({
		role: v.literal("assistant"),
		content: v.array(v.union([Text, Thinking, ToolCall])),
		api: v.string(),
		provider: v.string(),
		model: v.string(),
		usage: Usage,
		stopReason: v.picklist(["stop", "length", "toolUse", "error", "aborted"]),
		errorMessage: v.optional(v.string()),
		timestamp: v.number(),
		responseId: v.optional(v.string()),
	}),
	v.looseObject({
		role: v.literal("toolResult"),
		toolCallId: v.string(),
		toolName: v.string(),
		content: v.array(v.union([Text, Image])),
		details: v.optional(v.unknown()),
		isError: v.boolean(),
		timestamp: v.number(),
	}),
	v.looseObject({
		role: v.literal("custom"),
		customType: v.string(),
		content: UserContent,
		display: v.boolean(),
		details: v.optional(v.unknown()),
		timestamp: v.number(),
	}),
	v.looseObject({
		role: v.literal("bashExecution"),
		command: v.string(),
		output: v.string(),
		exitCode: v.optional(v.number()),
		cancelled: v.boolean(),
		truncated: v.boolean(),
		fullOutputPath: v.optional(v.string()),
		timestamp: v.number(),
		excludeFromContext: v.optional(v.boolean()),
	}),
	v.looseObject({ role: v.literal("branchSummary"), summary: v.string(), fromId: v.string(), timestamp: v.number() }),
	v.looseObject({
		role: v.literal("compactionSummary"),
		summary: v.string(),
		tokensBefore: v.number(),
		timestamp: v.number(),
	}),
]);

/** Compile-time check that what the schema accepts is an AgentMessage. */
export function asAgentMessage(message: v.InferOutput<typeof AgentMessageSchema>): AgentMessage {
	if (message.role === "bashExecution") return { ...message, exitCode: message.exitCode };
	return message;
}
