/**
 * Small building blocks of the chat column: a vertical container, wrapped text with padding and an
 * optional background, and blank lines. Anything with `render(width)` fits in.
 */
import { Container } from "../../../tui/container.ts";
import { truncateToWidth, visibleWidth, wrapTextWithAnsi } from "../../../tui/text-utils.ts";

export interface UiComponent {
	render(width: number): string[];
	handleInput?(data: string): void;
	invalidate?(): void;
}

/** A vertical stack (the renderer's Container, so the screens see its children one by one). */
export class Column extends Container {
	add(child: UiComponent): void {
		this.addChild(child);
	}

	remove(child: UiComponent): void {
		this.removeChild(child);
	}
}

/** Pads a line with spaces to the full width (so a background fills the row). */
function padLine(line: string, width: number): string {
	const missing = width - visibleWidth(line);
	return missing > 0 ? line + " ".repeat(missing) : line;
}

/**
 * Lines placed inside a box: left/right padding, blank rows above and below, every row padded to the width
 * and painted by `paint` (a background), as pi's Box does.
 */
export function boxLines(
	inner: string[],
	width: number,
	padX: number,
	padY: number,
	paint?: (line: string) => string,
): string[] {
	const pad = " ".repeat(padX);
	const blank = " ".repeat(Math.max(0, width));
	const rows = [
		...Array.from({ length: padY }, () => blank),
		...inner.map((line) => padLine(`${pad}${line}`, width)),
		...Array.from({ length: padY }, () => blank),
	];
	return paint ? rows.map(paint) : rows;
}

export class TextBlock implements UiComponent {
	constructor(
		private text: string,
		private padX = 1,
		private padY = 0,
		private paint?: (line: string) => string,
	) {}

	setText(text: string): void {
		this.text = text;
	}

	getText(): string {
		return this.text;
	}

	setPaint(paint: ((line: string) => string) | undefined): void {
		this.paint = paint;
	}

	render(width: number): string[] {
		if (!this.text && !this.paint) return [];
		const innerWidth = Math.max(1, width - this.padX * 2);
		const inner = this.text ? this.text.split("\n").flatMap((line) => wrapTextWithAnsi(line, innerWidth)) : [];
		return boxLines(inner, width, this.padX, this.padY, this.paint);
	}
}

export class BlankLines implements UiComponent {
	constructor(private count = 1) {}
	render(): string[] {
		return Array.from({ length: this.count }, () => "");
	}
}

export function truncateLine(text: string, width: number): string {
	return truncateToWidth(text, width, "...");
}

/** Renders nothing; a placeholder slot whose content can be swapped. */
export class Slot implements UiComponent {
	content: UiComponent | undefined;
	set(content: UiComponent | undefined): void {
		this.content = content;
	}
	render(width: number): string[] {
		return this.content ? this.content.render(width) : [];
	}
	handleInput(data: string): void {
		this.content?.handleInput?.(data);
	}
	invalidate(): void {
		this.content?.invalidate?.();
	}
}

/**
 * Remembers the last render for one width. The whole chat is re-rendered on every frame (each key press), so
 * finished messages must not re-run markdown and wrapping each time.
 */
export class RenderCache {
	private width = -1;
	private lines: string[] = [];

	get(width: number, compute: () => string[]): string[] {
		if (width !== this.width) {
			this.lines = compute();
			this.width = width;
		}
		return this.lines;
	}

	clear(): void {
		this.width = -1;
	}
}
