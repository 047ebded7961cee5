/**
 * The bottom input area: the TUI editor (border coloured by thinking level, or bash mode for `!`), the slash
 * command autocomplete list above it, and the slot where selectors temporarily replace the editor.
 */
import type { AgentSession } from "../../../agent/agent-session.ts";
import { Editor } from "../../../tui/components/editor.ts";
import { truncateToWidth } from "../../../tui/text-utils.ts";
import type { TUI } from "../../../tui/tui.ts";
import { activeKeybindings } from "../keybindings.ts";
import { completeSlashCommand, type SlashCommand } from "../slash-commands.ts";
import { fg, thinkingBorderToken } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

const AUTOCOMPLETE_MAX = 5;

export class EditorArea implements UiComponent {
	readonly editor: Editor;
	private selector: UiComponent | undefined;
	private suggestions: SlashCommand[] = [];
	private suggestionIndex = 0;
	private autocompleteDismissed = false;

	constructor(
		private readonly tui: TUI,
		private readonly session: AgentSession,
		onSubmit: (text: string) => void,
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
		this.updateBorder();
	}

	get isEditorActive(): boolean {
		return this.selector === undefined;
	}

	focusEditor(): void {
		this.tui.setFocus(this.editor);
	}

	/** Replace the editor by a selector until `closeSelector`. */
	showSelector(selector: UiComponent): void {
		this.selector = selector;
		this.tui.setFocus(selector);
		this.tui.requestRender();
	}

	closeSelector(): void {
		this.selector = undefined;
		this.focusEditor();
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

	addToHistory(text: string): void {
		this.editor.addToHistory(text);
	}

	updateBorder(): void {
		const text = this.editor.getText();
		const token = text.startsWith("!") ? "bashMode" : thinkingBorderToken(this.session.thinkingLevel);
		this.editor.borderColor = (line: string) => fg(token, line);
	}

	private refreshSuggestions(): void {
		const text = this.editor.getText();
		this.suggestions = this.autocompleteDismissed ? [] : completeSlashCommand(text);
		if (this.suggestions.length === 1 && `/${this.suggestions[0]?.name}` === text) this.suggestions = [];
		this.suggestionIndex = Math.min(this.suggestionIndex, Math.max(0, this.suggestions.length - 1));
	}

	closeAutocomplete(): boolean {
		if (this.suggestions.length === 0) return false;
		this.autocompleteDismissed = true;
		this.suggestions = [];
		return true;
	}

	/** Keys the autocomplete list takes before the editor: ↑/↓ choose, Tab completes, Enter completes and sends. */
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
		if (kb.matches(data, "tui.input.tab")) {
			this.setText(`/${chosen.name} `);
			this.suggestions = [];
			return true;
		}
		if (kb.matches(data, "tui.select.confirm")) {
			this.setText(`/${chosen.name}`);
			this.suggestions = [];
			return false; // the editor submits the completed command
		}
		return false;
	}

	/** Tab with no list open: path completion of the word before the cursor. */
	handleTabKey(data: string): boolean {
		if (!activeKeybindings().matches(data, "tui.input.tab")) return false;
		return false;
	}

	render(width: number): string[] {
		if (this.selector) return this.selector.render(width);
		const lines: string[] = [];
		if (this.suggestions.length > 0) {
			const start = Math.max(0, Math.min(this.suggestionIndex - 2, this.suggestions.length - AUTOCOMPLETE_MAX));
			const shown = this.suggestions.slice(start, start + AUTOCOMPLETE_MAX);
			shown.forEach((command, offset) => {
				const selected = start + offset === this.suggestionIndex;
				const name = `/${command.name}`.padEnd(16);
				const row = selected
					? fg("accent", `→ ${name}`) + fg("muted", command.description)
					: `  ${name}${fg("muted", command.description)}`;
				lines.push(truncateToWidth(row, width, "…"));
			});
		}
		return [...this.editor.render(width), ...lines];
	}
}
