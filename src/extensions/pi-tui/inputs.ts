/**
 * pi-tui's Input and Editor for extensions, over our own components: the same text editing, kill ring, undo and
 * paste handling the app's prompt has, with pi-tui's constructors. `Editor` is also the base of pi's `CustomEditor`
 * (the class extensions extend to replace the prompt editor); the app plugs its own keys in through `inputHook`.
 */
import { Editor as TuiEditor } from "../../tui/components/editor.ts";
import { Input as TuiInput } from "../../tui/components/input.ts";
import { padToWidth, truncateToWidth, visibleWidth } from "../../tui/text-utils.ts";
import { getKeybindings } from "./keys.ts";

/** What pi-tui components need of the TUI they are given. */
export interface TuiHandle {
	requestRender(force?: boolean): void;
	readonly terminal: { readonly rows: number; readonly columns: number };
}

type Style = (text: string) => string;

export interface InputOptions {
	prompt?: string;
	placeholder?: string;
	placeholderStyle?: Style;
}

/** pi-tui's single-line Input: `> ` prompt, Enter submits, Escape (or Ctrl+C) calls onEscape, line padded to width. */
export class Input extends TuiInput {
	private readonly promptText: string;
	private readonly placeholder: string;
	private readonly placeholderStyle: Style;

	constructor(options: InputOptions = {}) {
		super(options.prompt ?? "> ");
		this.promptText = options.prompt ?? "> ";
		this.placeholder = options.placeholder ?? "";
		this.placeholderStyle = options.placeholderStyle ?? ((text) => text);
	}

	override handleInput(data: string): void {
		if (getKeybindings().matches(data, "tui.select.cancel")) {
			this.onEscape?.();
			return;
		}
		super.handleInput(data);
	}

	override render(width: number): string[] {
		if (this.getValue().length === 0 && this.placeholder) {
			const room = Math.max(1, width - visibleWidth(this.promptText));
			const text = this.placeholderStyle(truncateToWidth(this.placeholder, room, ""));
			return [padToWidth(this.promptText + text, width)];
		}
		return super.render(width).map((line) => padToWidth(line, width));
	}
}

export interface EditorTheme {
	borderColor: Style;
	selectList?: unknown;
}

export interface EditorOptions {
	paddingX?: number;
	autocompleteMaxVisible?: number;
}

/**
 * Decides about a key before the editor edits with it: undefined means it was used up (an app action, the
 * autocomplete list); a string is what the editor should handle (the key itself, or the default key of the editor
 * action the user bound it to).
 */
export type EditorInputHook = (data: string) => string | undefined;

/** pi-tui's Editor: our prompt editor with pi-tui's constructor `(tui, theme, options)` and its public API. */
export class Editor extends TuiEditor {
	/** The app's keys, installed while this editor is the prompt editor. */
	inputHook: EditorInputHook | undefined;
	protected tui: TuiHandle;
	override borderColor: Style;

	constructor(tui: TuiHandle, theme: EditorTheme, options: EditorOptions = {}) {
		super({
			terminalRows: () => tui.terminal.rows,
			paddingX: options.paddingX ?? 0,
			autocompleteMaxVisible: options.autocompleteMaxVisible ?? 5,
			requestRender: () => tui.requestRender(),
		});
		this.tui = tui;
		this.borderColor = typeof theme?.borderColor === "function" ? theme.borderColor : (text) => text;
	}

	override handleInput(data: string): void {
		const routed = this.inputHook ? this.inputHook(data) : data;
		if (routed !== undefined) super.handleInput(routed);
	}

	getLines(): string[] {
		return this.getText().split("\n");
	}

	/** Inserts `text` at the cursor as typed text (several lines as one paste). */
	insertTextAtCursor(text: string): void {
		super.handleInput(text.includes("\n") ? `\x1b[200~${text}\x1b[201~` : text);
	}
}
