/**
 * The session's MCP servers: connects every enabled server in the background when the session starts, turns their
 * tools into pi tools (`mcp__<server>__<tool>`) with the configured exposure, keeps the resource tools in step, and
 * answers what the rest of pi asks: which servers a prompt or a script must wait for, the `mcp_servers` prompt
 * section, status for `pi mcp list` and `/mcp`. A broken server never blocks the others: each connects on its own
 * and its failure only shows in its status. The MCP SDK is imported (through connection.ts) only here, lazily.
 */
import { join } from "node:path";
import type { AgentTool, ToolNamespace } from "../agent/types.ts";
import { agentDir } from "../config/paths.ts";
import { errorMessage } from "../util/errors.ts";
import { configuredExposures, isHttpConfig, type McpExposure, serverExposure, toolExposure } from "./config.ts";
import type { McpServerEntry } from "./config-file.ts";
import type { McpConnection } from "./connection.ts";
import { McpServerLog } from "./log.ts";
import { assignToolNames, mcpNamespace, serverSummary } from "./naming.ts";
import { createResourceTools } from "./resources.ts";
import { createMcpTool, toToolExposure } from "./tools.ts";

/** How long the first prompt waits for servers whose tools are declared to the model. */
export const DEFAULT_STARTUP_WAIT_MS = 10_000;

export interface McpHost {
	/** Add tools or replace tools of the same name (a withdrawn tool comes back with `hidden` exposure). */
	registerTools(tools: AgentTool[]): void;
	/** A message for the user (interactive notice, stderr in print mode). */
	notify(message: string, level: "info" | "warning" | "error"): void;
}

export interface McpServer {
	entry: McpServerEntry;
	connection?: McpConnection;
	/** Settles when the latest connection attempt connected or failed. */
	ready?: Promise<void>;
}

type ConnectionModule = typeof import("./connection.ts");
let connectionModule: Promise<ConnectionModule> | undefined;
/** The SDK loads here, on first use. */
function loadConnectionModule(): Promise<ConnectionModule> {
	connectionModule ??= import("./connection.ts");
	return connectionModule;
}

export function isServerEnabled(server: { entry: McpServerEntry }): boolean {
	return server.entry.config.enabled !== false;
}

function hasDirectTools(entry: McpServerEntry): boolean {
	return configuredExposures(entry.config).has("direct");
}

function hasIndirectTools(entry: McpServerEntry): boolean {
	const exposures = configuredExposures(entry.config);
	return exposures.has("codemode") || exposures.has("deferred");
}

const SECTION_MAX_CHARS = 4096;
const SUMMARY_MAX_CHARS = 250;

function clip(text: string, max: number): string {
	if (text.length <= max) return text;
	return max <= 1 ? "" : `${text.slice(0, max - 1).trimEnd()}…`;
}

/**
 * The `mcp_servers` section (pi 1.6.0's text): every enabled server with codemode or deferred tools, how its tools
 * are reached, and a one-line summary. The model learns of these servers only from it. Summaries shrink to keep the
 * section within 4 KB; when the server lines alone do not fit, the last ones are counted instead of listed.
 */
export function renderServersSection(servers: readonly McpServer[]): string | undefined {
	const listed = servers
		.filter((server) => isServerEnabled(server) && hasIndirectTools(server.entry))
		.sort((a, b) => a.entry.name.localeCompare(b.entry.name));
	if (listed.length === 0) return undefined;
	const reaches = listed.map((server) =>
		configuredExposures(server.entry.config).has("codemode") ? "codemode" : "tool_search",
	);
	let intro = "MCP servers whose tools are not declared to you.";
	if (reaches.includes("codemode")) intro += " Call the tools of `codemode` servers from codemode scripts.";
	if (reaches.includes("tool_search")) intro += " Load the tools of `tool_search` servers with `tool_search`.";
	const heads = listed.map((server, index) => `- ${mcpNamespace(server.entry.name)} (${reaches[index]})`);
	const omitted = (count: number) =>
		count > 0 ? [`- … ${count} more server${count === 1 ? "" : "s"}; find their tools with searchTools()`] : [];
	const size = (kept: number) => [intro, ...heads.slice(0, kept), ...omitted(listed.length - kept)].join("\n").length;
	let kept = listed.length;
	while (kept > 0 && size(kept) > SECTION_MAX_CHARS) kept--;
	const perServer =
		kept === 0 ? 0 : Math.min(SUMMARY_MAX_CHARS, Math.floor((SECTION_MAX_CHARS - size(kept)) / kept) - 2);
	const lines = listed.slice(0, kept).map((server, index) => {
		const summary =
			perServer > 0
				? clip(serverSummary(server.entry.config.description, server.connection?.instructions), perServer)
				: "";
		return summary ? `${heads[index]}: ${summary}` : heads[index];
	});
	return [intro, ...lines, ...omitted(listed.length - kept)].join("\n");
}

/** Short state for lists: `connected · 3 tools`, `needs sign-in`, `failed: <first line>`. */
export function describeServerState(server: McpServer, withError = true): string {
	if (!isServerEnabled(server)) return "disabled";
	const connection = server.connection;
	if (!connection) return "starting";
	switch (connection.state) {
		case "needs-auth":
			return "needs sign-in";
		case "failed":
			return withError ? `failed: ${(connection.error ?? "unknown error").split("\n", 1)[0]}` : "failed";
		case "connected": {
			const count = connection.tools.length;
			return `connected · ${count} tool${count === 1 ? "" : "s"}${connection.hasResources ? " · resources" : ""}`;
		}
		case "connecting":
			return "connecting…";
		case "disconnected":
			return "disconnected, reconnects on next call";
		default:
			return connection.state;
	}
}

export interface McpManagerOptions {
	cwd: string;
	servers: McpServerEntry[];
	host: McpHost;
	/** Sign-in support for HTTP servers; without it, servers that need OAuth fail with the server's error. */
	createAuth?: (entry: McpServerEntry) => Promise<import("./oauth/provider.ts").McpAuth | undefined>;
	logPath?: string;
	startupWaitMs?: number;
}

export class McpManager {
	/** Configured servers, then registered ones (extensions may add and remove theirs while the session runs). */
	readonly servers: McpServer[];
	private readonly host: McpHost;
	private readonly log: McpServerLog;
	/** Tool name → `<server>\0<tool>`: names stay with their tool across reconnects. */
	private readonly owners = new Map<string, string>();
	/** Tool names each server currently offers. */
	private readonly offered = new Map<string, Set<string>>();
	/** The last tool made under each name, re-registered as hidden when withdrawn. */
	private readonly made = new Map<string, AgentTool>();
	private resourceExposure: McpExposure | undefined;
	/** Stored tokens of servers waiting for a sign-in, as they were then: a change means someone signed in. */
	private readonly tokensAtSignIn = new Map<McpConnection, string>();
	private readonly listeners = new Set<() => void>();
	private closed = false;
	private waitedForStartup = false;

	constructor(private readonly options: McpManagerOptions) {
		this.servers = options.servers.map((entry) => ({ entry }));
		this.host = options.host;
		this.log = new McpServerLog(options.logPath ?? join(agentDir(), "mcp.log"));
	}

	/** Tell `listener` about every state change (for /mcp); returns the unsubscribe function. */
	subscribe(listener: () => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	private changed(): void {
		for (const listener of this.listeners) listener();
	}

	find(name: string): McpServer | undefined {
		return this.servers.find((server) => server.entry.name === name);
	}

	/** Exposures of the enabled servers' tools, known from their configs before they connect. */
	configuredExposures(): Set<McpExposure> {
		const exposures = new Set<McpExposure>();
		for (const server of this.servers) {
			if (isServerEnabled(server))
				for (const exposure of configuredExposures(server.entry.config)) exposures.add(exposure);
		}
		return exposures;
	}

	/** Connect every enabled server in the background; the first frame is drawn before the SDK even loads. */
	start(): void {
		const enabled = this.servers.filter(isServerEnabled);
		if (enabled.length === 0) return;
		const afterFirstFrame = new Promise<void>((resolve) => setImmediate(resolve));
		for (const server of enabled) this.connect(server, afterFirstFrame);
	}

	/** Start (or restart) the server's connection; `server.ready` settles when it connected or failed. */
	private connect(server: McpServer, after?: Promise<void>): Promise<void> {
		const ready = (async () => {
			await after;
			if (this.closed || !isServerEnabled(server)) return;
			const { McpConnection } = await loadConnectionModule();
			if (this.closed) return;
			const auth = await this.options.createAuth?.(server.entry);
			const connection = new McpConnection({
				entry: server.entry,
				cwd: this.options.cwd,
				log: this.log,
				auth,
				onChange: (changed) => this.onConnectionChange(server, changed),
			});
			server.connection = connection;
			this.changed();
			await connection.getClient().catch(() => undefined);
		})().catch((error: unknown) => {
			this.host.notify(`MCP failed to load: ${errorMessage(error)}`, "error");
		});
		server.ready = ready;
		return ready;
	}

	private onConnectionChange(server: McpServer, connection: McpConnection): void {
		if (server.connection !== connection || this.closed) return;
		if (connection.state !== "needs-auth") this.tokensAtSignIn.delete(connection);
		else if (!this.tokensAtSignIn.has(connection))
			this.tokensAtSignIn.set(connection, connection.auth?.storedTokens() ?? "");
		if (connection.state === "connected") this.registerServerTools(server, connection);
		this.changed();
	}

	/** Make pi tools for the server's current tool list; tools it no longer offers become hidden. */
	private registerServerTools(server: McpServer, connection: McpConnection): void {
		const name = server.entry.name;
		const description = server.entry.config.description?.trim();
		const namespace: ToolNamespace = {
			name: mcpNamespace(name),
			aliases: [name],
			...(description ? { description } : {}),
			...(connection.instructions ? { instructions: connection.instructions } : {}),
		};
		const names = assignToolNames(
			name,
			connection.tools.map((tool) => tool.name),
			(candidate) => {
				const owner = this.owners.get(candidate);
				return owner !== undefined && !owner.startsWith(`${name}\0`);
			},
		);
		const previous = this.offered.get(name) ?? new Set<string>();
		const current = new Set<string>();
		const tools: AgentTool[] = [];
		for (const tool of connection.tools) {
			const toolName = names.get(tool.name);
			if (!toolName || current.has(toolName)) continue;
			current.add(toolName);
			this.owners.set(toolName, `${name}\0${tool.name}`);
			const made = createMcpTool({
				server: name,
				tool,
				name: toolName,
				exposure: toolExposure(server.entry.config, tool.name),
				namespace,
				connection: () => this.connectionFor(name, tool.name),
				readableResources: () => this.resourceServers().some((candidate) => candidate.name === name),
			});
			this.made.set(toolName, made as AgentTool);
			tools.push(made as AgentTool);
		}
		for (const old of previous) {
			const made = this.made.get(old);
			if (!current.has(old) && made) tools.push({ ...made, exposure: "hidden" });
		}
		this.offered.set(name, current);
		this.host.registerTools([...tools, ...this.syncResourceTools()]);
	}

	/** The connection a call runs on, checked at call time (the server may be disabled or the tool withdrawn). */
	private connectionFor(server: string, tool: string): McpConnection {
		const current = this.find(server);
		if (!current || !isServerEnabled(current)) throw new Error(`MCP server "${server}" is disabled.`);
		const connection = current.connection;
		if (!connection) throw new Error(`MCP server "${server}" is still starting.`);
		const withdrawn = connection.state === "connected" && !connection.tools.some((offered) => offered.name === tool);
		if (toolExposure(current.entry.config, tool) === "hidden" || withdrawn) {
			throw new Error(`MCP tool "${server}/${tool}" is no longer available.`);
		}
		return connection;
	}

	/** Connected, enabled, non-hidden servers that offer resources. */
	private resourceServers(): McpConnection[] {
		return this.servers.flatMap((server) =>
			server.connection?.hasResources && isServerEnabled(server) && serverExposure(server.entry.config) !== "hidden"
				? [server.connection]
				: [],
		);
	}

	/** The resource tools, when their exposure changed: the widest exposure among the servers they reach. */
	private syncResourceTools(): AgentTool[] {
		const exposures = new Set(
			this.servers
				.filter((server) => server.connection?.hasResources && isServerEnabled(server))
				.map((server) => serverExposure(server.entry.config)),
		);
		const widest =
			(["direct", "codemode", "deferred"] as const).find((exposure) => exposures.has(exposure)) ?? "hidden";
		if (widest === this.resourceExposure || (this.resourceExposure === undefined && widest === "hidden")) return [];
		this.resourceExposure = widest;
		return createResourceTools({
			exposure: toToolExposure(widest),
			servers: () => this.resourceServers(),
			ready: (signal) => this.waitFor("all", signal),
		});
	}

	/**
	 * The first prompt waits for servers with `direct` tools, so they are declared in its request, but at most
	 * `startupWaitMs`: a slow server must not hold up the prompt. Returns false when it gave up waiting.
	 */
	async waitForDirectServers(pendingTools: readonly string[] = []): Promise<boolean> {
		if (this.waitedForStartup) return true;
		this.waitedForStartup = true;
		// Also the servers of tools a resumed branch declares (loaded by tool_search earlier).
		const owners = (server: McpServer) => {
			const prefix = `${mcpNamespace(server.entry.name)}__`;
			return pendingTools.some((name) => name.startsWith(prefix));
		};
		const ready = this.servers.flatMap((server) =>
			isServerEnabled(server) && (hasDirectTools(server.entry) || owners(server)) && server.ready ? [server.ready] : [],
		);
		if (ready.length === 0) return true;
		let timer: ReturnType<typeof setTimeout> | undefined;
		const finished = await Promise.race([
			Promise.all(ready).then(() => true),
			new Promise<boolean>((resolve) => {
				timer = setTimeout(() => resolve(false), this.options.startupWaitMs ?? DEFAULT_STARTUP_WAIT_MS);
			}),
		]);
		clearTimeout(timer);
		if (!finished)
			this.host.notify("MCP servers are still connecting; their tools become available once connected.", "info");
		return finished;
	}

	/**
	 * Wait until the servers a call may reach have connected or failed: `all`, or the servers whose namespace one of
	 * the words names (a codemode script's words). Aborting the signal stops waiting, not the connections.
	 */
	async waitFor(reach: "all" | readonly string[], signal?: AbortSignal): Promise<void> {
		const waiting = this.servers.filter((server) => {
			if (!isServerEnabled(server) || !server.ready) return false;
			if (reach === "all") return true;
			const namespace = mcpNamespace(server.entry.name);
			return reach.some((word) => word.includes(namespace));
		});
		if (waiting.length === 0 || signal?.aborted) return;
		await new Promise<void>((resolve) => {
			const done = () => {
				signal?.removeEventListener("abort", done);
				resolve();
			};
			signal?.addEventListener("abort", done, { once: true });
			void Promise.all(waiting.map((server) => server.ready)).then(done);
		});
	}

	/** Reconnect servers that needed a sign-in and whose credentials were stored since (`pi mcp login` elsewhere). */
	async reconnectSignedIn(): Promise<void> {
		const signedIn = [...this.tokensAtSignIn].filter(
			([connection, tokens]) => connection.auth?.storedTokens() !== tokens,
		);
		for (const [connection] of signedIn) this.tokensAtSignIn.delete(connection);
		await Promise.allSettled(signedIn.map(([connection]) => this.reconnect(connection.name)));
	}

	/** Wait for every connection attempt (pi mcp list, a status request). */
	async settled(): Promise<void> {
		await Promise.all(this.servers.map((server) => server.ready));
	}

	/** The `mcp_servers` prompt section as it is now. */
	promptSection(): string | undefined {
		return renderServersSection(this.servers);
	}

	/** Problems worth telling the user once after startup: failed servers and servers that need a sign-in. */
	problems(): string[] {
		return this.servers.flatMap((server) => {
			const state = server.connection?.state;
			return state === "needs-auth" || state === "failed"
				? [`${server.entry.name}: ${describeServerState(server)}`]
				: [];
		});
	}

	/** Connect again (after a crash, a sign-in or a config change). Returns an error message on failure. */
	async reconnect(name: string): Promise<string | undefined> {
		const server = this.find(name);
		if (!server) return `No MCP server named "${name}".`;
		if (!isServerEnabled(server)) return `MCP server "${name}" is disabled.`;
		if (!server.connection) {
			await this.connect(server);
			return this.find(name)?.connection?.error;
		}
		const connection = server.connection;
		const ready = server.ready;
		const attempt = (async () => {
			await ready;
			await connection.reconnect();
		})();
		server.ready = attempt.catch(() => undefined);
		try {
			await attempt;
			return undefined;
		} catch (error) {
			return errorMessage(error);
		}
	}

	/** Apply a changed `enabled`/`exposure` to the running session (the caller saved it to the file). */
	async applyConfig(name: string, patch: { enabled?: boolean; exposure?: McpExposure }): Promise<void> {
		const server = this.find(name);
		if (!server) return;
		server.entry = { ...server.entry, config: { ...server.entry.config, ...patch } };
		if (patch.enabled === false) {
			const connection = server.connection;
			server.connection = undefined;
			server.ready = undefined;
			this.hideServerTools(name);
			this.changed();
			await connection?.close();
			return;
		}
		if (patch.enabled === true && !server.connection) {
			await this.connect(server);
			return;
		}
		if (server.connection?.state === "connected") this.registerServerTools(server, server.connection);
		this.changed();
	}

	private hideServerTools(server: string): void {
		const hidden = [...(this.offered.get(server) ?? [])].flatMap((name) => {
			const made = this.made.get(name);
			return made ? [{ ...made, exposure: "hidden" as const }] : [];
		});
		this.offered.set(server, new Set());
		this.host.registerTools([...hidden, ...this.syncResourceTools()]);
	}

	/** A server registered while the session runs (an extension): it connects at once. */
	addServer(entry: McpServerEntry): void {
		if (this.closed || this.find(entry.name)) return;
		const server: McpServer = { entry };
		this.servers.push(server);
		this.changed();
		void this.connect(server);
	}

	/** A server withdrawn while the session runs: its connection closes and its tools become unreachable. */
	async removeServer(name: string): Promise<void> {
		const server = this.find(name);
		if (!server) return;
		this.servers.splice(this.servers.indexOf(server), 1);
		const connection = server.connection;
		server.connection = undefined;
		this.hideServerTools(name);
		this.changed();
		await connection?.close();
	}

	/** Whether the server signs in with OAuth (HTTP without an Authorization header). */
	usesOAuth(name: string): boolean {
		const server = this.find(name);
		if (!server || !isHttpConfig(server.entry.config)) return false;
		return server.connection?.auth !== undefined;
	}

	/** Stop every server; stdio servers are stopped with their whole process group. `exiting`: pi is quitting. */
	async close(options: { exiting?: boolean } = {}): Promise<void> {
		this.closed = true;
		if (options.exiting && connectionModule) (await connectionModule).stopServersQuickly();
		await Promise.all(this.servers.map((server) => server.connection?.close()));
	}
}
