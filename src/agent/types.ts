/**
 * Agent-level types shared by the loop, the tools, the session layer and the modes.
 * AgentMessage extends the LLM message model with the coding agent's own roles (pi-spec §3.3, §5.1).
 */
import type {
	AssistantMessageEvent,
	ConstrainedSampling,
	ImageContent,
	JsonSchema,
	Message,
	SystemMessage,
	TextContent,
	ToolResultMessage,
} from "../ai/types.ts";

/** Output of `!cmd` / `!!cmd` in the editor, stored as a `message` entry. */
export interface BashExecutionMessage {
	role: "bashExecution";
	command: string;
	output: string;
	exitCode: number | undefined;
	cancelled: boolean;
	truncated: boolean;
	fullOutputPath?: string;
	timestamp: number;
	/** `!!cmd`: shown and kept, but never sent to the model. */
	excludeFromContext?: boolean;
}

/** Extension/injected message; persisted as a `custom_message` entry. */
export interface CustomMessage {
	role: "custom";
	customType: string;
	content: string | (TextContent | ImageContent)[];
	display: boolean;
	details?: unknown;
	timestamp: number;
}

/** In memory only: rebuilt from `branch_summary` entries. */
export interface BranchSummaryMessage {
	role: "branchSummary";
	summary: string;
	fromId: string;
	timestamp: number;
}

/** In memory only: rebuilt from the latest `compaction` entry. */
export interface CompactionSummaryMessage {
	role: "compactionSummary";
	summary: string;
	tokensBefore: number;
	timestamp: number;
}

export type AgentMessage =
	| Message
	| SystemMessage
	| BashExecutionMessage
	| CustomMessage
	| BranchSummaryMessage
	| CompactionSummaryMessage;

/** What a tool returns: content goes to the model, details only to UIs and the session file. */
export interface AgentToolResult<TDetails = unknown> {
	content: (TextContent | ImageContent)[];
	details?: TDetails;
	/** Machine-readable result matching the tool's `outputSchema`, for codemode scripts; never sent to the model. */
	structuredContent?: unknown;
	/** A failure reported without throwing: the model sees `content` as an error, scripts keep structuredContent. */
	isError?: boolean;
	/** Ask the agent to stop after this batch of tool calls (only when every result of the batch does). */
	terminate?: boolean;
}

/**
 * How a tool reaches the model (pi 1.6.0): `direct` tools are declared when active; `codemode` tools are also
 * listed in the codemode tool's description; `deferred` tools are callable from codemode scripts without being
 * listed, and `tool_search` can load (activate) them — MCP tools with `codemode` or `deferred` exposure are these;
 * `hidden` tools are unreachable; `model-only` tools (codemode, tool_search) are never called from scripts.
 */
export type ToolExposure = "direct" | "codemode" | "deferred" | "hidden" | "model-only";

/** MCP tool annotations, with their meaning (docs/mcp.md "Permissions"). */
export interface ToolAnnotations {
	readOnlyHint?: boolean;
	destructiveHint?: boolean;
	idempotentHint?: boolean;
	openWorldHint?: boolean;
}

/** A group of related tools, such as one MCP server's (`mcp__<server>`), for codemode listings and search. */
export interface ToolNamespace {
	name: string;
	/** Other names scripts may look it up by (the server name). */
	aliases?: string[];
	description?: string;
	/** Longer usage notes, read by scripts with describeNamespace(). */
	instructions?: string;
}

export type ToolUpdateCallback<TDetails = unknown> = (partial: AgentToolResult<TDetails>) => void;

/**
 * A tool the agent can run. `parameters` is the JSON Schema sent to the model (byte-identical to pi's);
 * `parseArgs` validates the model's arguments (valibot) and returns typed args or throws a ToolArgumentError
 * with a message for the model. `execute` throws to produce an error result (its message becomes the text).
 */
export interface AgentTool<TArgs = unknown, TDetails = unknown> {
	name: string;
	/** Human label for UIs. */
	label: string;
	description: string;
	parameters: JsonSchema;
	/** JSON Schema of `structuredContent` (codemode scripts resolve to it instead of the text). */
	outputSchema?: JsonSchema;
	/** Default `direct`. */
	exposure?: ToolExposure;
	/** MCP's hints about what the tool does (unverified); permission extensions may use them. */
	annotations?: ToolAnnotations;
	namespace?: ToolNamespace;
	/** The one-line entry in the system prompt's tool list; built-in tools have theirs in tools/registry.ts. */
	promptSnippet?: string;
	promptGuidelines?: readonly string[];
	/**
	 * A tool that orchestrates others (codemode) adjusts what the model sees while it is active: replacement
	 * descriptions for declared tools, including its own. Runs whenever the active tools change.
	 */
	prepareLoadout?(loadout: { declared: readonly AgentTool[]; callable: readonly AgentTool[] }): {
		descriptions: Record<string, string>;
		/** Active tools whose declarations requests leave out; they stay active and callable (codemode `only`). */
		hiddenDeclarations?: string[];
	};
	/** Declared with the tool (pi 1.6.0); providers may use it to constrain sampled arguments. */
	constrainedSampling?: ConstrainedSampling;
	parseArgs(raw: unknown): TArgs;
	/** Rewrites the raw arguments before validation (old argument shapes of a tool). */
	prepareArguments?(raw: Record<string, unknown>): Record<string, unknown>;
	/** "sequential": a turn with a call of this tool runs all its calls one after another. */
	executionMode?: "parallel" | "sequential";
	execute(
		toolCallId: string,
		args: TArgs,
		signal: AbortSignal,
		onUpdate: ToolUpdateCallback<TDetails>,
	): Promise<AgentToolResult<TDetails>>;
}

/** Agent events, field for field as pi emits them (pi-spec §5.6); JSON mode prints these as lines. */
export type AgentEvent =
	| { type: "agent_start" }
	| { type: "agent_end"; messages: AgentMessage[] }
	| { type: "turn_start" }
	| { type: "turn_end"; message: AgentMessage; toolResults: ToolResultMessage[] }
	| { type: "message_start"; message: AgentMessage }
	| { type: "message_update"; message: AgentMessage; assistantMessageEvent: AssistantMessageEvent }
	| { type: "message_end"; message: AgentMessage }
	| { type: "tool_execution_start"; toolCallId: string; toolName: string; args: unknown; parentToolCallId?: string }
	| {
			type: "tool_execution_update";
			toolCallId: string;
			toolName: string;
			args: unknown;
			partialResult: AgentToolResult;
			/** Set on calls a running tool made (codemode scripts): the id of that tool call. */
			parentToolCallId?: string;
	  }
	| {
			type: "tool_execution_end";
			toolCallId: string;
			toolName: string;
			result: AgentToolResult;
			isError: boolean;
			parentToolCallId?: string;
			/** pi 1.6.0: how long the tool ran; absent for calls that never ran (unknown tool, bad arguments). */
			durationMs?: number;
	  };
