/**
 * `ctx.ui`: the methods every mode has, answered as pi answers them without a UI (dialogs resolve to "nothing
 * chosen", the rest does nothing). A mode overrides what it can really do; custom components, header/footer and
 * editor replacement stay no-ops until the custom-UI work (issue 13). `theme` is pi's theme object.
 */
import { extensionTheme } from "./theme.ts";

function withoutUi(): Record<string, unknown> {
	return {
		select: async () => undefined,
		confirm: async () => false,
		input: async () => undefined,
		editor: async () => undefined,
		notify: () => {},
		onTerminalInput: () => () => {},
		setStatus: () => {},
		setWorkingMessage: () => {},
		setWorkingVisible: () => {},
		setWorkingIndicator: () => {},
		setHiddenThinkingLabel: () => {},
		setWidget: () => {},
		setFooter: () => {},
		setHeader: () => {},
		setTitle: () => {},
		custom: async () => undefined,
		pasteToEditor: () => {},
		setEditorText: () => {},
		getEditorText: () => "",
		addAutocompleteProvider: () => {},
		setEditorComponent: () => {},
		getEditorComponent: () => undefined,
		getAllThemes: () => [],
		getTheme: () => undefined,
		setTheme: () => ({ success: false, error: "UI not available" }),
		getToolsExpanded: () => false,
		setToolsExpanded: () => {},
	};
}

/** A `ctx.ui` object: the defaults above with the mode's own methods over them. */
export function uiContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
	const ui = { ...withoutUi(), ...overrides };
	// A getter, so a theme change shows in what extensions style from then on.
	Object.defineProperty(ui, "theme", { get: extensionTheme, enumerable: true });
	return ui;
}
