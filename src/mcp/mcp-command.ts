/**
 * `/mcp` in interactive mode (docs/mcp.md "Inspect or change a server"): the servers, those needing attention first,
 * with state, tool count, exposure and source; per server its tools (with their effective exposure), the full error
 * with the stderr tail, reconnect, sign in/out, exposure, and enable/disable — saved to the file that defines the
 * server (or, in a trusted project, as a project override) without touching anything else in it.
 * `/mcp login|logout|reconnect [server]` do those directly.
 */
import type { CommandSuggestion, SlashCommandSpec } from "../modes/interactive/command-registry.ts";
import type { InteractiveUi } from "../modes/interactive/ui-host.ts";
import { errorMessage } from "../util/errors.ts";
import { isHttpConfig, MCP_EXPOSURES, type McpExposure, serverExposure, toolExposure } from "./config.ts";
import { type McpServerEntry, patchServerInFile, type ServerPatch } from "./config-file.ts";
import { openInBrowser } from "./login-command.ts";
import { describeServerState, isServerEnabled, type McpManager, type McpServer } from "./manager.ts";

const USAGE = "Usage: /mcp, /mcp login [server], /mcp logout [server], /mcp reconnect [server]";

function attentionRank(server: McpServer): number {
	if (!isServerEnabled(server)) return 5;
	switch (server.connection?.state) {
		case "needs-auth":
			return 0;
		case "failed":
			return 1;
		case "disconnected":
			return 2;
		case "connected":
			return 4;
		default:
			return 3;
	}
}

function transport(entry: McpServerEntry): string {
	const { config } = entry;
	return isHttpConfig(config) ? config.url : [config.command, ...(config.args ?? [])].join(" ");
}

function usesOAuthEntry(entry: McpServerEntry): boolean {
	const { config } = entry;
	return (
		isHttpConfig(config) && !Object.keys(config.headers ?? {}).some((key) => key.toLowerCase() === "authorization")
	);
}

export interface McpCommandHost {
	manager: McpManager;
	/** The trusted project's mcp.json, where project overrides go; undefined outside a trusted project. */
	projectFile?: string;
	/** Turn codemode / tool_search on again after an exposure change made them needed. */
	activateDiscovery(): void;
}

export function createMcpCommand(host: McpCommandHost): SlashCommandSpec<InteractiveUi> {
	const { manager } = host;
	const pick = async (
		ui: InteractiveUi,
		name: string | undefined,
		eligible: (server: McpServer) => boolean,
		none: string,
	) => {
		if (name) {
			const server = manager.find(name);
			if (!server) ui.showError(`No MCP server named "${name}".`);
			else if (!eligible(server)) ui.showError(none);
			return server && eligible(server) ? server : undefined;
		}
		const candidates = manager.servers.filter(eligible);
		if (candidates.length === 0) {
			ui.showStatus(none);
			return undefined;
		}
		if (candidates.length === 1) return candidates[0];
		const choice = await ui.dialogs.select(
			"MCP server",
			candidates.map((server) => server.entry.name),
		);
		return candidates.find((server) => server.entry.name === choice);
	};

	const signIn = async (ui: InteractiveUi, server: McpServer): Promise<void> => {
		const { signInToServer, SignInCancelledError } = await import("./oauth/auth.ts");
		const controller = new AbortController();
		const { name } = server.entry;
		try {
			await signInToServer(server.entry, {
				signal: controller.signal,
				onAuthorizationUrl: (url) => {
					ui.showInfo(`Sign in to MCP server "${name}" in your browser:\n${url.href}`);
					if (ui.isRealTerminal) openInBrowser(url.href);
				},
				promptRedirectUrl: (signal) =>
					ui.dialogs.input(
						`Waiting for sign-in to "${name}". If the browser cannot reach this machine, paste the URL it was redirected to.`,
						"http://127.0.0.1:.../callback?code=...",
						{ signal },
					),
			});
		} catch (error) {
			if (error instanceof SignInCancelledError) ui.showStatus("Sign-in cancelled.");
			else ui.showError(`Sign-in to MCP server "${name}" failed: ${errorMessage(error)}`);
			return;
		}
		const failure = await manager.reconnect(name);
		if (failure) ui.showError(`Signed in, but ${failure}`);
		else
			ui.showStatus(`Signed in to MCP server "${name}" (${manager.find(name)?.connection?.tools.length ?? 0} tools).`);
	};

	const signOut = async (ui: InteractiveUi, server: McpServer): Promise<void> => {
		const { signOutOfServer } = await import("./oauth/auth.ts");
		const removed = signOutOfServer(server.entry);
		await server.connection?.signOut();
		ui.showStatus(
			removed
				? `Signed out of MCP server "${server.entry.name}".`
				: `No stored credentials for MCP server "${server.entry.name}".`,
		);
	};

	/** Save to the defining file (or a project override) and apply to the running session. */
	const change = async (ui: InteractiveUi, server: McpServer, patch: ServerPatch, inProject = false): Promise<void> => {
		const { entry } = server;
		if (entry.scope === "extension") {
			// Registered by an extension: nothing to save, the change applies to this session.
			await manager.applyConfig(entry.name, patch);
			host.activateDiscovery();
			ui.showStatus(`Changed for this session (registered by ${entry.source}).`);
			return;
		}
		const file = inProject ? host.projectFile : (entry.override ?? entry.source);
		if (!file) {
			ui.showError("This project is not trusted, so it has no .pi/mcp.json to save to. Use /trust first.");
			return;
		}
		try {
			patchServerInFile(file, entry.name, patch, inProject || entry.override !== undefined);
		} catch (error) {
			ui.showError(`Could not update ${file}: ${errorMessage(error)}`);
			return;
		}
		if (inProject) server.entry = { ...entry, override: file };
		await manager.applyConfig(entry.name, patch);
		host.activateDiscovery();
		ui.showStatus(`Saved to ${file}.`);
	};

	const details = (server: McpServer): string => {
		const { entry } = server;
		const lines = [
			`${entry.name}: ${describeServerState(server, false)}`,
			`  ${transport(entry)}`,
			`  exposure ${serverExposure(entry.config)} · defined in ${entry.source}${entry.override ? ` · overridden in ${entry.override}` : ""}`,
		];
		const error = server.connection?.state === "connected" ? undefined : server.connection?.error;
		if (error) lines.push("", ...error.split("\n").map((line) => `  ${line}`));
		const instructions = server.connection?.instructions;
		if (instructions) lines.push("", `  ${instructions.split("\n", 1)[0]}`);
		return lines.join("\n");
	};

	const showTools = (ui: InteractiveUi, server: McpServer): void => {
		const tools = server.connection?.tools ?? [];
		if (tools.length === 0) {
			ui.showInfo(`${server.entry.name}: no tools (${describeServerState(server)})`);
			return;
		}
		const rows = tools.map((tool) => {
			const exposure = toolExposure(server.entry.config, tool.name);
			const about = (tool.description ?? "").split("\n", 1)[0] ?? "";
			return `  ${tool.name} [${exposure}]${about ? ` — ${about.length > 100 ? `${about.slice(0, 99)}…` : about}` : ""}`;
		});
		ui.showInfo(`${server.entry.name} tools:\n${rows.join("\n")}`);
	};

	const manageServer = async (ui: InteractiveUi, server: McpServer): Promise<void> => {
		for (;;) {
			const enabled = isServerEnabled(server);
			const actions: [string, () => Promise<void> | void][] = [["Details", () => ui.showInfo(details(server))]];
			if (enabled) actions.push(["Tools", () => showTools(ui, server)]);
			if (enabled) {
				actions.push([
					"Reconnect",
					async () => {
						const failure = await manager.reconnect(server.entry.name);
						if (failure) ui.showError(failure);
						else ui.showStatus(`Reconnected to MCP server "${server.entry.name}" (${describeServerState(server)}).`);
					},
				]);
			}
			if (enabled && usesOAuthEntry(server.entry)) {
				actions.push(["Sign in", () => signIn(ui, server)], ["Sign out", () => signOut(ui, server)]);
			}
			actions.push([
				"Change exposure",
				async () => {
					const choice = await ui.dialogs.select(`Exposure of ${server.entry.name}`, [...MCP_EXPOSURES]);
					const exposure = MCP_EXPOSURES.find((value) => value === choice);
					if (exposure) await change(ui, server, { exposure: exposure as McpExposure });
				},
			]);
			actions.push([enabled ? "Disable" : "Enable", () => change(ui, server, { enabled: !enabled })]);
			if (host.projectFile && server.entry.scope === "user") {
				actions.push([
					enabled ? "Disable in this project" : "Enable in this project",
					() => change(ui, server, { enabled: !enabled }, true),
				]);
			}
			const choice = await ui.dialogs.select(
				`${server.entry.name} · ${describeServerState(server)}`,
				actions.map(([label]) => label),
			);
			const action = actions.find(([label]) => label === choice);
			if (!action) return;
			await action[1]();
		}
	};

	const manage = async (ui: InteractiveUi): Promise<void> => {
		for (;;) {
			if (manager.servers.length === 0) {
				ui.showInfo("No MCP servers configured. Add them with pi mcp add, or in ~/.pi/agent/mcp.json or .pi/mcp.json.");
				return;
			}
			const ordered = [...manager.servers].sort((a, b) => attentionRank(a) - attentionRank(b));
			const labels = ordered.map(
				(server) =>
					`${server.entry.name} · ${describeServerState(server)} · ${serverExposure(server.entry.config)} · ${server.entry.scope}`,
			);
			const choice = await ui.dialogs.select("MCP servers", labels);
			const server = ordered[labels.indexOf(choice ?? "")];
			if (!server) return;
			await manageServer(ui, server);
		}
	};

	const oauthEligible = (server: McpServer) => isServerEnabled(server) && usesOAuthEntry(server.entry);
	const NO_OAUTH = "No enabled MCP server uses OAuth. Only HTTP servers without an Authorization header do.";

	return {
		name: "mcp",
		description: "Manage MCP servers: sign in, reconnect, enable or disable, and change exposure",
		argumentHint: "[login|logout|reconnect] [server]",
		completeArgument(prefix): CommandSuggestion[] {
			const [action = "", server, ...rest] = prefix.trimStart().split(/\s+/);
			if (rest.length > 0) return [];
			if (server === undefined) {
				return ["login", "logout", "reconnect"]
					.filter((item) => item.startsWith(action))
					.map((item) => ({ value: `${item} `, label: item }));
			}
			return manager.servers
				.filter((candidate) => candidate.entry.name.startsWith(server))
				.filter((candidate) => (action === "reconnect" ? isServerEnabled(candidate) : oauthEligible(candidate)))
				.map((candidate) => ({
					value: `${action} ${candidate.entry.name}`,
					label: candidate.entry.name,
					description: describeServerState(candidate),
				}));
		},
		async run(args, ui) {
			const [action, name, ...extra] = args.split(/\s+/).filter(Boolean);
			if (action === undefined) return manage(ui);
			if (extra.length > 0) return ui.showWarning(USAGE);
			switch (action) {
				case "login": {
					const server = await pick(ui, name, oauthEligible, NO_OAUTH);
					if (server) await signIn(ui, server);
					return;
				}
				case "logout": {
					const server = await pick(ui, name, oauthEligible, NO_OAUTH);
					if (server) await signOut(ui, server);
					return;
				}
				case "reconnect": {
					const server = await pick(ui, name, isServerEnabled, "No enabled MCP server to reconnect.");
					if (!server) return;
					const failure = await manager.reconnect(server.entry.name);
					if (failure) ui.showError(failure);
					else ui.showStatus(`Reconnected to MCP server "${server.entry.name}" (${describeServerState(server)}).`);
					return;
				}
				default:
					ui.showWarning(USAGE);
			}
		},
	};
}
