/**
 * The narrow interface through which everything that adds to the interactive screen acts on it: slash commands,
 * key actions, dialogs, and extension UI. The controller implements it; nothing that uses it imports the
 * controller, so the controller and its parts do not import each other.
 *
 * How to add a UI piece:
 * - a slash command: `ui.commands.register({ name, description, run: (args, ui) => … })` (command-registry.ts);
 *   it shows in autocomplete and /hotkeys-style listings in registration order, built-ins first.
 * - a key shortcut: `ui.shortcuts.register("ctrl+shift+k", (ui) => …)` (shortcut-registry.ts); it is looked up
 *   before the app's own keys while the editor has focus.
 * - a dialog that takes the editor's place until answered: `await ui.dialogs.select(title, options)`,
 *   `confirm(title, message)`, `input(title, placeholder)`, `editor(title, prefill)`, or any component with
 *   `ui.dialogs.show(component)` (returns its close function). Dialogs stack: closing one shows the one below.
 * - an overlay drawn over the screen (does not move the transcript): `ui.dialogs.overlay(component, options)`.
 * - a notice in the transcript: `ui.notify(message, "info" | "warning" | "error")`.
 * - a status text in the footer: `ui.setStatus(key, text)` (undefined removes it).
 * - a widget above or below the editor: `ui.setWidget(key, component | lines, "aboveEditor" | "belowEditor")`.
 * - the terminal title: `ui.setTitle(title)`.
 * - the header, the footer or the prompt editor replaced by a component: `ui.extensionLayout` (extension-layout.ts).
 */
import type { AgentSession } from "../../agent/agent-session.ts";
import type { Component } from "../../tui/component.ts";
import type { CommandRegistry } from "./command-registry.ts";
import type { DialogHost } from "./dialog-host.ts";
import type { ExtensionLayout } from "./extension-layout.ts";
import type { Keybindings } from "./keybindings.ts";
import type { LoaderLine } from "./loader-line.ts";
import type { ShortcutRegistry } from "./shortcut-registry.ts";

export type NoticeKind = "info" | "warning" | "error";

export type WidgetPlacement = "aboveEditor" | "belowEditor";

/** The editor as commands see it: its text, the border colour, history. */
export interface EditorControl {
	getText(): string;
	setText(text: string): void;
	/** Types `text` at the cursor. */
	insertText(text: string): void;
	/** The border follows the thinking level and `!` bash mode; call after changing either. */
	updateBorder(): void;
	addToHistory(text: string): void;
	/** Re-reads the editor's settings (autocomplete rows) after /settings changed them. */
	applySettings(): void;
}

export interface InteractiveUi {
	readonly session: AgentSession;
	readonly editor: EditorControl;
	readonly dialogs: DialogHost;
	readonly extensionLayout: ExtensionLayout;
	readonly commands: CommandRegistry<InteractiveUi>;
	readonly shortcuts: ShortcutRegistry<InteractiveUi>;
	readonly keybindings: Keybindings;
	/** Rows of the terminal (selectors size themselves from it). */
	readonly terminalRows: number;
	readonly terminalColumns: number;
	/** Every line the screen draws at this width now, transcript and dock (/debug writes them out). */
	renderedLines(width: number): string[];
	/** A real terminal (not a test double): only then may a browser be opened or the process suspended. */
	readonly isRealTerminal: boolean;
	/** Ctrl+O state: tool output and summaries expanded. */
	readonly toolsExpanded: boolean;
	/** Thinking blocks drawn as one "Thinking..." line. */
	hideThinking: boolean;

	/** Adds a component at the end of the transcript. */
	addToChat(component: Component): void;
	/**
	 * Re-creates the transcript from the session's messages (after /new, /resume, /tree, compaction, ...).
	 * `fresh`: it shows something else now (another session, a compacted context, another branch); regular mode
	 * scrolls the old one into the scrollback and draws the new one from the top of the screen.
	 */
	renderTranscript(options?: { fresh?: boolean }): void;
	notify(message: string, kind?: NoticeKind): void;
	/** Dim status line; consecutive ones replace each other. */
	showStatus(message: string): void;
	showWarning(message: string): void;
	showError(message: string): void;
	/** A plain block of text in the transcript (command output such as /session). */
	showInfo(text: string): void;
	/** The working indicator above the editor; undefined hides it. */
	setLoader(message: string | undefined): void;
	/** The loader shown while the agent works, as extensions change it (message, visibility, frames). */
	readonly working: Pick<LoaderLine, "setWorkingMessage" | "setWorkingVisible" | "setWorkingIndicator">;
	/** Ctrl+O's state, set directly. */
	setToolsExpanded(expanded: boolean): void;
	/** What hidden thinking blocks show instead of "Thinking..." (undefined: that again). */
	setHiddenThinkingLabel(label: string | undefined): void;
	setStatus(key: string, text: string | undefined): void;
	setWidget(key: string, content: Component | readonly string[] | undefined, placement?: WidgetPlacement): void;
	setTitle(title: string): void;
	/** Restores the title pi sets (folder and session name) after the session or its name changed. */
	updateTitle(): void;
	/** Puts text on the clipboard (the system's when reachable, else the terminal's via OSC 52). */
	copyToClipboard(text: string): Promise<void>;
	/** Schedules a frame. */
	requestRender(): void;
	/** Drops every cached rendering and draws the whole screen again (theme or layout settings changed). */
	redraw(): void;
	/** Re-reads the terminal settings the renderer uses (clearOnShrink, hardware cursor, fullscreen options, ...). */
	applyTerminalSettings(): void;
	/** The screen in use: regular or fullscreen. */
	readonly screenMode: "regular" | "fullscreen";
	/** Switches between the regular and the fullscreen screen while running (/settings "TUI mode"). */
	setScreenMode(mode: "regular" | "fullscreen"): void;
	/** The footer names the provider only when models of more than one are available. */
	refreshProviderCount(): Promise<void>;
	/** After a command switched the model (or a login changed its credentials): border, footer, pi's warnings. */
	modelChanged(): void;
	reload(): Promise<void>;
	quit(code?: number): void;
}
