/**
 * MCP servers extensions register with `pi.registerMcpServer(name, config)` (docs/extensions.md "MCP Servers"): the
 * same shape as an mcp.json entry, validated the same way, for the current session only. One registry per load of
 * the extensions (a /reload starts a new one: extensions register again on every load). Registering a name again
 * replaces the extension's own earlier registration; a name another extension registered, an invalid name or an
 * invalid config throws. The built-in MCP support (setup.ts) connects them next to the mcp.json servers; a server
 * in mcp.json with the same name (or one differing only in `-`/`_`) takes precedence.
 */
import { type McpServerConfig, validateServerConfig } from "./config.ts";

export interface RegisteredMcpServer {
	name: string;
	config: McpServerConfig;
	/** Path of the extension that registered it. */
	extensionPath: string;
}

export class McpServerRegistry {
	private readonly servers = new Map<string, RegisteredMcpServer>();
	private readonly listeners = new Set<() => void>();

	register(name: string, raw: unknown, extensionPath: string): void {
		const owner = this.servers.get(name)?.extensionPath;
		if (owner !== undefined && owner !== extensionPath) {
			throw new Error(`MCP server "${name}" is already registered by ${owner}`);
		}
		const validated = validateServerConfig(name, raw);
		if (!validated.ok) throw new Error(validated.error);
		this.servers.set(name, { name, config: validated.config, extensionPath });
		this.changed();
	}

	/** Removes a server the extension registered; other extensions' servers are left alone. */
	unregister(name: string, extensionPath: string): void {
		if (this.servers.get(name)?.extensionPath !== extensionPath) return;
		this.servers.delete(name);
		this.changed();
	}

	/** Copies, in registration order. */
	list(): RegisteredMcpServer[] {
		return [...this.servers.values()].map((server) => ({ ...server, config: structuredClone(server.config) }));
	}

	onChange(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private changed(): void {
		for (const listener of this.listeners) listener();
	}
}
