import type { Component } from "../component.ts";
import { padToWidth, truncateToWidth } from "../text-utils.ts";

/** Colours a whole line's background, e.g. `(text) => theme.bg("toolPendingBg", text)`. */
export type BackgroundFn = (text: string) => string;

/**
 * Children stacked vertically inside padding, every line (padding included) filled to the full width with a
 * background colour, as pi's Box.
 */
export class Box implements Component {
	children: Component[] = [];
	private cache: { width: number; childLines: string[]; background: string; lines: string[] } | undefined;

	constructor(
		private paddingX = 1,
		private paddingY = 1,
		private background?: BackgroundFn,
	) {}

	addChild(component: Component): void {
		this.children.push(component);
		this.cache = undefined;
	}

	removeChild(component: Component): void {
		const index = this.children.indexOf(component);
		if (index === -1) return;
		this.children.splice(index, 1);
		this.cache = undefined;
	}

	clear(): void {
		this.children = [];
		this.cache = undefined;
	}

	/** Changes the background; the next render notices (its escape sequence is part of the cache key). */
	setBackground(background: BackgroundFn | undefined): void {
		this.background = background;
	}

	setPaddingX(paddingX: number): void {
		this.paddingX = paddingX;
		this.cache = undefined;
	}

	invalidate(): void {
		this.cache = undefined;
		for (const child of this.children) child.invalidate?.();
	}

	render(width: number): string[] {
		if (this.children.length === 0) return [];
		const contentWidth = Math.max(1, width - this.paddingX * 2);
		const childLines: string[] = [];
		for (const child of this.children) for (const line of child.render(contentWidth)) childLines.push(line);
		const open = backgroundOpener(this.background);
		const cache = this.cache;
		if (
			cache?.width === width &&
			cache.background === open &&
			cache.childLines.length === childLines.length &&
			cache.childLines.every((line, i) => line === childLines[i])
		) {
			return cache.lines;
		}
		const pad = " ".repeat(this.paddingX);
		const fill = (line: string) => this.fillLine(line, width, open);
		const lines: string[] = [];
		for (let i = 0; i < this.paddingY; i++) lines.push(fill(""));
		for (const line of childLines) lines.push(fill(pad + truncateToWidth(line, contentWidth, "")));
		for (let i = 0; i < this.paddingY; i++) lines.push(fill(""));
		this.cache = { width, childLines, background: open, lines };
		return lines;
	}

	private fillLine(line: string, width: number, open: string): string {
		const padded = padToWidth(line, width);
		if (!this.background) return padded;
		// A reset inside the content would end the background early: reopen it after each one.
		// biome-ignore lint/suspicious/noControlCharactersInRegex: SGR resets
		const kept = open ? padded.replace(/\x1b\[(?:0?|49)m/g, (reset) => reset + open) : padded;
		return this.background(kept);
	}
}

/** The escape sequence a background function starts with ("" when it adds none). */
function backgroundOpener(background: BackgroundFn | undefined): string {
	if (!background) return "";
	const sample = background("\u0000");
	const index = sample.indexOf("\u0000");
	return index > 0 ? sample.slice(0, index) : "";
}
