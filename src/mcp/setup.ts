/**
 * MCP, codemode and tool_search for one pi run, wired into the AgentSession. Startup reads mcp.json (two small
 * files) and nothing else: with no server configured and neither codemode nor tool_search asked for, nothing is
 * created and no MCP or sandbox code is loaded. Otherwise the discovery tools are created (inactive until needed),
 * the servers connect in the background once the session exists, the first prompt waits (at most 10 s) for servers
 * with `direct` tools, and every prompt refreshes the `mcp_servers` prompt section.
 */
import * as v from "valibot";
import type { AgentSession } from "../agent/agent-session.ts";
import type { AgentTool } from "../agent/types.ts";
import { CODEMODE_STORE_ENTRY, CODEMODE_TOOL_NAME, createCodemodeTool } from "../codemode/tool.ts";
import type { InteractiveUi } from "../modes/interactive/ui-host.ts";
import { createToolSearchTool, TOOL_SEARCH_TOOL_NAME } from "../tool-search/tool.ts";
import { onShutdown } from "../util/shutdown.ts";
import type { LoadedMcpConfig, McpServerEntry } from "./config-file.ts";
import { McpManager } from "./manager.ts";
import { mcpNamespace } from "./naming.ts";
import type { RegisteredMcpServer } from "./registrations.ts";

export const MCP_SERVERS_SECTION = "mcp_servers";

export interface McpSetupOptions {
	cwd: string;
	/** `--no-mcp`: no servers, no MCP tools (codemode and tool_search still work when asked for). */
	noMcp: boolean;
	projectTrusted: boolean;
	/** `codemode.inlineBudget` from settings. */
	inlineBudget?: number;
	/** `codemode.mode` from settings. */
	codemodeMode?: "on" | "only";
}

type Notify = (message: string, level: "info" | "warning" | "error") => void;

/** The servers extensions registered, and news of changes (the extension host). */
export interface ExtensionServers {
	mcpServers(): RegisteredMcpServer[];
	onMcpServersChange(listener: () => void): () => void;
}

/** A `codemode-store` entry's data: the keys a script set and deleted (the session file is outside data). */
const StoreDataSchema = v.object({ set: v.record(v.string(), v.unknown()), delete: v.array(v.string()) });

/** The values `codemode-store` entries on the branch leave, applied from the root. */
export function readCodemodeStore(session: AgentSession): Record<string, unknown> {
	const values = new Map<string, unknown>();
	for (const entry of session.sessionManager.getBranch()) {
		if (entry.type !== "custom" || entry.customType !== CODEMODE_STORE_ENTRY) continue;
		const data = v.safeParse(StoreDataSchema, entry.data);
		if (!data.success) continue;
		for (const key of data.output.delete) values.delete(key);
		for (const [key, value] of Object.entries(data.output.set)) values.set(key, value);
	}
	return Object.fromEntries(values);
}

export class McpSetup {
	/** Created inactive; added to the session's tools before it starts. */
	readonly tools: AgentTool[] = [];
	private session: AgentSession | undefined;
	private manager: McpManager | undefined;
	private notify: Notify;
	private readonly queued: Parameters<Notify>[] = [];
	private warnedUnreachable = false;

	private constructor(
		private readonly options: McpSetupOptions,
		private readonly config: LoadedMcpConfig,
		private readonly extensions?: ExtensionServers,
	) {
		this.notify = (...args) => this.queued.push(args);
		const host = {
			callableTools: () => this.session?.getCallableTools() ?? [],
			waitForTools: (reach: "all" | readonly string[], signal: AbortSignal) =>
				this.manager?.waitFor(reach, signal) ?? Promise.resolve(),
		};
		this.tools.push(
			createCodemodeTool({
				...host,
				executeTool: (parent, name, args, signal) => {
					if (!this.session) throw new Error("codemode needs a session");
					return this.session.executeNestedTool(parent, name, args, signal);
				},
				readStore: () => (this.session ? readCodemodeStore(this.session) : {}),
				appendStore: (data) => this.session?.sessionManager.appendCustomEntry(CODEMODE_STORE_ENTRY, data),
				inlineBudget: () => options.inlineBudget,
				mode: () => options.codemodeMode ?? "on",
			}) as AgentTool,
			createToolSearchTool({
				allTools: () => this.session?.getAllTools() ?? [],
				activeToolNames: () => this.session?.getActiveToolNames() ?? [],
				setActiveTools: (names) => this.session?.setActiveTools(names),
				waitForTools: (signal) => host.waitForTools("all", signal),
			}) as AgentTool,
		);
	}

	static create(options: McpSetupOptions, config: LoadedMcpConfig, extensions?: ExtensionServers): McpSetup {
		return new McpSetup(options, config, extensions);
	}

	/** Where notices go from now on (stderr, the interactive screen); earlier ones are delivered at once. */
	setNotifier(notify: Notify): void {
		this.notify = notify;
		for (const args of this.queued.splice(0)) notify(...args);
	}

	/** Start: the session exists now. Servers connect in the background. */
	attach(session: AgentSession): void {
		this.session = session;
		const { servers: configured, errors } = this.config;
		const servers = [...configured, ...this.registeredEntries()];
		this.manager = new McpManager({
			cwd: this.options.cwd,
			servers,
			createAuth: async (entry) => (await import("./oauth/auth.ts")).createMcpAuth(entry),
			host: {
				registerTools: (tools) => session.registerTools(tools),
				notify: (message, level) => this.notify(message, level),
			},
		});
		onShutdown(() => this.manager?.close({ exiting: true }));
		this.activateDiscovery();
		session.setPromptSection(MCP_SERVERS_SECTION, this.manager.promptSection());
		this.manager.start();
		const stop = this.extensions?.onMcpServersChange(() => this.syncRegistered());
		if (stop) onShutdown(stop);
		// Once everything tried to connect, one message for everything that needs the user.
		void this.manager.settled().then(() => {
			const lines = [...errors.map((error) => `config: ${error}`), ...(this.manager?.problems() ?? [])];
			if (lines.length > 0) {
				this.notify(
					`MCP servers need attention:\n${lines.map((line) => `  ${line}`).join("\n")}\nRun /mcp to fix.`,
					"warning",
				);
			}
		});
	}

	/**
	 * Registered servers as entries, except names mcp.json defines (or that differ from one only in `-`/`_`):
	 * the file takes precedence.
	 */
	private registeredEntries(): McpServerEntry[] {
		const configured = new Set(this.config.servers.map((entry) => mcpNamespace(entry.name)));
		return (this.extensions?.mcpServers() ?? [])
			.filter((server) => !configured.has(mcpNamespace(server.name)))
			.map((server) => ({
				name: server.name,
				config: server.config,
				source: server.extensionPath,
				scope: "extension",
			}));
	}

	/** Extensions registered or withdrew servers (or reloaded): connect the new ones, close the withdrawn ones. */
	private syncRegistered(): void {
		const manager = this.manager;
		if (!manager) return;
		const next = new Map(this.registeredEntries().map((entry) => [entry.name, entry]));
		for (const server of [...manager.servers]) {
			if (server.entry.scope !== "extension") continue;
			const wanted = next.get(server.entry.name);
			// Gone, or registered again with another config: closed (and connected again below).
			if (!wanted || JSON.stringify(wanted.config) !== JSON.stringify(server.entry.config)) {
				void manager.removeServer(server.entry.name);
			} else next.delete(server.entry.name);
		}
		for (const entry of next.values()) manager.addServer(entry);
		this.activateDiscovery();
		this.session?.setPromptSection(MCP_SERVERS_SECTION, manager.promptSection());
	}

	get mcp(): McpManager | undefined {
		return this.manager;
	}

	/** Interactive mode is up: notices go to the screen, and `/mcp` is registered. */
	async attachUi(ui: InteractiveUi): Promise<void> {
		this.setNotifier((message, level) => ui.notify(message, level));
		if (!this.manager) return;
		const { createMcpCommand } = await import("./mcp-command.ts");
		ui.commands.register(
			createMcpCommand({
				manager: this.manager,
				projectFile: this.config.projectFile,
				activateDiscovery: () => this.activateDiscovery(),
			}),
		);
	}

	/**
	 * Before each prompt: wait for servers with direct tools (first prompt only, at most 10 s) and refresh the
	 * `mcp_servers` section (a server's summary may have arrived with its connection).
	 */
	async beforePrompt(): Promise<void> {
		if (!this.manager || !this.session) return;
		await this.manager.waitForDirectServers(this.session.getPendingToolNames());
		await this.manager.reconnectSignedIn();
		this.session.setPromptSection(MCP_SERVERS_SECTION, this.manager.promptSection());
	}

	/**
	 * Servers with `codemode` tools turn codemode on (unless `autoEnableCodemode` is false), servers with `deferred`
	 * tools turn tool_search on. Warn once when neither is on and such tools cannot be reached.
	 */
	private activateDiscovery(): void {
		const session = this.session;
		const manager = this.manager;
		if (!session || !manager) return;
		const exposures = manager.configuredExposures();
		const wantsCodemode = exposures.has("codemode");
		const wantsSearch = exposures.has("deferred");
		if (!wantsCodemode && !wantsSearch) return;
		const active = session.getActiveToolNames();
		const add: string[] = [];
		if (wantsCodemode && this.config.autoEnableCodemode && session.getTool(CODEMODE_TOOL_NAME))
			add.push(CODEMODE_TOOL_NAME);
		if (wantsSearch && session.getTool(TOOL_SEARCH_TOOL_NAME)) add.push(TOOL_SEARCH_TOOL_NAME);
		const wanted = add.filter((name) => !active.includes(name));
		if (wanted.length > 0) session.setActiveTools([...active, ...wanted]);
		const now = session.getActiveToolNames();
		if (now.includes(CODEMODE_TOOL_NAME) || now.includes(TOOL_SEARCH_TOOL_NAME) || this.warnedUnreachable) return;
		this.warnedUnreachable = true;
		const reason = wantsCodemode && !this.config.autoEnableCodemode ? " (autoEnableCodemode is false)" : "";
		this.notify(
			`MCP tools are only reachable from the codemode or tool_search tool, but neither is active${reason}; they cannot be called.`,
			"warning",
		);
	}
}
