/**
 * An extension's tool definition as a tool the agent runs: arguments validated against its schema (TypeBox or any
 * JSON Schema), `execute(toolCallId, params, signal, onUpdate, ctx)` called with the extension context, and whatever
 * it returns parsed into a tool result (a malformed result is the tool's error, shown to the model).
 */
import * as v from "valibot";
import type { AgentTool, AgentToolResult, ToolExposure } from "../agent/types.ts";
import { ContentSchema } from "./schemas.ts";
import { validateToolArguments } from "./tool-validation.ts";
import type { RegisteredTool, RegisteredToolDefinition } from "./types.ts";

function jsonObject(value: unknown): Record<string, unknown> | undefined {
	return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : undefined;
}

const ToolResultSchema = v.looseObject({
	content: v.optional(ContentSchema),
	details: v.optional(v.unknown()),
	isError: v.optional(v.boolean()),
	terminate: v.optional(v.boolean()),
	structuredContent: v.optional(v.unknown()),
});

const EXPOSURES: readonly ToolExposure[] = ["direct", "codemode", "deferred", "hidden", "model-only"];

/** The tool's exposure as pi 1.6.0 names them; anything else counts as the default, `direct`. */
export function exposureOf(definition: RegisteredToolDefinition): ToolExposure {
	return EXPOSURES.find((exposure) => exposure === definition.exposure) ?? "direct";
}

/** Reads what a tool's execute (or its onUpdate) produced; throws with a message the model can act on. */
export function parseToolResult(toolName: string, value: unknown): AgentToolResult {
	const parsed = v.safeParse(ToolResultSchema, value);
	if (!parsed.success) {
		const issue = parsed.issues[0];
		const path = issue ? v.getDotPath(issue) : undefined;
		throw new Error(
			`Tool "${toolName}" returned an invalid result${path ? ` (${path}: ${issue?.message})` : ""}; a result needs content: [{ type: "text", text }]`,
		);
	}
	const { content, details, isError, terminate, structuredContent } = parsed.output;
	return {
		content: content ?? [],
		details,
		...(structuredContent !== undefined ? { structuredContent } : {}),
		...(isError !== undefined ? { isError } : {}),
		...(terminate !== undefined ? { terminate } : {}),
	};
}

export type ToolContextFactory = (toolCallId: string, signal: AbortSignal) => Record<string, unknown>;

export function toAgentTool(registered: RegisteredTool, contextFor: ToolContextFactory): AgentTool {
	const { definition } = registered;
	const prepare = definition.prepareArguments;
	return {
		name: definition.name,
		label: definition.label,
		description: definition.description,
		parameters: definition.parameters,
		executionMode: definition.executionMode,
		exposure: exposureOf(definition),
		promptSnippet: definition.promptSnippet,
		promptGuidelines: definition.promptGuidelines,
		outputSchema: jsonObject(definition.source.outputSchema),
		prepareArguments: prepare
			? (raw) => {
					const prepared = prepare(raw);
					return typeof prepared === "object" && prepared !== null && !Array.isArray(prepared) ? { ...prepared } : raw;
				}
			: undefined,
		parseArgs: (raw) => validateToolArguments(definition.name, definition.parameters, raw),
		async execute(toolCallId, args, signal, onUpdate) {
			const update = (partial: unknown) => {
				try {
					onUpdate(parseToolResult(definition.name, partial));
				} catch {
					// A malformed progress update is dropped; only the final result counts.
				}
			};
			const result = await definition.execute(toolCallId, args, signal, update, contextFor(toolCallId, signal));
			return parseToolResult(definition.name, result);
		},
	};
}
