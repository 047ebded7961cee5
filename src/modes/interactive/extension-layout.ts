/**
 * The parts of the interactive screen an extension can take over, as pi allows: the header above the chat
 * (setHeader), the footer (setFooter), and the prompt editor (setEditorComponent, usually a `CustomEditor`
 * subclass). A replaced part is disposed when replaced again or restored; the editor keeps its text across swaps.
 *
 * A replacement editor receives its keys itself (the TUI gives them to the focused component) and calls back into
 * the app's actions, as pi's CustomEditor does: Escape, Ctrl+D, the image paste, extension shortcuts and every other
 * app action come from the same KeyDispatcher the built-in editor uses; the autocomplete list, Tab completion and
 * the user's editor bindings come in through the editor's `inputHook`.
 */
import type { CustomEditor } from "../../extensions/agent-ui.ts";
import type { Editor as ExtensionEditor } from "../../extensions/pi-tui/inputs.ts";
import type { Component } from "../../tui/component.ts";
import type { Editor } from "../../tui/components/editor.ts";
import type { AutocompleteProvider } from "../../tui/components/editor-autocomplete.ts";
import type { TUI } from "../../tui/tui.ts";
import type { EditorArea } from "./components/editor-area.ts";
import type { FooterView } from "./components/footer.ts";
import type { KeyDispatcher } from "./key-dispatch.ts";

interface Disposable {
	dispose?(): void;
}

function dispose(component: (Component & Disposable) | undefined): void {
	try {
		component?.dispose?.();
	} catch {
		// A failing dispose of an extension's component must not break the screen.
	}
}

// Told apart by shape, as pi does, so this module (loaded with every interactive session) imports no extension code.
function isExtensionEditor(editor: Editor | undefined): editor is ExtensionEditor {
	return editor !== undefined && "inputHook" in editor;
}

function isCustomEditor(editor: Editor | undefined): editor is CustomEditor {
	return isExtensionEditor(editor) && "actionHandlers" in editor && editor.actionHandlers instanceof Map;
}

export interface LayoutParts {
	tui: TUI;
	header: Component;
	footer: FooterView;
	editorArea: EditorArea;
	keys: KeyDispatcher;
	/** Extension shortcuts (looked up before the app's keys). */
	shortcut(data: string): boolean;
}

/** pi's footerData: what a custom footer can read that extensions cannot otherwise reach. */
export interface FooterData {
	getGitBranch(): string | null;
	getExtensionStatuses(): ReadonlyMap<string, string>;
	onBranchChange(callback: () => void): () => void;
	getAvailableProviderCount(): number;
}

export class ExtensionLayout {
	private header: (Component & Disposable) | undefined;
	private footer: (Component & Disposable) | undefined;
	private builtinHeaderShown = false;

	constructor(private readonly parts: LayoutParts) {}

	/** The renderer (overlays, focus, raw input listeners for extensions' components). */
	get tui(): TUI {
		return this.parts.tui;
	}

	/** A component in the header's place (pi: above the chat at startup); undefined brings pi's header back. */
	setHeader(component: (Component & Disposable) | undefined): void {
		const { tui, header } = this.parts;
		const previous = this.header;
		// Whether pi's own header is on screen (quiet startup leaves it out), decided before the first replacement.
		if (!previous) this.builtinHeaderShown = tui.children.includes(header);
		this.header = component;
		if (component) {
			const shown = previous ?? (this.builtinHeaderShown ? header : undefined);
			if (!shown || !tui.replaceChild(shown, component)) tui.insertChild(0, component);
		} else if (previous) {
			if (!this.builtinHeaderShown || !tui.replaceChild(previous, header)) tui.removeChild(previous);
		}
		dispose(previous);
		tui.requestRender();
	}

	/** A component in the footer's place; undefined brings pi's footer back. */
	setFooter(component: (Component & Disposable) | undefined): void {
		const { tui, footer } = this.parts;
		const current = this.footer ?? footer;
		const previous = this.footer;
		this.footer = component;
		tui.dock.replaceChild(current, component ?? footer);
		dispose(previous);
		tui.requestRender();
	}

	footerData(): FooterData {
		const footer = this.parts.footer;
		return {
			getGitBranch: () => footer.branch ?? null,
			getExtensionStatuses: () => new Map(footer.extensionStatuses),
			// The branch is read when the footer is created; a later checkout shows after /reload.
			onBranchChange: () => () => {},
			getAvailableProviderCount: () => footer.providerCount,
		};
	}

	/** The prompt editor's autocomplete provider (extensions stack theirs on it, pi's addAutocompleteProvider). */
	get autocompleteProvider(): AutocompleteProvider | undefined {
		return this.parts.editorArea.autocompleteProvider;
	}

	setAutocompleteProvider(provider: AutocompleteProvider | undefined): void {
		this.parts.editorArea.setAutocompleteProvider(provider);
	}

	/** The extension's editor in the prompt editor's place, wired to the app's keys; undefined restores ours. */
	setEditor(editor: Editor | undefined): void {
		const { editorArea, keys } = this.parts;
		const previous = editorArea.hasCustomEditor ? editorArea.editor : undefined;
		if (isExtensionEditor(previous)) previous.inputHook = undefined;
		// The editor runs its autocomplete itself (the app's provider is handed to it); the app routes the rest.
		if (isExtensionEditor(editor)) editor.inputHook = (data) => keys.editorInput(data);
		if (isCustomEditor(editor)) {
			// pi copies the app's handlers onto the extension's editor, keeping any it set itself.
			editor.onEscape ??= () => keys.escape();
			editor.onCtrlD ??= () => keys.exit();
			editor.onPasteImage ??= () => keys.pasteImage();
			editor.onExtensionShortcut ??= (data) => this.parts.shortcut(data);
			for (const [action, handler] of keys.actionHandlers()) {
				if (!editor.actionHandlers.has(action)) editor.actionHandlers.set(action, handler);
			}
		}
		editorArea.setEditor(editor);
	}
}
