/**
 * The keys that involve a program outside pi: Ctrl+G (the external editor edits the prompt), Ctrl+Z (the shell's job
 * control) and Ctrl+V (an image from the system clipboard). Handing the terminal over is terminal-handoff.ts's job.
 */
import type { AgentSession } from "../../agent/agent-session.ts";
import type { TUI } from "../../tui/tui.ts";
import { saveClipboardImage } from "./clipboard-paste.ts";
import type { EditorArea } from "./components/editor-area.ts";
import { editInExternalEditor, externalEditorCommand, suspendToBackground } from "./terminal-handoff.ts";

/** What the handoffs use of the interactive UI (the controller). */
export interface HandoffHost {
	readonly tui: TUI;
	readonly session: AgentSession;
	readonly editorArea: EditorArea;
	readonly isRealTerminal: boolean;
	showStatus(message: string): void;
	showError(message: string): void;
	requestRender(): void;
}

export class PromptHandoffs {
	constructor(
		private readonly host: HandoffHost,
		/** The chat's status line starts afresh (see afterHandoff). */
		private readonly forgetStatus: () => void,
	) {}

	/** Ctrl+V (Alt+V on Windows): the path of the saved clipboard image goes into the editor. */
	async pasteClipboardImage(): Promise<void> {
		const outcome = await saveClipboardImage();
		if (outcome.kind === "status") this.host.showStatus(outcome.message);
		else if (outcome.kind === "error") this.host.showError(outcome.message);
		else {
			this.host.editorArea.insertText(outcome.path);
			this.host.requestRender();
		}
	}

	/** Ctrl+G: edit the prompt in the external editor; the text comes back when the editor exits with 0. */
	openExternalEditor(): void {
		const { tui, session, editorArea } = this.host;
		const command = externalEditorCommand(session.settings.getExternalEditor(), process.env, process.platform);
		// The launch lines go straight to the real terminal while the editor has it (a test terminal skips them).
		const announce = (line: string) => {
			if (this.host.isRealTerminal) process.stdout.write(line);
		};
		const result = editInExternalEditor(tui, command, editorArea.editor.getExpandedText(), announce);
		this.afterHandoff();
		if (result.status === "complete") editorArea.setText(result.content);
		else this.host.showStatus(result.message);
	}

	/** Ctrl+Z: suspend to the shell. */
	suspend(): void {
		if (suspendToBackground(this.host.tui)) this.afterHandoff();
		else this.host.showStatus("Suspend to background is not supported here");
	}

	/**
	 * In regular mode what was drawn before a handoff is above what the other program printed, out of reach: the
	 * next status line is a new one instead of rewriting the previous status up there.
	 */
	private afterHandoff(): void {
		if (this.host.tui.mode === "regular") this.forgetStatus();
	}
}
