/**
 * Commands that switch or change the session as a whole: /new, /clone, /resume, /import, /export, plus /compact
 * and /name. (/tree and /fork, which move within a session's history, are in tree-commands.ts.)
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { expandHome } from "../../config/paths.ts";
import { SessionManager } from "../../session/session-manager.ts";
import { errorMessage } from "../../util/errors.ts";
import { SessionSelector } from "./components/session-selector.ts";
import { selectorHeight } from "./selector-height.ts";
import type { InteractiveUi } from "./ui-host.ts";

export class SessionCommands {
	constructor(private readonly ui: InteractiveUi) {}

	private get session() {
		return this.ui.session;
	}

	/** /new */
	async newSession(): Promise<void> {
		await this.session.newSession();
		this.ui.renderTranscript({ fresh: true });
		this.ui.showStatus("✓ New session started");
		this.ui.updateTitle();
	}

	/** /clone: the current branch copied into a new session file. */
	async clone(): Promise<void> {
		const result = await this.session.clone();
		if (result?.cancelled) return;
		if (result) {
			this.ui.renderTranscript({ fresh: true });
			this.ui.updateTitle();
			this.ui.showStatus("Cloned to new session");
		} else this.ui.showStatus("Nothing to clone yet");
	}

	/** /export [path]: HTML, or JSONL when the path ends in .jsonl (the exporter decides). */
	async exportSession(args: string): Promise<void> {
		const { exportForCommand, parsePathArgument } = await import("../../export/session-export.ts");
		try {
			const written = exportForCommand(this.session, parsePathArgument(args));
			this.ui.showStatus(`Session exported to: ${written}`);
		} catch (error) {
			this.ui.showError(`Failed to export session: ${error instanceof Error ? error.message : "Unknown error"}`);
		}
	}

	/** `/import <path.jsonl>`: after a Yes, the file is copied into the session folder and resumed (as pi). */
	async importSession(args: string): Promise<void> {
		const { parsePathArgument } = await import("../../export/session-export.ts");
		const inputPath = parsePathArgument(args);
		if (!inputPath) {
			this.ui.showError("Usage: /import <path.jsonl>");
			return;
		}
		const confirmed = await this.ui.dialogs.confirm("Import session", `Replace current session with ${inputPath}?`);
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
			this.ui.renderTranscript({ fresh: true });
			this.ui.updateTitle();
			this.ui.showStatus(`Session imported from: ${inputPath}`);
		} catch (error) {
			this.ui.showError(`Failed to import session: ${errorMessage(error)}`);
		}
	}

	/** /resume: the session list (this folder, or all with Tab); picking one switches to it. */
	async openResume(): Promise<void> {
		const sessionDir = this.session.sessionManager.getSessionDir();
		const selector = new SessionSelector({
			loadCurrent: () => SessionManager.list(this.session.cwd, sessionDir),
			loadAll: () => SessionManager.listAll(sessionDir),
			currentSessionPath: this.session.sessionFile,
			maxVisible: selectorHeight(this.ui),
			requestRender: () => this.ui.requestRender(),
			onSelect: (path) => {
				close();
				void this.resume(path);
			},
			onCancel: () => close(),
			rename: (path, name) => {
				if (path === this.session.sessionFile) this.session.setSessionName(name);
				else SessionManager.open(path, sessionDir).appendSessionInfo(name);
			},
		});
		const close = this.ui.dialogs.show(selector);
		await selector.loaded;
	}

	private async resume(path: string): Promise<void> {
		try {
			await this.session.switchSession(path);
			this.ui.renderTranscript({ fresh: true });
			this.ui.updateTitle();
			this.ui.showStatus("Resumed session");
		} catch (error) {
			this.ui.showError(errorMessage(error));
		}
	}

	/** /compact [instructions] */
	async compact(instructions: string | undefined): Promise<void> {
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

	/** /name shows the name; /name <name> sets it. */
	name(args: string): void {
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
