/**
 * The `codemode` tool (pi 1.6.0, docs/codemode.md): the model writes JavaScript that calls other tools; only what the
 * script outputs reaches the model. Every call a script makes runs through the session's tool pipeline
 * (AgentSession.executeNestedTool), so validation and extension gates apply exactly as for the model's own calls.
 * The sandbox (worker + QuickJS WebAssembly) loads on the first script, not at startup.
 *
 * A call resolves to the tool's `structuredContent` when the tool declares an output schema (MCP tools: the whole
 * CallToolResult, also for `isError` results), else to its text; a failed call rejects with the tool's error text.
 * `store()` writes of a successful script are appended to the session as a `codemode-store` custom entry, so each
 * branch sees the values written on its own path.
 */
import * as v from "valibot";
import type { NestedCallOutcome } from "../agent/session/nested-calls.ts";
import type { AgentTool, AgentToolResult } from "../agent/types.ts";
import type { TextContent } from "../ai/types.ts";
import { ToolArgumentError } from "../tools/tool-args.ts";
import { errorMessage } from "../util/errors.ts";
import { CODEMODE_TOOL_NAME, codemodeDescription, declaredTool, describeScriptCall } from "./catalog.ts";

export { CODEMODE_TOOL_NAME };
export const CODEMODE_STORE_ENTRY = "codemode-store";

export interface CodemodeNestedCall {
	id: string;
	name: string;
	/** Compact JSON of the arguments, cut for display. */
	args: string;
	status: "running" | "ok" | "error" | "cancelled";
	durationMs?: number;
	error?: string;
}

export interface CodemodeDetails {
	calls: CodemodeNestedCall[];
	fullOutputPath?: string;
}

/** What the tool needs from the session. */
export interface CodemodeHost {
	/** Tools a script may call now (without codemode itself). */
	callableTools(): AgentTool[];
	executeTool(parentToolCallId: string, name: string, args: unknown, signal: AbortSignal): Promise<NestedCallOutcome>;
	/** The values of `codemode-store` entries on the current branch, applied from the root. */
	readStore(): Record<string, unknown>;
	appendStore(data: { set: Record<string, unknown>; delete: string[] }): void;
	/** Wait until the MCP servers a script may reach have connected (or failed). */
	waitForTools(reach: "all" | readonly string[], signal: AbortSignal): Promise<void>;
	/** `codemode.inlineBudget`. */
	inlineBudget(): number | undefined;
	/** `codemode.mode`: `on` (declared tools say how scripts call them) or `only` (they are reached through scripts). */
	mode(): "on" | "only";
}

const PARAMETERS = {
	type: "object",
	properties: { code: { type: "string", description: "Raw JavaScript source." } },
	required: ["code"],
};
const argsSchema = v.object({ code: v.string() });

/** Script globals that look tools up by any name: the script may then reach every server. */
const DISCOVERY = /\b(searchTools|describeNamespace|describeTool|ALL_TOOLS)\b/;

/** Which tools a script may reach: every one when it searches, else the words of its source (`mcp__docs`…). */
export function scriptReach(code: string): "all" | string[] {
	return DISCOVERY.test(code) ? "all" : (code.match(/\w+/g) ?? []);
}

/** Tools a script can call: callable, not codemode itself, not model-only. */
export function scriptTools(tools: readonly AgentTool[]): AgentTool[] {
	return tools.filter((tool) => tool.name !== CODEMODE_TOOL_NAME && tool.exposure !== "model-only");
}

export function createCodemodeTool(host: CodemodeHost): AgentTool<{ code: string }, CodemodeDetails> {
	return {
		name: CODEMODE_TOOL_NAME,
		label: CODEMODE_TOOL_NAME,
		description: codemodeDescription([]),
		promptSnippet: "Run JavaScript that calls other tools",
		promptGuidelines: [
			"Use codemode to batch independent tool calls (Promise.allSettled), chain them, or filter large output, instead of many separate calls.",
		],
		parameters: PARAMETERS,
		exposure: "model-only",
		prepareLoadout({ declared, callable }) {
			const scripted = scriptTools(callable);
			const names = new Set(scripted.map((tool) => tool.name));
			const isDirect = (tool: AgentTool) => (tool.exposure ?? "direct") === "direct";
			const only = host.mode() === "only";
			const descriptions: Record<string, string> = {};
			if (!only)
				for (const tool of declared) if (names.has(tool.name)) descriptions[tool.name] = describeScriptCall(tool);
			// `on`: listed by exposure, not by what is active, so tool_search loading a tool does not change this text.
			// `only`: every callable tool is listed, and the active direct ones are reached through scripts alone.
			const listed = scripted.filter((tool) => tool.exposure !== "deferred" && (only || !isDirect(tool)));
			descriptions[CODEMODE_TOOL_NAME] = codemodeDescription(listed, host.inlineBudget());
			const hiddenDeclarations = only
				? declared.filter((tool) => names.has(tool.name) && isDirect(tool)).map((tool) => tool.name)
				: [];
			return { descriptions, hiddenDeclarations };
		},
		parseArgs(raw) {
			const parsed = v.safeParse(argsSchema, raw);
			if (!parsed.success)
				throw new ToolArgumentError('Validation failed for tool "codemode":\n  - code: must be string');
			return parsed.output;
		},
		async execute(toolCallId, args, signal, onUpdate): Promise<AgentToolResult<CodemodeDetails>> {
			const { executeScript } = await import("./execute.ts");
			return executeScript({ toolCallId, code: args.code, signal, onUpdate, host });
		},
	};
}

/** Text of a nested result, as one string. */
export function resultText(result: AgentToolResult): string {
	return result.content
		.filter((block): block is TextContent => block.type === "text")
		.map((block) => block.text)
		.join("\n");
}

export function previewJson(value: unknown, max: number): string {
	try {
		const json = JSON.stringify(value) ?? "";
		return json.length > max ? `${json.slice(0, max - 3)}...` : json;
	} catch (error) {
		return errorMessage(error);
	}
}

export { declaredTool };
