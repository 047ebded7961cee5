/**
 * The built-in slash commands (pi 1.6.0's names, descriptions and order), each handed to the module that owns its
 * group: session-commands (/new, /resume, /clone, /import, /export, /compact, /name), tree-commands (/tree, /fork),
 * model-commands (/model, /scoped-models, /login, /logout), info-commands (/session, /hotkeys, /copy), the settings
 * menu, trust-command (/trust), and the controller's /reload and /quit.
 */
import type { AuthStorage } from "../../auth/auth-storage.ts";
import type { CommandRegistry, SlashCommandSpec } from "./command-registry.ts";
import { InfoCommands } from "./info-commands.ts";
import { ModelCommands } from "./model-commands.ts";
import { SessionCommands } from "./session-commands.ts";
import { SettingsMenu } from "./settings-menu.ts";
import { TreeCommands } from "./tree-commands.ts";
import { openTrustDialog } from "./trust-command.ts";
import type { InteractiveUi } from "./ui-host.ts";

/** The command modules, also reached by keys (Ctrl+L, Ctrl+P, Escape twice, ...). */
export interface BuiltinCommands {
	readonly sessions: SessionCommands;
	readonly tree: TreeCommands;
	readonly models: ModelCommands;
	readonly info: InfoCommands;
	readonly settings: SettingsMenu;
}

export function registerBuiltinCommands(
	registry: CommandRegistry<InteractiveUi>,
	ui: InteractiveUi,
	auth: AuthStorage,
): BuiltinCommands {
	const modules: BuiltinCommands = {
		sessions: new SessionCommands(ui),
		tree: new TreeCommands(ui),
		models: new ModelCommands(ui, auth),
		info: new InfoCommands(ui),
		settings: new SettingsMenu(ui),
	};
	const { sessions, tree, models, info, settings } = modules;
	const noArgs = (name: string, description: string, run: () => unknown): SlashCommandSpec<InteractiveUi> => ({
		name,
		description,
		takesArgs: false,
		run: async () => {
			await run();
		},
	});
	const specs: SlashCommandSpec<InteractiveUi>[] = [
		noArgs("settings", "Open settings menu", () => settings.open()),
		{
			name: "model",
			description: "Select model (opens selector UI)",
			argumentHint: "<provider/model>",
			completeArgument: (prefix) => models.completeModel(prefix),
			run: (args) => models.openModelSelector(args || undefined),
		},
		noArgs("tree", "Navigate session tree (switch branches)", () => tree.openTree()),
		noArgs("scoped-models", "Enable/disable models for Ctrl+P cycling", () => models.openScopedModels()),
		{
			name: "export",
			description: "Export session (HTML default, or specify path: .html/.jsonl)",
			run: (args) => sessions.exportSession(args),
		},
		{
			name: "import",
			description: "Import a JSONL session, preserving its ID and working directory",
			run: (args) => sessions.importSession(args),
		},
		noArgs("copy", "Copy last agent message to clipboard", () => info.copyLastAnswer()),
		{ name: "name", description: "Set session display name", run: (args) => sessions.name(args) },
		noArgs("session", "Show session info and stats", () => info.showSessionInfo()),
		noArgs("changelog", "Show changelog entries", () => info.showChangelog()),
		noArgs("hotkeys", "Show all keyboard shortcuts", () => info.showHotkeys()),
		noArgs("fork", "Create a new fork from a previous user message", () => tree.openFork()),
		noArgs("clone", "Duplicate the current session at the current position", () => sessions.clone()),
		noArgs("trust", "Save project trust decision for future sessions", () => openTrustDialog(ui)),
		{
			name: "login",
			description: "Configure provider authentication",
			argumentHint: "<provider>",
			run: (args) => models.startLogin(args),
		},
		noArgs("logout", "Remove provider authentication", () => models.logout()),
		noArgs("new", "Start a new session", () => sessions.newSession()),
		{
			name: "compact",
			description: "Manually compact the session context",
			run: (args) => sessions.compact(args || undefined),
		},
		noArgs("resume", "Resume another session", () => sessions.openResume()),
		noArgs("reload", "Reload keybindings, extensions, skills, prompts, themes, and context files", () => ui.reload()),
		noArgs("quit", "Quit pi", () => ui.quit(0)),
		{ ...noArgs("debug", "Write a debug log of the screen", () => info.writeDebugLog()), hidden: true },
	];
	for (const spec of specs) registry.register(spec);
	return modules;
}
