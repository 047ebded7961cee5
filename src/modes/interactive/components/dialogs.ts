/**
 * The small dialogs that take the editor's place: a one-line text prompt and a multi-line editor, both framed like
 * pi's selectors (border, accent title, muted hint). The list dialogs are ListSelector.
 */
import type { Component, Focusable } from "../../../tui/component.ts";
import { Editor } from "../../../tui/components/editor.ts";
import { Input } from "../../../tui/components/input.ts";
import { activeKeybindings } from "../keybindings.ts";
import { bold, fg } from "../style.ts";

function frame(width: number, title: string, hint: string, body: string[]): string[] {
	const border = fg("border", "─".repeat(Math.max(1, width)));
	return [border, ` ${fg("accent", bold(title))}`, ...(hint ? [` ${fg("muted", hint)}`] : []), ...body, border];
}

/** A titled one-line prompt. Enter submits the text, Escape cancels. */
export class InputDialog implements Component, Focusable {
	private readonly input = new Input("> ");
	/** Extra text after the title (a countdown). */
	titleSuffix = "";

	constructor(
		private readonly title: string,
		private readonly hint: string,
		onSubmit: (value: string) => void,
		onCancel: () => void,
		private readonly placeholder = "",
	) {
		this.input.onSubmit = onSubmit;
		this.input.onEscape = onCancel;
	}

	get focused(): boolean {
		return this.input.focused;
	}

	set focused(value: boolean) {
		this.input.focused = value;
	}

	setValue(value: string): void {
		this.input.setValue(value);
	}

	handleInput(data: string): void {
		this.input.handleInput(data);
	}

	render(width: number): string[] {
		const body = this.input.render(width);
		if (this.placeholder && this.input.getValue() === "" && body.length === 1) {
			body[0] = `${body[0] ?? ""}${fg("dim", this.placeholder)}`;
		}
		return frame(width, this.title + this.titleSuffix, this.hint, body);
	}
}

/** A titled multi-line editor. Enter submits, Shift+Enter adds a line, Escape cancels. */
export class EditorDialog implements Component, Focusable {
	private readonly editor: Editor;
	titleSuffix = "";

	constructor(
		private readonly title: string,
		prefill: string,
		private readonly onSubmit: (value: string) => void,
		private readonly onCancel: () => void,
		terminalRows: () => number,
	) {
		this.editor = new Editor({ terminalRows });
		this.editor.setText(prefill);
		this.editor.onSubmit = (text) => this.onSubmit(text);
		this.editor.borderColor = (line) => fg("border", line);
	}

	get focused(): boolean {
		return this.editor.focused;
	}

	set focused(value: boolean) {
		this.editor.focused = value;
	}

	handleInput(data: string): void {
		if (activeKeybindings().matches(data, "tui.select.cancel") && data !== "\x03") {
			this.onCancel();
			return;
		}
		this.editor.handleInput(data);
	}

	render(width: number): string[] {
		return [
			` ${fg("accent", bold(this.title + this.titleSuffix))}`,
			` ${fg("muted", "enter submit · shift+enter new line · esc cancel")}`,
			...this.editor.render(width),
		];
	}
}
