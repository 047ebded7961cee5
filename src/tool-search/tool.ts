/**
 * `tool_search` (pi 1.6.0): ranks the tools that are not declared yet (`codemode`/`deferred` exposure, such as MCP
 * tools) and activates the matches, so the next model call declares them. Activation goes through the session's
 * active tool set, which records it like any other tool change. Its description never lists tools, so it stays the
 * same while MCP servers connect.
 */
import * as v from "valibot";
import type { AgentTool, AgentToolResult } from "../agent/types.ts";
import { ToolArgumentError } from "../tools/tool-args.ts";
import { DEFAULT_SEARCH_LIMIT, rankTools, searchDocument } from "./ranker.ts";

export const TOOL_SEARCH_TOOL_NAME = "tool_search";

const DESCRIPTION = `# Tool discovery\n\nSearches over deferred tool metadata with BM25 and exposes matching tools for the next model call.\n\nSome of the tools, such as tools of MCP servers, may not have been provided to you upfront, and you should use this tool (\`${TOOL_SEARCH_TOOL_NAME}\`) to search for the required tools. For MCP tool discovery, always use \`${TOOL_SEARCH_TOOL_NAME}\`.`;

const PARAMETERS = {
	type: "object",
	required: ["query"],
	properties: {
		query: { type: "string", description: "Search query for deferred tools." },
		limit: {
			type: "number",
			description: `Maximum number of tools to return. Defaults to ${DEFAULT_SEARCH_LIMIT}.`,
		},
	},
};

const argsSchema = v.object({ query: v.string(), limit: v.optional(v.number()) });

export interface ToolSearchHost {
	allTools(): AgentTool[];
	activeToolNames(): string[];
	setActiveTools(names: string[]): void;
	/** Wait for every MCP server still connecting: any of them may have the tool. */
	waitForTools(signal: AbortSignal): Promise<void>;
}

export interface ToolSearchDetails {
	/** Tools this call loaded. */
	loaded: string[];
}

export function createToolSearchTool(
	host: ToolSearchHost,
): AgentTool<v.InferOutput<typeof argsSchema>, ToolSearchDetails> {
	return {
		name: TOOL_SEARCH_TOOL_NAME,
		label: TOOL_SEARCH_TOOL_NAME,
		description: DESCRIPTION,
		promptSnippet: "Search for tools that are not loaded yet and load the matches",
		parameters: PARAMETERS,
		exposure: "model-only",
		parseArgs(raw) {
			const parsed = v.safeParse(argsSchema, raw);
			if (parsed.success) return parsed.output;
			const path = parsed.issues[0]?.path?.map((item) => String(item.key)).join(".") ?? "query";
			throw new ToolArgumentError(
				`Validation failed for tool "${TOOL_SEARCH_TOOL_NAME}":\n  - ${path}: ${parsed.issues[0]?.message}`,
			);
		},
		async execute(_id, { query, limit }, signal): Promise<AgentToolResult<ToolSearchDetails>> {
			if (query.trim() === "") throw new Error("query must not be empty");
			const max = limit ?? DEFAULT_SEARCH_LIMIT;
			if (!Number.isInteger(max) || max <= 0) throw new Error("limit must be a positive integer");
			await host.waitForTools(signal);
			const active = host.activeToolNames();
			const candidates = host
				.allTools()
				.filter(
					(tool) => (tool.exposure === "codemode" || tool.exposure === "deferred") && !active.includes(tool.name),
				);
			const names = rankTools(
				query,
				candidates.map((tool) => searchDocument(tool, tool.namespace)),
				max,
			);
			if (names.length > 0) host.setActiveTools([...active, ...names]);
			const lines = names.map((name) => {
				const description = candidates.find((tool) => tool.name === name)?.description ?? "";
				return `- ${name}: ${description.trim().split(/\r?\n/)[0]}`;
			});
			const text =
				names.length === 0
					? "No matching tools found."
					: `Loaded ${names.length} tool${names.length === 1 ? "" : "s"}. They are available from your next call:\n${lines.join("\n")}`;
			return { content: [{ type: "text", text }], details: { loaded: names } };
		},
	};
}
