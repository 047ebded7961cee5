/**
 * An MCP server tool as one of pi's tools, `mcp__<server>__<tool>`. The model sees the server's description and
 * input schema; the call goes to whichever connection the server has when it runs (it may have reconnected since
 * the tool was made). A result with `isError` is an error for the model but still carries the whole
 * `CallToolResult` as `structuredContent`, which codemode scripts resolve to.
 */
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import * as v from "valibot";
import type { AgentTool, AgentToolResult, ToolAnnotations, ToolExposure, ToolNamespace } from "../agent/types.ts";
import type { JsonSchema } from "../ai/types.ts";
import { ToolArgumentError } from "../tools/tool-args.ts";
import type { McpExposure } from "./config.ts";
import type { McpConnection } from "./connection.ts";
import { type McpCallResult, type McpContentBlock, resultToContent } from "./results.ts";

export interface McpToolDetails {
	server: string;
	tool: string;
	/** Temp file with the full text, when the model-facing text was truncated. */
	fullOutputPath?: string;
}

/**
 * MCP's codemode/deferred exposures are both "callable from scripts, not listed": pi's `deferred` tool exposure.
 * Which discovery tool the manager turns on is the only difference between them.
 */
export function toToolExposure(exposure: McpExposure): ToolExposure {
	return exposure === "codemode" ? "deferred" : exposure;
}

const CONTENT_BLOCK_SCHEMA = {
	type: "object",
	properties: {
		type: { enum: ["text", "image", "audio", "resource_link", "resource"] },
		text: { type: "string" },
		data: { type: "string" },
		mimeType: { type: "string" },
	},
	required: ["type"],
	additionalProperties: true,
};

/** Keywords whose values are data or maps of names, which a `$ref` rewrite must treat differently. */
const DATA_KEYWORDS = new Set(["const", "enum", "default", "examples"]);
const MAP_KEYWORDS = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions"]);

/** `schema` moved under `pointer` of another schema: its local `$ref`s are rewritten to keep resolving. */
function relocate(schema: unknown, pointer: string): unknown {
	if (Array.isArray(schema)) return schema.map((item) => relocate(item, pointer));
	if (typeof schema !== "object" || schema === null) return schema;
	return Object.fromEntries(
		Object.entries(schema).map(([key, value]) => {
			if (key === "$ref" && typeof value === "string" && (value === "#" || value.startsWith("#/"))) {
				return [key, `${pointer}${value.slice(1)}`];
			}
			if (DATA_KEYWORDS.has(key)) return [key, value];
			if (MAP_KEYWORDS.has(key) && typeof value === "object" && value !== null && !Array.isArray(value)) {
				return [key, Object.fromEntries(Object.entries(value).map(([name, sub]) => [name, relocate(sub, pointer)]))];
			}
			return [key, relocate(value, pointer)];
		}),
	);
}

/** What scripts resolve to: the CallToolResult, with the tool's own output schema as `structuredContent`. */
function resultSchema(outputSchema: Tool["outputSchema"]): JsonSchema {
	return {
		type: "object",
		properties: {
			content: { type: "array", items: CONTENT_BLOCK_SCHEMA },
			structuredContent: outputSchema ? relocate(outputSchema, "#/properties/structuredContent") : {},
			isError: { type: "boolean" },
		},
		required: ["content"],
		additionalProperties: true,
	};
}

/** Tool parameters must be an object schema; servers may omit `type` or `properties`, which providers reject. */
function inputSchema(schema: Tool["inputSchema"]): JsonSchema {
	return { ...schema, type: schema.type ?? "object", ...(schema.properties === undefined ? { properties: {} } : {}) };
}

const argumentsSchema = v.optional(v.record(v.string(), v.unknown()), {});

export interface McpToolOptions {
	server: string;
	tool: Tool;
	name: string;
	exposure: McpExposure;
	namespace: ToolNamespace;
	/** The server's connection as it is when the call runs; throws when the server is gone or the tool withdrawn. */
	connection: () => McpConnection;
	/** Whether read_mcp_resource can read this server's resources. */
	readableResources: () => boolean;
}

const HINTS = ["readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"] as const;

/** The boolean hints the server declares; undefined when it declares none. */
function annotationsOf(tool: Tool): ToolAnnotations | undefined {
	const annotations: ToolAnnotations = {};
	for (const hint of HINTS) {
		const value = tool.annotations?.[hint];
		if (typeof value === "boolean") annotations[hint] = value;
	}
	return Object.keys(annotations).length > 0 ? annotations : undefined;
}

export function createMcpTool(options: McpToolOptions): AgentTool<Record<string, unknown>, McpToolDetails> {
	const { server, tool } = options;
	const title = tool.title ?? tool.annotations?.title;
	const annotations = annotationsOf(tool);
	return {
		name: options.name,
		label: `${server}/${tool.name}`,
		description: tool.description?.trim() || title || `MCP tool ${tool.name} from server ${server}`,
		parameters: inputSchema(tool.inputSchema),
		outputSchema: resultSchema(tool.outputSchema),
		exposure: toToolExposure(options.exposure),
		namespace: options.namespace,
		...(annotations ? { annotations } : {}),
		parseArgs(raw) {
			const parsed = v.safeParse(argumentsSchema, raw);
			if (!parsed.success)
				throw new ToolArgumentError(`MCP tool ${server}/${tool.name} expects an object of arguments`);
			return parsed.output;
		},
		async execute(_id, args, signal, onUpdate): Promise<AgentToolResult<McpToolDetails>> {
			const connection = options.connection();
			const raw = await connection.callTool(tool.name, args, {
				signal,
				onProgress: (progress) => {
					const total = progress.total === undefined ? "" : `/${progress.total}`;
					const text = progress.message ?? `Progress ${progress.progress}${total}`;
					onUpdate({ content: [{ type: "text", text }], details: { server, tool: tool.name } });
				},
			});
			// The SDK validated the result against its schema; our content union is the part of it we read.
			const result: McpCallResult = {
				content: raw.content as McpContentBlock[],
				...(raw.structuredContent === undefined ? {} : { structuredContent: raw.structuredContent }),
				...(raw.isError ? { isError: true } : {}),
			};
			const { content, fullOutputPath } = await resultToContent(server, tool.name, result, {
				readableResources: options.readableResources(),
			});
			const { _meta: _dropped, ...scriptResult } = raw;
			return {
				content,
				details: { server, tool: tool.name, ...(fullOutputPath ? { fullOutputPath } : {}) },
				structuredContent: scriptResult,
				...(raw.isError ? { isError: true } : {}),
			};
		},
	};
}
