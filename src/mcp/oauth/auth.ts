/**
 * OAuth for HTTP servers without an Authorization header (docs/mcp.md "Authenticate with OAuth").
 */
import type { McpServerEntry } from "../config-file.ts";
import type { McpAuth } from "./provider.ts";

export function createMcpAuth(_entry: McpServerEntry, _options: { interactive: boolean }): McpAuth | undefined {
	return undefined;
}
