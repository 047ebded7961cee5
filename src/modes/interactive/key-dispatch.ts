/**
 * App keybindings (pi-spec §9.4): which key does what, in pi's order of precedence — the autocomplete list first,
 * then the app actions, then the editor's own keys. The actions themselves live with their owners; this module
 * only decides, and keeps the timing of double presses (Ctrl+C to quit, Escape twice for /tree or /fork).
 */
import type { AgentSession } from "../../agent/agent-session.ts";
import type { EditorArea } from "./components/editor-area.ts";
import { routeEditorKey } from "./editor-keymap.ts";
import { activeKeybindings } from "./keybindings.ts";

/** Two presses closer than this count as a double press. */
const DOUBLE_PRESS_MS = 500;

/** What the keys act on (the controller). */
export interface KeyActionHost {
	readonly session: AgentSession;
	readonly editorArea: EditorArea;
	/** Runs a slash command as if typed. */
	runCommand(text: string): Promise<boolean>;
	openModelSelector(): Promise<void>;
	openTree(): void;
	openFork(): void;
	/** Ctrl+X: copies the selection (fullscreen) or the last answer. */
	copyMessage(): Promise<void>;
	/** Extension shortcuts: looked up before the app's keys. */
	handleShortcut(data: string): boolean;
	quit(code: number): void;
	submit(text: string, behavior: "steer" | "followUp"): Promise<void>;
	restoreQueued(announce: boolean): void;
	cycleModel(direction: "forward" | "backward"): Promise<void>;
	toggleThinkingBlocks(): void;
	toggleExpanded(): void;
	pasteClipboardImage(): Promise<void>;
	openExternalEditor(): void;
	suspend(): void;
	showStatus(message: string): void;
	requestRender(): void;
}

export class KeyDispatcher {
	private lastCtrlC = 0;
	private lastEscape = 0;

	constructor(private readonly host: KeyActionHost) {}

	/** True when the key was used; false lets the TUI hand it to whatever has focus (a selector, a dialog). */
	handle(data: string): boolean {
		const { host } = this;
		const editorArea = host.editorArea;
		if (!editorArea.isEditorActive) return false;
		const kb = activeKeybindings();
		// The autocomplete list sees navigation keys before the app and the editor do.
		if (editorArea.handleAutocompleteKey(data)) return true;
		if (host.handleShortcut(data)) return true;
		if (kb.matches(data, "app.interrupt")) return this.onEscape();
		if (kb.matches(data, "app.clear")) {
			const now = Date.now();
			if (now - this.lastCtrlC < DOUBLE_PRESS_MS) host.quit(0);
			else editorArea.setText("");
			this.lastCtrlC = now;
			return true;
		}
		if (kb.matches(data, "app.exit") && editorArea.getText() === "") {
			host.quit(0);
			return true;
		}
		if (kb.matches(data, "app.message.followUp")) {
			void host.submit(editorArea.takeText(), "followUp");
			return true;
		}
		if (kb.matches(data, "app.message.dequeue")) {
			host.restoreQueued(true);
			return true;
		}
		if (kb.matches(data, "app.model.cycleForward")) {
			void host.cycleModel("forward");
			return true;
		}
		if (kb.matches(data, "app.model.cycleBackward")) {
			void host.cycleModel("backward");
			return true;
		}
		if (kb.matches(data, "app.thinking.cycle")) {
			const level = host.session.cycleThinkingLevel();
			if (level === undefined) host.showStatus("Current model does not support thinking");
			else host.showStatus(`Thinking level: ${level}`);
			editorArea.updateBorder();
			return true;
		}
		if (kb.matches(data, "app.model.select")) {
			void host.openModelSelector();
			return true;
		}
		if (kb.matches(data, "app.clipboard.pasteImage")) {
			void host.pasteClipboardImage();
			return true;
		}
		if (kb.matches(data, "app.editor.external")) {
			host.openExternalEditor();
			return true;
		}
		if (kb.matches(data, "app.suspend")) {
			host.suspend();
			return true;
		}
		if (kb.matches(data, "app.tools.expand")) {
			host.toggleExpanded();
			return true;
		}
		if (kb.matches(data, "app.thinking.toggle")) {
			host.toggleThinkingBlocks();
			return true;
		}
		if (kb.matches(data, "app.session.new")) {
			void host.runCommand("/new");
			return true;
		}
		if (kb.matches(data, "app.session.tree")) {
			host.openTree();
			return true;
		}
		if (kb.matches(data, "app.session.fork")) {
			host.openFork();
			return true;
		}
		if (kb.matches(data, "app.session.resume")) {
			void host.runCommand("/resume");
			return true;
		}
		// Last of the app keys (pi registers it after the others): a key the user gave another action wins.
		if (kb.matches(data, "app.message.copy")) {
			void host.copyMessage();
			return true;
		}
		if (editorArea.handleTabKey(data)) return true;
		const route = routeEditorKey(data, kb);
		if (route.kind === "swallow") return true;
		if (route.kind === "send") {
			editorArea.editor.handleInput(route.data);
			host.requestRender();
			return true;
		}
		return false;
	}

	/** Escape cancels the innermost thing that runs; on an empty editor, twice opens /tree or /fork (setting). */
	private onEscape(): boolean {
		const { session, editorArea } = this.host;
		if (editorArea.closeAutocomplete()) return true;
		if (session.isBashRunning) {
			session.abortBash();
			return true;
		}
		if (session.isCompacting) {
			session.abortCompaction();
			return true;
		}
		if (session.isSummarizingBranch) {
			session.abortBranchSummary();
			return true;
		}
		if (session.isRetrying) {
			session.abortRetry();
			return true;
		}
		if (session.isStreaming) {
			this.host.restoreQueued(false);
			void session.abort();
			return true;
		}
		if (editorArea.getText().startsWith("!")) {
			editorArea.setText("");
			return true;
		}
		if (editorArea.getText() === "") {
			const now = Date.now();
			if (now - this.lastEscape < DOUBLE_PRESS_MS) {
				this.lastEscape = 0;
				const action = session.settings.getDoubleEscapeAction();
				if (action === "tree") this.host.openTree();
				else if (action === "fork") this.host.openFork();
			} else this.lastEscape = now;
		}
		return true;
	}
}
