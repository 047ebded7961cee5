/**
 * Agent-level types shared by the loop, the tools, the session layer and the modes.
 * AgentMessage extends the LLM message model with the coding agent's own roles (pi-spec §3.3, §5.1).
 */
import type {
	AssistantMessageEvent,
	ImageContent,
	JsonSchema,
	Message,
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
	| BashExecutionMessage
	| CustomMessage
	| BranchSummaryMessage
	| CompactionSummaryMessage;

/** What a tool returns: content goes to the model, details only to UIs and the session file. */
export interface AgentToolResult<TDetails = unknown> {
	content: (TextContent | ImageContent)[];
	details?: TDetails;
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
	parseArgs(raw: unknown): TArgs;
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
	| { type: "tool_execution_start"; toolCallId: string; toolName: string; args: unknown }
	| {
			type: "tool_execution_update";
			toolCallId: string;
			toolName: string;
			args: unknown;
			partialResult: AgentToolResult;
	  }
	| {
			type: "tool_execution_end";
			toolCallId: string;
			toolName: string;
			result: AgentToolResult;
			isError: boolean;
	  };
