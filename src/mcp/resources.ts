/**
 * MCP resources through the tools Codex and opencode use, so models trained on them work unchanged:
 * `list_mcp_resources`, `list_mcp_resource_templates` and `read_mcp_resource`. They take a `server` argument and
 * reach every enabled, non-hidden server with resources. Listings are JSON: with `server` one page (`cursor`
 * continues), without it every page of every server. MCP App resources (`ui://`, `profile=mcp-app` HTML) and icons
 * are left out: pi does not render them. Read resources become text and images; binary ones go to temp files.
 */
import * as v from "valibot";
import type { AgentTool, AgentToolResult, ToolExposure } from "../agent/types.ts";
import type { ImageContent, TextContent } from "../ai/types.ts";
import { ToolArgumentError } from "../tools/tool-args.ts";
import { errorMessage } from "../util/errors.ts";
import type { McpConnection } from "./connection.ts";
import { LIST_RESOURCE_TEMPLATES_TOOL, LIST_RESOURCES_TOOL, READ_RESOURCE_TOOL } from "./naming.ts";
import { limitContent, resourceToContent } from "./results.ts";
import type { McpToolDetails } from "./tools.ts";

const text = (description: string) => ({ type: "string", description });
const LIST_PARAMETERS = {
	type: "object",
	properties: {
		server: text("MCP server name. Omit to list every server with resources."),
		cursor: text("Opaque cursor from a previous call with the same server; omit for the first page."),
	},
	additionalProperties: false,
};
const READ_PARAMETERS = {
	type: "object",
	properties: {
		server: text(
			"MCP server name exactly as configured. Must match the 'server' field returned by list_mcp_resources.",
		),
		uri: text("Resource URI to read. Must be one of the URIs returned by list_mcp_resources."),
	},
	required: ["server", "uri"],
	additionalProperties: false,
};

const listArgs = v.object({ server: v.optional(v.string()), cursor: v.optional(v.string()) });
const readArgs = v.object({ server: v.string(), uri: v.string() });

function parse<T extends v.GenericSchema>(schema: T, tool: string, raw: unknown): v.InferOutput<T> {
	const result = v.safeParse(schema, raw ?? {});
	if (result.success) return result.output;
	const issue = result.issues[0];
	const path = issue.path?.map((item) => String(item.key)).join(".") || "arguments";
	throw new ToolArgumentError(`Validation failed for tool "${tool}":\n  - ${path}: ${issue.message}`);
}

function isAppResource(item: { uri?: string; uriTemplate?: string; mimeType?: string }): boolean {
	const uri = item.uri ?? item.uriTemplate ?? "";
	return uri.startsWith("ui://") || /;\s*profile\s*=\s*"?mcp-app"?/i.test(item.mimeType ?? "");
}

/** A listed item without `_meta` and icons, tagged with its server. */
function tagged(server: string, item: object): Record<string, unknown> {
	const { _meta: _m, icons: _i, ...rest } = item as Record<string, unknown>;
	return { server, ...rest };
}

async function jsonResult(
	tool: string,
	server: string | undefined,
	payload: object,
): Promise<AgentToolResult<McpToolDetails>> {
	const { content, fullOutputPath } = await limitContent([{ type: "text", text: JSON.stringify(payload) }]);
	return {
		content,
		details: { server: server ?? "", tool, ...(fullOutputPath ? { fullOutputPath } : {}) },
		structuredContent: payload,
	};
}

type Listed = { uri?: string; uriTemplate?: string; mimeType?: string };
type ListedPage = { items: Listed[]; nextCursor?: string };

export interface ResourceToolsOptions {
	exposure: ToolExposure;
	/** Connections whose resources the tools reach, at call time. */
	servers: () => readonly McpConnection[];
	/** Wait for servers that are still connecting (every server may have resources). */
	ready: (signal: AbortSignal) => Promise<void>;
}

export function createResourceTools(options: ResourceToolsOptions): AgentTool[] {
	const find = (name: string): McpConnection => {
		const servers = options.servers();
		const found = servers.find((server) => server.name === name);
		if (found) return found;
		const names = servers.map((server) => server.name).join(", ");
		throw new Error(`MCP server "${name}" has no resources${names ? `. Servers with resources: ${names}` : ""}`);
	};

	const list = async (
		tool: string,
		key: "resources" | "resourceTemplates",
		raw: unknown,
		signal: AbortSignal,
		page: (server: McpConnection, cursor: string | undefined) => Promise<ListedPage>,
		all: (server: McpConnection) => Promise<Listed[]>,
	) => {
		const args = parse(listArgs, tool, raw);
		await options.ready(signal);
		const serverName = args.server?.trim() || undefined;
		const cursor = args.cursor?.trim() || undefined;
		if (serverName) {
			const server = find(serverName);
			const result = await page(server, cursor);
			const items = result.items.filter((item) => !isAppResource(item)).map((item) => tagged(server.name, item));
			return jsonResult(tool, server.name, {
				server: server.name,
				[key]: items,
				...(result.nextCursor === undefined ? {} : { nextCursor: result.nextCursor }),
			});
		}
		if (cursor) throw new Error("cursor can only be used when a server is specified");
		const servers = [...options.servers()].sort((a, b) => a.name.localeCompare(b.name));
		const settled = await Promise.allSettled(servers.map((server) => all(server)));
		const items: Record<string, unknown>[] = [];
		const errors: { server: string; error: string }[] = [];
		settled.forEach((result, index) => {
			const server = servers[index]?.name ?? "";
			if (result.status === "rejected") errors.push({ server, error: errorMessage(result.reason) });
			else items.push(...result.value.filter((item) => !isAppResource(item)).map((item) => tagged(server, item)));
		});
		return jsonResult(tool, undefined, { [key]: items, ...(errors.length > 0 ? { errors } : {}) });
	};

	const common = { exposure: options.exposure, outputSchema: { type: "object" }, annotations: { readOnlyHint: true } };
	/** A list tool: one server's page (with its cursor) or every server's items, errors reported per server. */
	const listTool = (
		name: string,
		key: "resources" | "resourceTemplates",
		description: string,
		page: (server: McpConnection, cursor: string | undefined, signal: AbortSignal) => Promise<ListedPage>,
		all: (server: McpConnection, signal: AbortSignal) => Promise<Listed[]>,
	): AgentTool => ({
		...common,
		name,
		label: name,
		description,
		parameters: LIST_PARAMETERS,
		parseArgs: (raw) => parse(listArgs, name, raw),
		execute: (_id, raw, signal) =>
			list(
				name,
				key,
				raw,
				signal,
				(server, cursor) => page(server, cursor, signal),
				(server) => all(server, signal),
			),
	});
	const listResources = listTool(
		LIST_RESOURCES_TOOL,
		"resources",
		"Lists resources provided by MCP servers. Resources allow servers to share data that provides context to language models, such as files, database schemas, or application-specific information. Prefer resources over web search when possible.",
		async (server, cursor, signal) => {
			const result = await server.listResourcesPage(cursor, signal);
			return { items: result.resources, nextCursor: result.nextCursor };
		},
		(server, signal) => server.allResources(signal),
	);
	const listTemplates = listTool(
		LIST_RESOURCE_TEMPLATES_TOOL,
		"resourceTemplates",
		"Lists resource templates provided by MCP servers. Parameterized resource templates allow servers to share data that takes parameters and provides context to language models, such as files, database schemas, or application-specific information. Prefer resource templates over web search when possible.",
		async (server, cursor, signal) => {
			const result = await server.listResourceTemplatesPage(cursor, signal);
			return { items: result.resourceTemplates, nextCursor: result.nextCursor };
		},
		(server, signal) => server.allResourceTemplates(signal),
	);
	const readResource: AgentTool = {
		...common,
		name: READ_RESOURCE_TOOL,
		label: READ_RESOURCE_TOOL,
		description: "Read a specific resource from an MCP server given the server name and resource URI.",
		parameters: READ_PARAMETERS,
		parseArgs: (raw) => parse(readArgs, READ_RESOURCE_TOOL, raw),
		async execute(_id, raw, signal) {
			const args = parse(readArgs, READ_RESOURCE_TOOL, raw);
			if (!args.server.trim()) throw new Error("server must be provided");
			if (!args.uri.trim()) throw new Error("uri must be provided");
			await options.ready(signal);
			const server = find(args.server.trim());
			const result = await server.readResource(args.uri.trim(), signal);
			const converted: (TextContent | ImageContent)[] = [];
			for (const contents of result.contents) {
				// Several contents (a directory, say) are labelled with their URIs.
				if (result.contents.length > 1) converted.push({ type: "text", text: `${contents.uri}:` });
				converted.push(...(await resourceToContent(contents)));
			}
			const { content, fullOutputPath } = await limitContent(
				converted.length > 0 ? converted : [{ type: "text", text: `Resource ${args.uri} is empty.` }],
			);
			const contents = result.contents.map(({ _meta: _dropped, ...rest }) => rest);
			return {
				content,
				details: { server: server.name, tool: READ_RESOURCE_TOOL, ...(fullOutputPath ? { fullOutputPath } : {}) },
				structuredContent: { server: server.name, uri: args.uri, contents },
			};
		},
	};
	return [listResources, listTemplates, readResource];
}
