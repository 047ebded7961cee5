/**
 * App keybindings (pi-spec §9.4): which key does what, in pi's order of precedence — extension shortcuts, the
 * open autocomplete list's page keys and Escape, the app actions, then the editor's own keys (its autocomplete
 * included). The actions themselves live with their owners; this module only decides, and keeps the timing of
 * double presses (Ctrl+C to quit, Escape twice for /tree or /fork).
 */
import type { AgentSession } from "../../agent/agent-session.ts";
import type { EditorArea } from "./components/editor-area.ts";
import { routeEditorKey } from "./editor-keymap.ts";
import { activeKeybindings, type KeybindingId } from "./keybindings.ts";

/** Two presses closer than this count as a double press. */
const DOUBLE_PRESS_MS = 500;

/** What the keys act on (the controller). */
export interface KeyActionHost {
	readonly session: AgentSession;
	readonly editorArea: EditorArea;
	/** The prompt editor has keyboard focus (not an overlay or a component of an extension). */
	readonly editorHasFocus: boolean;
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

type AppAction = (host: KeyActionHost, keys: KeyDispatcher) => void;

/**
 * The app's actions in order of precedence after Escape (a key bound to two actions does the first). Ctrl+D quits
 * only on an empty editor; otherwise the editor gets it.
 */
const APP_ACTIONS: [KeybindingId, AppAction][] = [
	["app.clear", (_host, keys) => keys.clear()],
	["app.exit", (host) => host.quit(0)],
	["app.message.followUp", (host) => void host.submit(host.editorArea.takeText(), "followUp")],
	["app.message.dequeue", (host) => host.restoreQueued(true)],
	["app.model.cycleForward", (host) => void host.cycleModel("forward")],
	["app.model.cycleBackward", (host) => void host.cycleModel("backward")],
	[
		"app.thinking.cycle",
		(host) => {
			const level = host.session.cycleThinkingLevel();
			if (level === undefined) host.showStatus("Current model does not support thinking");
			else host.showStatus(`Thinking level: ${level}`);
			host.editorArea.updateBorder();
		},
	],
	["app.model.select", (host) => void host.openModelSelector()],
	["app.clipboard.pasteImage", (host) => void host.pasteClipboardImage()],
	["app.editor.external", (host) => host.openExternalEditor()],
	["app.suspend", (host) => host.suspend()],
	["app.tools.expand", (host) => host.toggleExpanded()],
	["app.thinking.toggle", (host) => host.toggleThinkingBlocks()],
	["app.session.new", (host) => void host.runCommand("/new")],
	["app.session.tree", (host) => host.openTree()],
	["app.session.fork", (host) => host.openFork()],
	["app.session.resume", (host) => void host.runCommand("/resume")],
	// Last of the app keys (pi registers it after the others): a key the user gave another action wins.
	["app.message.copy", (host) => void host.copyMessage()],
];

export class KeyDispatcher {
	private lastCtrlC = 0;
	private lastEscape = 0;

	constructor(private readonly host: KeyActionHost) {}

	/**
	 * True when the key was used; false lets the TUI hand it to whatever has focus (a selector, a dialog, an
	 * overlay, or an extension's editor, which calls back into the actions below itself).
	 */
	handle(data: string): boolean {
		const { host } = this;
		const editorArea = host.editorArea;
		if (!editorArea.isEditorActive || !host.editorHasFocus || editorArea.hasCustomEditor) return false;
		const kb = activeKeybindings();
		if (host.handleShortcut(data)) return true;
		// The open autocomplete list takes its page keys and Escape before the app (pi's CustomEditor order); its
		// other keys are no app keys and reach the editor anyway.
		// Most key presses are typed characters, bound to no action.
		if (kb.bindsAny(data)) {
			const listOpen = editorArea.hasSuggestions;
			if (listOpen && (kb.matches(data, "tui.select.pageUp") || kb.matches(data, "tui.select.pageDown"))) return false;
			if (kb.matches(data, "app.interrupt")) return listOpen ? false : this.onEscape();
			for (const [id, action] of APP_ACTIONS) {
				if (!kb.matches(data, id) || (id === "app.exit" && editorArea.getText() !== "")) continue;
				action(host, this);
				return true;
			}
		}
		const routed = this.editorInput(data);
		if (routed !== undefined) {
			editorArea.editor.handleInput(routed);
			host.requestRender();
		}
		return true;
	}

	/**
	 * The prompt editor's own keys, after the app's: the user's editor bindings. Undefined when
	 * the key was used up; otherwise what the editor should handle (the key, or the default key of the action the
	 * user bound it to).
	 */
	editorInput(data: string): string | undefined {
		const route = routeEditorKey(data, activeKeybindings());
		if (route.kind === "swallow") return undefined;
		return route.kind === "send" ? route.data : data;
	}

	/**
	 * The app actions an extension's CustomEditor runs itself (pi's actionHandlers), by action id; Ctrl+D and the
	 * image paste are its onCtrlD and onPasteImage.
	 */
	actionHandlers(): Map<string, () => void> {
		const own = APP_ACTIONS.filter(([id]) => id !== "app.exit" && id !== "app.clipboard.pasteImage");
		return new Map(own.map(([id, action]) => [id, () => action(this.host, this)]));
	}

	/** Ctrl+D on an empty editor, the image paste key: as the keys do (for an extension's editor). */
	exit(): void {
		this.host.quit(0);
	}

	pasteImage(): void {
		void this.host.pasteClipboardImage();
	}

	/** Ctrl+C: clears the editor; twice quits. */
	clear(): void {
		const now = Date.now();
		if (now - this.lastCtrlC < DOUBLE_PRESS_MS) this.host.quit(0);
		else this.host.editorArea.setText("");
		this.lastCtrlC = now;
	}

	/** Escape: the same as the key (for an extension's editor). */
	escape(): void {
		this.onEscape();
	}

	/** Escape cancels the innermost thing that runs; on an empty editor, twice opens /tree or /fork (setting). */
	private onEscape(): boolean {
		const { session, editorArea } = this.host;
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
