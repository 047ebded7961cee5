/**
 * The bottom input area: the TUI editor (border coloured by thinking level, or bash mode for `!`) with its
 * autocomplete list (slash commands and their arguments, `@` files, Tab paths: autocomplete-provider.ts), and the
 * slot where selectors temporarily replace the editor.
 */
import type { AgentSession } from "../../../agent/agent-session.ts";
import { autocompleteDescription, slashCommandsFor } from "../../../resources/index.ts";
import { Editor } from "../../../tui/components/editor.ts";
import type { AutocompleteProvider } from "../../../tui/components/editor-autocomplete.ts";
import type { TUI } from "../../../tui/tui.ts";
import { PromptAutocomplete } from "../autocomplete-provider.ts";
import type { SlashCommand } from "../slash-commands.ts";
import { fg, thinkingBorderToken } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

export class EditorArea implements UiComponent {
	/** The prompt editor in use: ours, or one an extension put in its place (setEditor). */
	editor: Editor;
	private readonly defaultEditor: Editor;
	private selector: UiComponent | undefined;

	constructor(
		private readonly tui: TUI,
		private readonly session: AgentSession,
		onSubmit: (text: string) => void,
		/** The registered slash commands, in autocomplete order. */
		private readonly registeredCommands: () => readonly SlashCommand[],
	) {
		this.editor = new Editor({
			terminalRows: () => tui.terminal.rows,
			paddingX: session.settings.getEditorPaddingX(),
			requestRender: () => tui.requestRender(),
			autocompleteMaxVisible: session.settings.getAutocompleteMaxVisible(),
		});
		this.editor.setAutocompleteProvider(
			new PromptAutocomplete(
				() => session.cwd,
				() => this.slashCommands(),
			),
		);
		this.editor.onSubmit = (text: string) => onSubmit(text);
		this.editor.onChange = () => this.updateBorder();
		this.defaultEditor = this.editor;
		this.updateBorder();
	}

	/** True while an extension's editor is the prompt editor (it takes its keys itself). */
	get hasCustomEditor(): boolean {
		return this.editor !== this.defaultEditor;
	}

	/**
	 * Puts `next` in the prompt editor's place (undefined: ours again). It takes over the text, the submit and
	 * change callbacks, the padding and the border colour; a dialog shown now stays until closed.
	 */
	setEditor(next: Editor | undefined): void {
		const replacement = next ?? this.defaultEditor;
		if (replacement === this.editor) return;
		const previous = this.editor;
		const text = previous.getExpandedText();
		replacement.onSubmit = this.defaultEditor.onSubmit;
		replacement.onChange = this.defaultEditor.onChange;
		replacement.setPaddingX(this.defaultEditor.getPaddingX());
		// pi hands its autocomplete to an extension's editor too.
		replacement.setAutocompleteProvider(this.defaultEditor.autocomplete.getProvider());
		replacement.setAutocompleteMaxVisible(this.defaultEditor.autocomplete.maxVisible);
		if (previous !== this.defaultEditor) {
			previous.onSubmit = undefined;
			previous.onChange = undefined;
		}
		this.editor = replacement;
		replacement.setText(text);
		this.updateBorder();
		if (this.selector === undefined) this.focusEditor();
		this.tui.requestRender();
	}

	/** What the prompt editor completes with (the app's, or extensions' stacked on it). */
	get autocompleteProvider(): AutocompleteProvider | undefined {
		return this.defaultEditor.autocomplete.getProvider();
	}

	/** Completes with `provider` from now on, in our editor and an extension's alike. */
	setAutocompleteProvider(provider: AutocompleteProvider | undefined): void {
		this.defaultEditor.setAutocompleteProvider(provider);
		if (this.editor !== this.defaultEditor) this.editor.setAutocompleteProvider(provider);
	}

	/** True while the autocomplete list is open (its keys win over the app's and the transcript's). */
	get hasSuggestions(): boolean {
		return this.editor.isShowingAutocomplete();
	}

	get isEditorActive(): boolean {
		return this.selector === undefined;
	}

	focusEditor(): void {
		this.tui.setFocus(this.editor);
	}

	/** Shows a dialog (a selector, a prompt) in the editor's place with focus; undefined brings the editor back. */
	place(dialog: UiComponent | undefined): void {
		this.selector = dialog;
		if (dialog) this.tui.setFocus(dialog);
		else this.focusEditor();
		this.tui.requestRender();
	}

	getText(): string {
		return this.editor.getText();
	}

	setText(text: string): void {
		this.editor.setText(text);
		this.updateBorder();
	}

	/** The current text, leaving the editor empty. */
	takeText(): string {
		const text = this.editor.getExpandedText();
		this.setText("");
		return text;
	}

	/** Edits with `data` as our editor would, also in an extension's editor (whose own key handling is skipped). */
	private edit(data: string): void {
		Editor.prototype.handleInput.call(this.editor, data);
	}

	/** Types `text` at the cursor (a pasted image's file path). */
	insertText(text: string): void {
		this.edit(text);
		this.updateBorder();
	}

	addToHistory(text: string): void {
		this.editor.addToHistory(text);
	}

	/** After /reload. The TUI editor takes its padding only at construction, so editorPaddingX needs a restart. */
	applySettings(): void {
		this.editor.setAutocompleteMaxVisible(this.session.settings.getAutocompleteMaxVisible());
		this.updateBorder();
	}

	updateBorder(): void {
		const text = this.editor.getText();
		const token = text.trimStart().startsWith("!") ? "bashMode" : thinkingBorderToken(this.session.thinkingLevel);
		this.editor.borderColor = (line: string) => fg(token, line);
	}

	/** Built-in commands, then prompt templates and skills (pi's autocomplete order). */
	private slashCommands(): SlashCommand[] {
		const extra = slashCommandsFor(this.session.resources, { forAutocomplete: true }).map((command) => ({
			name: command.name,
			description: autocompleteDescription(command),
			...(command.argumentHint ? { argumentHint: command.argumentHint } : {}),
		}));
		return [...this.registeredCommands(), ...extra];
	}

	render(width: number): string[] {
		if (this.selector) return this.selector.render(width);
		return this.editor.render(width);
	}
}
