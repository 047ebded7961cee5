/** `pi mcp login` and `pi mcp logout`. */
import type { McpCommandContext } from "./cli.ts";
import type { McpServerEntry } from "./config-file.ts";

export async function runMcpLogin(
	entry: McpServerEntry,
	_timeoutMs: number,
	context: McpCommandContext,
): Promise<number> {
	context.error(`Signing in to MCP server "${entry.name}" is not supported by this build yet.`);
	return 1;
}

export async function runMcpLogout(entry: McpServerEntry, context: McpCommandContext): Promise<number> {
	context.log(`No stored credentials for MCP server "${entry.name}".`);
	return 0;
}
