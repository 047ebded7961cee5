/**
 * Built-in slash commands of the interactive mode (pi-spec §9.3): parses the command line and hands it to the
 * module that owns that group of commands. Commands that take no arguments are not commands when given some —
 * the text then goes to the model verbatim, as in pi. /settings, /reload, /share and /quit are one-liners here.
 */
import type { AuthStorage } from "../../auth/auth-storage.ts";
import { errorMessage } from "../../util/errors.ts";
import type { InteractiveController } from "./controller.ts";
import { InfoCommands } from "./info-commands.ts";
import { ModelCommands } from "./model-commands.ts";
import { SessionCommands } from "./session-commands.ts";
import { SettingsMenu } from "./settings-menu.ts";
import { parseSlashCommand } from "./slash-commands.ts";
import { TreeCommands } from "./tree-commands.ts";
import { openTrustDialog } from "./trust-command.ts";

export class CommandRunner {
	private readonly sessions: SessionCommands;
	private readonly tree: TreeCommands;
	private readonly models: ModelCommands;
	private readonly info: InfoCommands;
	private readonly settingsMenu: SettingsMenu;

	constructor(
		private readonly ui: InteractiveController,
		auth: AuthStorage,
	) {
		this.sessions = new SessionCommands(ui);
		this.tree = new TreeCommands(ui);
		this.models = new ModelCommands(ui, auth);
		this.info = new InfoCommands(ui);
		this.settingsMenu = new SettingsMenu(ui);
	}

	/** Runs a built-in command; false when the text is not one (it then goes to the model verbatim). */
	async run(text: string): Promise<boolean> {
		const parsed = parseSlashCommand(text);
		if (!parsed) return false;
		const { name, args } = parsed;
		const noArgs = args === "";
		try {
			switch (name) {
				case "model":
					await this.openModelSelector(args || undefined);
					return true;
				case "settings":
					if (!noArgs) return false;
					this.settingsMenu.open();
					return true;
				case "resume":
					if (!noArgs) return false;
					await this.sessions.openResume();
					return true;
				case "new":
					if (!noArgs) return false;
					await this.sessions.newSession();
					return true;
				case "tree":
					if (!noArgs) return false;
					this.openTree();
					return true;
				case "fork":
					if (!noArgs) return false;
					this.openFork();
					return true;
				case "clone":
					if (!noArgs) return false;
					await this.sessions.clone();
					return true;
				case "compact":
					await this.sessions.compact(args || undefined);
					return true;
				case "name":
					this.sessions.name(args);
					return true;
				case "session":
					if (!noArgs) return false;
					this.info.showSessionInfo();
					return true;
				case "hotkeys":
					if (!noArgs) return false;
					this.info.showHotkeys();
					return true;
				case "copy":
					if (!noArgs) return false;
					this.info.copyLastAnswer();
					return true;
				case "export":
					await this.sessions.exportSession(args);
					return true;
				case "import":
					await this.sessions.importSession(args);
					return true;
				case "share":
					if (!noArgs) return false;
					this.ui.showWarning("/share is not available yet in this build.");
					return true;
				case "trust":
					if (!noArgs) return false;
					openTrustDialog(this.ui);
					return true;
				case "login":
					if (!noArgs) return false;
					this.models.startLogin();
					return true;
				case "logout":
					if (!noArgs) return false;
					this.models.logout();
					return true;
				case "scoped-models":
					if (!noArgs) return false;
					await this.models.openScopedModels();
					return true;
				case "reload":
					if (!noArgs) return false;
					await this.ui.reload();
					return true;
				case "quit":
					if (!noArgs) return false;
					this.ui.quit(0);
					return true;
				default:
					return false;
			}
		} catch (error) {
			this.ui.showError(errorMessage(error));
			return true;
		}
	}

	// Entry points that app keys use as well.

	openModelSelector(search?: string): Promise<void> {
		return this.models.openModelSelector(search);
	}

	cycleModel(direction: "forward" | "backward"): Promise<void> {
		return this.models.cycleModel(direction);
	}

	openTree(): void {
		this.tree.openTree();
	}

	openFork(): void {
		this.tree.openFork();
	}
}
