import type { Component } from "../component.ts";
import { wrapTextWithAnsi } from "../text-utils.ts";

/** Word-wrapped text with horizontal/vertical padding. Renders nothing for blank text. */
export class Text implements Component {
	private cache: { width: number; lines: string[] } | undefined;

	constructor(
		private text = "",
		private paddingX = 1,
		private paddingY = 0,
	) {}

	setText(text: string): void {
		if (text === this.text) return;
		this.text = text;
		this.cache = undefined;
	}

	getText(): string {
		return this.text;
	}

	invalidate(): void {
		this.cache = undefined;
	}

	render(width: number): string[] {
		if (this.cache?.width === width) return this.cache.lines;
		const lines: string[] = [];
		if (this.text.trim().length > 0) {
			const pad = " ".repeat(this.paddingX);
			const contentWidth = Math.max(1, width - this.paddingX * 2);
			const body = wrapTextWithAnsi(this.text.replace(/\t/g, "   "), contentWidth).map((line) => pad + line);
			for (let i = 0; i < this.paddingY; i++) lines.push("");
			lines.push(...body);
			for (let i = 0; i < this.paddingY; i++) lines.push("");
		}
		this.cache = { width, lines };
		return lines;
	}
}
