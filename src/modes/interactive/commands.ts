/** Built-in slash commands of the interactive mode (pi-spec §9.3) and the selectors they open. */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { AuthStorage } from "../../auth/auth-storage.ts";
import { expandHome } from "../../config/paths.ts";
import { SessionManager } from "../../session/session-manager.ts";
import { ListSelector } from "./components/list-selector.ts";
import { SessionSelector } from "./components/session-selector.ts";
import type { InteractiveController } from "./controller.ts";
import { InfoCommands } from "./info-commands.ts";
import { ModelCommands } from "./model-commands.ts";
import { selectorHeight } from "./selector-height.ts";
import { SettingsMenu } from "./settings-menu.ts";
import { parseSlashCommand } from "./slash-commands.ts";
import { TreeCommands } from "./tree-commands.ts";

export class CommandRunner {
	private readonly models: ModelCommands;
	private readonly info: InfoCommands;
	private readonly tree: TreeCommands;
	private readonly settingsMenu: SettingsMenu;

	constructor(
		private readonly ui: InteractiveController,
		auth: AuthStorage,
	) {
		this.models = new ModelCommands(ui, auth);
		this.info = new InfoCommands(ui);
		this.tree = new TreeCommands(ui);
		this.settingsMenu = new SettingsMenu(ui);
	}

	private get session() {
		return this.ui.session;
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
					await this.openResume();
					return true;
				case "new":
					if (!noArgs) return false;
					await this.session.newSession();
					this.ui.renderTranscript();
					this.ui.showStatus("✓ New session started");
					this.ui.updateTitle();
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
					if (await this.session.clone()) {
						this.ui.renderTranscript();
						this.ui.updateTitle();
						this.ui.showStatus("Cloned to new session");
					} else this.ui.showStatus("Nothing to clone yet");
					return true;
				case "compact":
					await this.compact(args || undefined);
					return true;
				case "name":
					this.name(args);
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
				case "export": {
					const { exportForCommand, parsePathArgument } = await import("../../export/session-export.ts");
					try {
						const written = exportForCommand(this.session, parsePathArgument(args));
						this.ui.showStatus(`Session exported to: ${written}`);
					} catch (error) {
						this.ui.showError(`Failed to export session: ${error instanceof Error ? error.message : "Unknown error"}`);
					}
					return true;
				}
				case "import":
					await this.importSession(args);
					return true;
				case "share":
					if (!noArgs) return false;
					this.ui.showWarning("/share is not available yet in this build.");
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
			this.ui.showError(error instanceof Error ? error.message : String(error));
			return true;
		}
	}

	private close(): void {
		this.ui.editorArea.closeSelector();
	}

	/** Also bound to Ctrl+L. */
	openModelSelector(search?: string): Promise<void> {
		return this.models.openModelSelector(search);
	}

	/** Ctrl+P / Shift+Ctrl+P. */
	cycleModel(direction: "forward" | "backward"): Promise<void> {
		return this.models.cycleModel(direction);
	}

	// ---------------------------------------------------------------- import

	/** `/import <path.jsonl>`: after a Yes, the file is copied into the session folder and resumed (as pi). */
	private async importSession(args: string): Promise<void> {
		const { parsePathArgument } = await import("../../export/session-export.ts");
		const inputPath = parsePathArgument(args);
		if (!inputPath) {
			this.ui.showError("Usage: /import <path.jsonl>");
			return;
		}
		const confirmed = await new Promise<boolean>((resolveChoice) => {
			this.ui.editorArea.showSelector(
				new ListSelector({
					title: "Import session",
					hint: `Replace current session with ${inputPath}?`,
					items: [
						{ value: true, label: "Yes", searchText: "yes" },
						{ value: false, label: "No", searchText: "no" },
					],
					onSelect: (value) => {
						this.close();
						resolveChoice(value);
					},
					onCancel: () => {
						this.close();
						resolveChoice(false);
					},
				}),
			);
		});
		if (!confirmed) {
			this.ui.showStatus("Import cancelled");
			return;
		}
		const source = resolve(this.session.cwd, expandHome(inputPath));
		if (!existsSync(source)) {
			this.ui.showError(`Failed to import session: File not found: ${source}`);
			return;
		}
		try {
			const sessionDir = this.session.sessionManager.getSessionDir();
			mkdirSync(sessionDir, { recursive: true });
			const destination = join(sessionDir, basename(source));
			if (resolve(destination) !== source) copyFileSync(source, destination);
			await this.session.switchSession(destination);
			this.ui.renderTranscript();
			this.ui.updateTitle();
			this.ui.showStatus(`Session imported from: ${inputPath}`);
		} catch (error) {
			this.ui.showError(`Failed to import session: ${error instanceof Error ? error.message : String(error)}`);
		}
	}

	// ---------------------------------------------------------------- resume

	private async openResume(): Promise<void> {
		const sessionDir = this.session.sessionManager.getSessionDir();
		const selector = new SessionSelector({
			loadCurrent: () => SessionManager.list(this.session.cwd, sessionDir),
			loadAll: () => SessionManager.listAll(sessionDir),
			currentSessionPath: this.session.sessionFile,
			maxVisible: selectorHeight(this.ui),
			requestRender: () => this.ui.requestRender(),
			onSelect: (path) => {
				this.close();
				void this.resume(path);
			},
			onCancel: () => this.close(),
			rename: (path, name) => {
				if (path === this.session.sessionFile) this.session.setSessionName(name);
				else SessionManager.open(path, sessionDir).appendSessionInfo(name);
			},
		});
		this.ui.editorArea.showSelector(selector);
		await selector.loaded;
	}

	private async resume(path: string): Promise<void> {
		try {
			await this.session.switchSession(path);
			this.ui.renderTranscript();
			this.ui.updateTitle();
			this.ui.showStatus("Resumed session");
		} catch (error) {
			this.ui.showError(error instanceof Error ? error.message : String(error));
		}
	}

	/** /tree, also bound to keys. */
	openTree(): void {
		this.tree.openTree();
	}

	/** /fork, also bound to keys. */
	openFork(): void {
		this.tree.openFork();
	}

	// ------------------------------------------------------- compact, name, info

	private async compact(instructions: string | undefined): Promise<void> {
		if (this.session.messages.length === 0) {
			this.ui.showWarning("Nothing to compact (no messages yet)");
			return;
		}
		try {
			await this.session.compact(instructions);
		} catch {
			// compaction_end already reported the failure
		}
	}

	private name(args: string): void {
		if (!args) {
			const current = this.session.sessionName;
			if (current) this.ui.showStatus(`Session name: ${current}`);
			else this.ui.showWarning("Usage: /name <name>");
			return;
		}
		this.session.setSessionName(args);
		this.ui.showStatus(`Session name set: ${args}`);
	}
}
