/**
 * Stand-in for the TUI's multi-line Editor until it lands: the TUI's single-line Input between two border
 * lines, with submit history (↑/↓) and a border colour hook. Same surface the editor area needs.
 */
import type { Focusable } from "../../../tui/component.ts";
import { Input } from "../../../tui/components/input.ts";
import { matchesKey } from "../../../tui/keys.ts";
import type { UiComponent } from "./primitives.ts";

const HISTORY_LIMIT = 100;

export class PromptEditor implements UiComponent, Focusable {
	onSubmit?: (text: string) => void;
	onChange?: (text: string) => void;
	borderColor: (line: string) => string = (line) => line;
	private readonly input = new Input("");
	private history: string[] = [];
	private historyIndex = -1;

	constructor() {
		this.input.onSubmit = (value) => {
			this.historyIndex = -1;
			this.onSubmit?.(value);
		};
		this.input.onChange = (value) => this.onChange?.(value);
	}

	get focused(): boolean {
		return this.input.focused;
	}
	set focused(value: boolean) {
		this.input.focused = value;
	}

	getText(): string {
		return this.input.getValue();
	}

	setText(text: string): void {
		this.input.setValue(text);
		this.onChange?.(this.input.getValue());
	}

	addToHistory(text: string): void {
		if (this.history[0] === text) return;
		this.history.unshift(text);
		if (this.history.length > HISTORY_LIMIT) this.history.pop();
	}

	handleInput(data: string): void {
		if (matchesKey(data, "up") && this.history.length > 0) {
			if (this.historyIndex === -1 && this.getText() !== "") return;
			this.historyIndex = Math.min(this.history.length - 1, this.historyIndex + 1);
			this.setText(this.history[this.historyIndex] ?? "");
			return;
		}
		if (matchesKey(data, "down") && this.historyIndex >= 0) {
			this.historyIndex--;
			this.setText(this.historyIndex >= 0 ? (this.history[this.historyIndex] ?? "") : "");
			return;
		}
		this.input.handleInput(data);
	}

	render(width: number): string[] {
		const border = this.borderColor("─".repeat(Math.max(1, width)));
		return [border, ...this.input.render(width), border];
	}
}
