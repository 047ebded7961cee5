/**
 * Names the model and codemode scripts see: `mcp__<server>__<tool>` tool names, `mcp__<server>` namespaces, and a
 * server's one-line summary. Same rules as pi 1.6.0 and Codex, so tool names in sessions stay stable across clients.
 */
import { createHash } from "node:crypto";

/** Providers accept tool names of at most 64 characters of `[A-Za-z0-9_-]`. */
const MAX_TOOL_NAME_LENGTH = 64;
const HASH_LENGTH = 8;

/** The plain name, before any collision suffix: every character but `[A-Za-z0-9_]` becomes `_`. */
export function plainToolName(server: string, tool: string): string {
	return `mcp__${server}__${tool}`.replace(/[^A-Za-z0-9_]/g, "_");
}

/**
 * The tool's name. A name that is too long, or that `isTaken` says belongs to another tool (two tools that sanitize
 * alike, `a-b` and `a_b`), gets a hash of the server and tool name instead of its tail.
 */
export function mcpToolName(server: string, tool: string, isTaken: (name: string) => boolean = () => false): string {
	const name = plainToolName(server, tool);
	if (name.length <= MAX_TOOL_NAME_LENGTH && !isTaken(name)) return name;
	const hash = createHash("sha256").update(`${server}\0${tool}`).digest("hex").slice(0, HASH_LENGTH);
	return `${name.slice(0, MAX_TOOL_NAME_LENGTH - HASH_LENGTH - 1)}_${hash}`;
}

/**
 * Names for every tool of one server, in its list order. All tools whose plain names collide get the suffix, so
 * which one keeps the plain name never depends on the order the server lists them in.
 */
export function assignToolNames(
	server: string,
	tools: readonly string[],
	takenElsewhere: (name: string) => boolean = () => false,
): Map<string, string> {
	const counts = new Map<string, number>();
	for (const tool of new Set(tools)) {
		const plain = plainToolName(server, tool);
		counts.set(plain, (counts.get(plain) ?? 0) + 1);
	}
	const names = new Map<string, string>();
	const used = new Set<string>();
	for (const tool of tools) {
		if (names.has(tool)) continue;
		const name = mcpToolName(
			server,
			tool,
			(candidate) => used.has(candidate) || (counts.get(candidate) ?? 0) > 1 || takenElsewhere(candidate),
		);
		names.set(tool, name);
		used.add(name);
	}
	return names;
}

/** `mcp__<server>` with `-` as `_`: servers whose names differ only in `-`/`_` would share it. */
export function mcpNamespace(server: string): string {
	return `mcp__${server.replace(/-/g, "_")}`;
}

/** The first line of the configured description, else of the server's instructions; "" when neither. */
export function serverSummary(description: string | undefined, instructions: string | undefined): string {
	const text = description?.trim() || instructions?.trim() || "";
	return (text.split("\n", 1)[0] ?? "").trim();
}

/** MCP resource tools reach every server with resources; they count as MCP tools for `--tools` and exposure. */
export const LIST_RESOURCES_TOOL = "list_mcp_resources";
export const LIST_RESOURCE_TEMPLATES_TOOL = "list_mcp_resource_templates";
export const READ_RESOURCE_TOOL = "read_mcp_resource";
export const RESOURCE_TOOL_NAMES: ReadonlySet<string> = new Set([
	LIST_RESOURCES_TOOL,
	LIST_RESOURCE_TEMPLATES_TOOL,
	READ_RESOURCE_TOOL,
]);

/** Whether a tool name belongs to MCP: a server tool or a resource tool. */
export function isMcpToolName(name: string): boolean {
	return name.startsWith("mcp__") || RESOURCE_TOOL_NAMES.has(name);
}
