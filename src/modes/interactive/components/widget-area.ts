/**
 * Keyed widgets above or below the editor (pi's setWidget): a component, or up to 10 lines of text. Above the
 * editor there is always a blank line (pi keeps one when no widget is set); below it only the widgets.
 */
import type { Component } from "../../../tui/component.ts";
import { fg } from "../style.ts";
import { TextBlock } from "./primitives.ts";

const MAX_WIDGET_LINES = 10;

interface Disposable {
	dispose?(): void;
}

function linesWidget(lines: readonly string[]): Component {
	const shown = lines.slice(0, MAX_WIDGET_LINES).map((line) => new TextBlock(line, 1, 0));
	if (lines.length > MAX_WIDGET_LINES) shown.push(new TextBlock(fg("muted", "... (widget truncated)"), 1, 0));
	return { render: (width) => shown.flatMap((block) => block.render(width)) };
}

export class WidgetArea implements Component {
	private readonly widgets = new Map<string, Component & Disposable>();

	constructor(private readonly leadingBlank: boolean) {}

	/** Sets, replaces (the old one is disposed) or with undefined removes the widget under `key`. */
	set(key: string, content: (Component & Disposable) | readonly string[] | undefined): void {
		this.widgets.get(key)?.dispose?.();
		this.widgets.delete(key);
		if (content === undefined) return;
		this.widgets.set(key, isLines(content) ? linesWidget(content) : content);
	}

	has(key: string): boolean {
		return this.widgets.has(key);
	}

	clear(): void {
		for (const widget of this.widgets.values()) widget.dispose?.();
		this.widgets.clear();
	}

	invalidate(): void {
		for (const widget of this.widgets.values()) widget.invalidate?.();
	}

	render(width: number): string[] {
		const lines: string[] = this.leadingBlank ? [""] : [];
		for (const widget of this.widgets.values()) for (const line of widget.render(width)) lines.push(line);
		return lines;
	}
}

function isLines(content: Component | readonly string[]): content is readonly string[] {
	return Array.isArray(content);
}
