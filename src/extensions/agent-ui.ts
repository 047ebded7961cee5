/**
 * The UI pieces pi-coding-agent exports for extensions: `CustomEditor` (the base of replacement prompt editors),
 * `DynamicBorder`, `BorderedLoader`, the key-hint formatters and the list themes, drawn with the app's theme and
 * keybindings.
 */
import type { Component } from "../tui/component.ts";
import { theme } from "../tui/theme.ts";
import { Container } from "../tui/tui.ts";
import { Editor, type EditorOptions, type EditorTheme, type TuiHandle } from "./pi-tui/inputs.ts";
import { getKeybindings, type KeybindingsManager } from "./pi-tui/keys.ts";
import type { SelectListTheme, SettingsListTheme } from "./pi-tui/lists.ts";
import { CancellableLoader, Loader } from "./pi-tui/loaders.ts";
import { Spacer, Text } from "./pi-tui/text.ts";

type Style = (text: string) => string;

function formatKeys(keys: readonly string[], capitalize = false): string {
	return keys
		.map((key) =>
			key
				.split("+")
				.map((part) => {
					const shown = process.platform === "darwin" && part.toLowerCase() === "alt" ? "option" : part;
					return capitalize ? shown.charAt(0).toUpperCase() + shown.slice(1) : shown;
				})
				.join("+"),
		)
		.join("/");
}

/** The keys bound to an action id ("ctrl+o"), "" when none. */
export function keyText(keybinding: string): string {
	return formatKeys(getKeybindings().getKeys(keybinding));
}

/** "ctrl+o to expand" as pi's hints draw it: the keys dim, the description muted. */
export function keyHint(keybinding: string, description: string): string {
	return theme.fg("dim", keyText(keybinding)) + theme.fg("muted", ` ${description}`);
}

export function rawKeyHint(key: string, description: string): string {
	return theme.fg("dim", formatKeys(key.split("/"))) + theme.fg("muted", ` ${description}`);
}

export function getSelectListTheme(): SelectListTheme {
	return {
		selectedPrefix: (text) => theme.fg("accent", text),
		selectedText: (text) => theme.fg("accent", text),
		description: (text) => theme.fg("muted", text),
		scrollInfo: (text) => theme.fg("muted", text),
		noMatch: (text) => theme.fg("muted", text),
	};
}

export function getSettingsListTheme(): SettingsListTheme {
	return {
		label: (text, selected) => (selected ? theme.fg("accent", text) : text),
		value: (text, selected) => (selected ? theme.fg("accent", text) : theme.fg("muted", text)),
		description: (text) => theme.fg("dim", text),
		cursor: theme.fg("accent", "→ "),
		hint: (text) => theme.fg("dim", text),
	};
}

/** The theme the prompt editor factory receives (pi's getEditorTheme). */
export function getEditorTheme(): EditorTheme {
	return { borderColor: (text) => theme.fg("borderMuted", text), selectList: getSelectListTheme() };
}

/** A line of ─ across the whole width. */
export class DynamicBorder implements Component {
	constructor(private readonly color: Style = (text) => theme.fg("border", text)) {}

	invalidate(): void {}

	render(width: number): string[] {
		return [this.color("─".repeat(Math.max(1, width)))];
	}
}

/** A loader between two borders, cancellable with Escape unless told otherwise. */
export class BorderedLoader extends Container {
	private readonly loader: Loader | CancellableLoader;
	private readonly controller: AbortController | undefined;

	constructor(
		tui: TuiHandle,
		th: { fg(color: string, text: string): string },
		message: string,
		options?: { cancellable?: boolean },
	) {
		super();
		const cancellable = options?.cancellable ?? true;
		const border = (text: string) => th.fg("border", text);
		const spinner = (text: string) => th.fg("accent", text);
		const muted = (text: string) => th.fg("muted", text);
		this.addChild(new DynamicBorder(border));
		this.loader = cancellable
			? new CancellableLoader(tui, spinner, muted, message)
			: new Loader(tui, spinner, muted, message);
		this.controller = cancellable ? undefined : new AbortController();
		this.addChild(this.loader);
		if (cancellable) {
			this.addChild(new Spacer(1));
			this.addChild(new Text(keyHint("tui.select.cancel", "cancel"), 1, 0));
		}
		this.addChild(new Spacer(1));
		this.addChild(new DynamicBorder(border));
	}

	get signal(): AbortSignal {
		return this.loader instanceof CancellableLoader
			? this.loader.signal
			: (this.controller?.signal ?? new AbortController().signal);
	}

	set onAbort(fn: (() => void) | undefined) {
		if (this.loader instanceof CancellableLoader) this.loader.onAbort = fn;
	}

	handleInput(data: string): void {
		if (this.loader instanceof CancellableLoader) this.loader.handleInput(data);
	}

	dispose(): void {
		this.loader.stop();
	}
}

/**
 * pi's CustomEditor: the prompt editor extensions subclass (vim modes, decorated borders). It handles the app's keys
 * itself, in pi's order — extension shortcuts, image paste, Escape, Ctrl+D on an empty editor, then the other app
 * actions — and passes everything else to the editor. The app fills `actionHandlers` and the `on…` callbacks when it
 * installs the editor.
 */
export class CustomEditor extends Editor {
	readonly actionHandlers = new Map<string, () => void>();
	readonly embedWorkingStatus: boolean;
	onEscape?: () => void;
	onCtrlD?: () => void;
	onPasteImage?: () => void;
	onExtensionShortcut?: (data: string) => boolean;
	private readonly keybindings: KeybindingsManager;

	constructor(
		tui: TuiHandle,
		editorTheme: EditorTheme,
		keybindings?: KeybindingsManager,
		options?: EditorOptions & { embedWorkingStatus?: boolean },
	) {
		super(tui, editorTheme, options);
		this.keybindings = keybindings ?? getKeybindings();
		this.embedWorkingStatus = options?.embedWorkingStatus ?? false;
	}

	onAction(action: string, handler: () => void): void {
		this.actionHandlers.set(action, handler);
	}

	/** pi draws the working status in the border when asked; here it stays on its own row. */
	setWorkingStatusIndicator(_indicator: unknown): void {}

	override handleInput(data: string): void {
		const kb = this.keybindings;
		if (this.onExtensionShortcut?.(data)) return;
		if (kb.matches(data, "app.clipboard.pasteImage")) {
			this.onPasteImage?.();
			return;
		}
		if (kb.matches(data, "app.interrupt")) {
			const handler = this.onEscape ?? this.actionHandlers.get("app.interrupt");
			if (!this.isShowingAutocomplete() && handler) {
				handler();
				return;
			}
			super.handleInput(data);
			return;
		}
		if (kb.matches(data, "app.exit") && this.getText().length === 0) {
			(this.onCtrlD ?? this.actionHandlers.get("app.exit"))?.();
			return;
		}
		for (const [action, handler] of this.actionHandlers) {
			if (action === "app.interrupt" || action === "app.exit") continue;
			if (kb.matches(data, action)) {
				handler();
				return;
			}
		}
		super.handleInput(data);
	}
}
