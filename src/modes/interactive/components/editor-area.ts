/**
 * The bottom input area: the TUI editor (border coloured by thinking level, or bash mode for `!`), the slash
 * command autocomplete list above it, and the slot where selectors temporarily replace the editor.
 */
import type { AgentSession } from "../../../agent/agent-session.ts";
import { autocompleteDescription, slashCommandsFor } from "../../../resources/index.ts";
import { Editor } from "../../../tui/components/editor.ts";
import { truncateToWidth } from "../../../tui/text-utils.ts";
import type { TUI } from "../../../tui/tui.ts";
import {
	extractAtPrefix,
	extractPathPrefix,
	fuzzyFileSuggestions,
	type PathSuggestion,
	pathSuggestions,
} from "../file-autocomplete.ts";
import { activeKeybindings } from "../keybindings.ts";
import { completeSlashCommand, type SlashCommand } from "../slash-commands.ts";
import { fg, thinkingBorderToken } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

interface Suggestion {
	kind: "command" | "path";
	label: string;
	description?: string;
	/** Text that replaces `prefix` (the text before the cursor that was completed). */
	value: string;
	prefix: string;
	isDirectory?: boolean;
}

export class EditorArea implements UiComponent {
	/** The prompt editor in use: ours, or one an extension put in its place (setEditor). */
	editor: Editor;
	private readonly defaultEditor: Editor;
	private selector: UiComponent | undefined;
	private suggestions: Suggestion[] = [];
	private fileQuery: string | undefined;
	private fileSearch: AbortController | undefined;
	private suggestionIndex = 0;
	private autocompleteDismissed = false;

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
		});
		this.editor.onSubmit = (text: string) => {
			this.refreshSuggestions();
			onSubmit(text);
		};
		this.editor.onChange = () => {
			this.autocompleteDismissed = false;
			this.refreshSuggestions();
			this.updateBorder();
		};
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

	/** True while the autocomplete list is open (its keys win over the transcript's). */
	get hasSuggestions(): boolean {
		return this.suggestions.length > 0;
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
		this.refreshSuggestions();
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
		}));
		return [...this.registeredCommands(), ...extra];
	}

	private textBeforeCursor(): string {
		const { line, col } = this.editor.getCursor();
		return (this.editor.getText().split("\n")[line] ?? "").slice(0, col);
	}

	private refreshSuggestions(): void {
		const text = this.editor.getText();
		this.fileQuery = undefined;
		if (this.autocompleteDismissed) {
			this.suggestions = [];
			return;
		}
		const commands = completeSlashCommand(text, this.slashCommands());
		if (commands.length > 0) {
			this.suggestions = commands.map((command) => ({
				kind: "command",
				label: `/${command.name}`,
				description: command.description,
				value: `/${command.name}`,
				prefix: text,
			}));
			if (commands.length === 1 && `/${commands[0]?.name}` === text) this.suggestions = [];
			this.suggestionIndex = Math.min(this.suggestionIndex, Math.max(0, this.suggestions.length - 1));
			return;
		}
		this.suggestions = [];
		const atPrefix = extractAtPrefix(this.textBeforeCursor());
		if (atPrefix !== undefined) void this.searchFiles(atPrefix);
	}

	/** Runs the project search for an `@` prefix; a result only shows if the prefix is still what was typed. */
	private async searchFiles(atPrefix: string): Promise<void> {
		this.fileQuery = atPrefix;
		// A newer keystroke makes the running walk pointless.
		this.fileSearch?.abort();
		const search = new AbortController();
		this.fileSearch = search;
		let found: PathSuggestion[];
		try {
			found = await fuzzyFileSuggestions(this.session.cwd, atPrefix, search.signal);
		} catch {
			found = [];
		}
		if (this.fileQuery !== atPrefix || this.autocompleteDismissed) return;
		this.showPathSuggestions(found, atPrefix);
		this.tui.requestRender();
	}

	private showPathSuggestions(found: PathSuggestion[], prefix: string): void {
		this.suggestions = found.map((item) => ({
			kind: "path",
			label: item.label,
			description: item.description,
			value: item.value,
			prefix,
			isDirectory: item.isDirectory,
		}));
		this.suggestionIndex = 0;
	}

	/** Resolves once the latest `@` search has finished (tests). */
	get pendingFileSearch(): string | undefined {
		return this.fileQuery;
	}

	closeAutocomplete(): boolean {
		if (this.suggestions.length === 0) return false;
		this.autocompleteDismissed = true;
		this.suggestions = [];
		this.fileQuery = undefined;
		return true;
	}

	/** Replaces the prefix before the cursor by the chosen path (a space follows files, not folders). */
	private applyPath(suggestion: Suggestion): void {
		for (const _ of suggestion.prefix) this.edit("\x7f");
		const quotedFolder = suggestion.isDirectory === true && suggestion.value.endsWith('"');
		this.edit(suggestion.isDirectory ? suggestion.value : `${suggestion.value} `);
		// Inside a quoted folder the cursor stays before the closing quote, ready for the next part.
		if (quotedFolder) this.edit("\x1b[D");
		this.suggestions = [];
		this.fileQuery = undefined;
		this.autocompleteDismissed = false;
		if (suggestion.isDirectory && suggestion.value.startsWith("@")) {
			const atPrefix = extractAtPrefix(this.textBeforeCursor());
			if (atPrefix !== undefined) void this.searchFiles(atPrefix);
		}
	}

	/** Keys the autocomplete list takes before the editor: ↑/↓ choose, Tab completes, Enter completes (and sends a command). */
	handleAutocompleteKey(data: string): boolean {
		if (this.suggestions.length === 0) return false;
		const kb = activeKeybindings();
		if (kb.matches(data, "tui.select.up")) {
			this.suggestionIndex = (this.suggestionIndex - 1 + this.suggestions.length) % this.suggestions.length;
			return true;
		}
		if (kb.matches(data, "tui.select.down")) {
			this.suggestionIndex = (this.suggestionIndex + 1) % this.suggestions.length;
			return true;
		}
		const chosen = this.suggestions[this.suggestionIndex];
		if (!chosen) return false;
		const tab = kb.matches(data, "tui.input.tab");
		const enter = kb.matches(data, "tui.select.confirm");
		if (!tab && !enter) return false;
		if (chosen.kind === "path") {
			this.applyPath(chosen);
			return true;
		}
		this.setText(tab ? `${chosen.value} ` : chosen.value);
		this.suggestions = [];
		return tab; // Enter: the editor submits the completed command
	}

	/** Tab with no list open: path completion of the word before the cursor (one match completes at once). */
	handleTabKey(data: string): boolean {
		if (!activeKeybindings().matches(data, "tui.input.tab")) return false;
		const before = this.textBeforeCursor();
		if (before.trim().startsWith("/") && !before.trim().includes(" ")) return false;
		const prefix = extractPathPrefix(before);
		const found = pathSuggestions(this.session.cwd, prefix);
		if (found.length === 0) return true;
		const first = found[0];
		if (found.length === 1 && first) {
			this.applyPath({ kind: "path", label: first.label, value: first.value, prefix, isDirectory: first.isDirectory });
			return true;
		}
		this.autocompleteDismissed = false;
		this.showPathSuggestions(found, prefix);
		return true;
	}

	render(width: number): string[] {
		if (this.selector) return this.selector.render(width);
		const maxItems = Math.max(1, this.session.settings.getAutocompleteMaxVisible());
		const lines: string[] = [];
		if (this.suggestions.length > 0) {
			const start = Math.max(0, Math.min(this.suggestionIndex - 2, this.suggestions.length - maxItems));
			const shown = this.suggestions.slice(start, start + maxItems);
			const labelWidth = Math.max(16, ...shown.map((item) => item.label.length + 2));
			shown.forEach((item, offset) => {
				const selected = start + offset === this.suggestionIndex;
				const name = item.label.padEnd(Math.min(labelWidth, 40));
				const description = item.description ?? "";
				const row = selected
					? fg("accent", `→ ${name}`) + fg("muted", description)
					: `  ${name}${fg("muted", description)}`;
				lines.push(truncateToWidth(row, width, "…"));
			});
			if (this.suggestions.length > maxItems) {
				lines.push(
					fg("muted", truncateToWidth(`  (${this.suggestionIndex + 1}/${this.suggestions.length})`, width, "")),
				);
			}
		}
		return [...this.editor.render(width), ...lines];
	}
}
