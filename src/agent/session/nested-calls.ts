/**
 * Tool calls a running tool makes (codemode scripts call other tools). Each runs through the agent's tool pipeline
 * like a call from the model, so validation (and extension gates) apply, and its events carry `parentToolCallId`.
 * Ids are `<parent id>/<n>`, as in pi 1.6.0. Only the tools callable at that moment can run.
 */
import type { Agent } from "../agent.ts";
import type { FinishedCall } from "../tool-execution.ts";
import type { AgentTool, AgentToolResult } from "../types.ts";

/** pi's AgentToolCallOutcome (what an extension's ctx.executeTool resolves to), plus the call's id. */
export interface NestedCallOutcome extends FinishedCall {
	toolCallId: string;
}

export class NestedCalls {
	private readonly counts = new Map<string, number>();

	constructor(
		private readonly agent: Agent,
		private readonly callable: () => AgentTool[],
	) {}

	async run(
		parentToolCallId: string,
		name: string,
		args: unknown,
		signal: AbortSignal,
		onUpdate?: (partialResult: AgentToolResult) => void,
	): Promise<NestedCallOutcome> {
		const count = (this.counts.get(parentToolCallId) ?? 0) + 1;
		this.counts.set(parentToolCallId, count);
		const toolCallId = `${parentToolCallId}/${count}`;
		const tools = new Map(this.callable().map((tool) => [tool.name, tool]));
		const argumentsObject: Record<string, unknown> =
			typeof args === "object" && args !== null && !Array.isArray(args) ? { ...args } : {};
		const call = await this.agent.runNestedTool(
			{ type: "toolCall", id: toolCallId, name, arguments: argumentsObject },
			tools,
			parentToolCallId,
			signal,
			onUpdate,
		);
		return { ...call, toolCallId };
	}
}
