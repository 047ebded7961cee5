import { type Component, CURSOR_MARKER, type Focusable } from "../component.ts";
import { pasteContent } from "../input-split.ts";
import { matchesKey, printableText } from "../keys.ts";
import { tokenize, visibleWidth } from "../text-utils.ts";
import { inverse } from "../theme.ts";
import { nextGraphemeEnd, nextWordEnd, previousGraphemeStart, previousWordStart } from "./word-motion.ts";

/** Single-line text input (filters, prompts). Scrolls horizontally to keep the cursor visible. */
export class Input implements Component, Focusable {
	focused = false;
	onSubmit?: (value: string) => void;
	onEscape?: () => void;
	onChange?: (value: string) => void;
	private value = "";
	private cursor = 0;

	constructor(private readonly prompt = "> ") {}

	getValue(): string {
		return this.value;
	}

	setValue(value: string): void {
		this.value = value.replace(/[\r\n]+/g, " ");
		this.cursor = this.value.length;
	}

	handleInput(data: string): void {
		const before = this.value;
		const paste = pasteContent(data);
		if (paste !== undefined) this.insert(paste.replace(/[\r\n\t]+/g, " "));
		else if (matchesKey(data, "enter")) this.onSubmit?.(this.value);
		else if (matchesKey(data, "escape")) this.onEscape?.();
		else if (matchesKey(data, "backspace")) {
			const start = previousGraphemeStart(this.value, this.cursor);
			this.value = this.value.slice(0, start) + this.value.slice(this.cursor);
			this.cursor = start;
		} else if (matchesKey(data, "delete") || matchesKey(data, "ctrl+d")) {
			this.value = this.value.slice(0, this.cursor) + this.value.slice(nextGraphemeEnd(this.value, this.cursor));
		} else if (matchesKey(data, "left") || matchesKey(data, "ctrl+b")) {
			this.cursor = previousGraphemeStart(this.value, this.cursor);
		} else if (matchesKey(data, "right") || matchesKey(data, "ctrl+f")) {
			this.cursor = nextGraphemeEnd(this.value, this.cursor);
		} else if (matchesKey(data, "home") || matchesKey(data, "ctrl+a")) this.cursor = 0;
		else if (matchesKey(data, "end") || matchesKey(data, "ctrl+e")) this.cursor = this.value.length;
		else if (matchesKey(data, "ctrl+u")) {
			this.value = this.value.slice(this.cursor);
			this.cursor = 0;
		} else if (matchesKey(data, "ctrl+k")) this.value = this.value.slice(0, this.cursor);
		else if (matchesKey(data, "ctrl+w") || matchesKey(data, "alt+backspace")) {
			const start = previousWordStart(this.value, this.cursor);
			this.value = this.value.slice(0, start) + this.value.slice(this.cursor);
			this.cursor = start;
		} else if (matchesKey(data, "alt+left") || matchesKey(data, "ctrl+left") || matchesKey(data, "alt+b")) {
			this.cursor = previousWordStart(this.value, this.cursor);
		} else if (matchesKey(data, "alt+right") || matchesKey(data, "ctrl+right") || matchesKey(data, "alt+f")) {
			this.cursor = nextWordEnd(this.value, this.cursor);
		} else {
			const text = printableText(data);
			if (text !== undefined) this.insert(text);
		}
		if (this.value !== before) this.onChange?.(this.value);
	}

	private insert(text: string): void {
		this.value = this.value.slice(0, this.cursor) + text + this.value.slice(this.cursor);
		this.cursor += text.length;
	}

	render(width: number): string[] {
		const available = Math.max(1, width - visibleWidth(this.prompt) - 1);
		const beforeCursor = this.value.slice(0, this.cursor);
		const atCursorEnd = nextGraphemeEnd(this.value, this.cursor);
		const atCursor = this.value.slice(this.cursor, atCursorEnd) || " ";
		const afterCursor = this.value.slice(atCursorEnd);
		// Drop graphemes from the left until the cursor fits.
		let visibleBefore = beforeCursor;
		while (visibleWidth(visibleBefore) + visibleWidth(atCursor) > available && visibleBefore.length > 0) {
			visibleBefore = visibleBefore.slice(nextGraphemeEnd(visibleBefore, 0));
		}
		let remaining = available - visibleWidth(visibleBefore) - visibleWidth(atCursor);
		let visibleAfter = "";
		for (const token of tokenize(afterCursor)) {
			if (token.kind !== "char" || token.width > remaining) break;
			visibleAfter += token.text;
			remaining -= token.width;
		}
		const cursor = this.focused ? CURSOR_MARKER + inverse(atCursor) : atCursor;
		return [this.prompt + visibleBefore + cursor + visibleAfter];
	}
}
