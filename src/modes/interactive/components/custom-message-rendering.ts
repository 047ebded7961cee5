/**
 * A custom message (pi.sendMessage) drawn by the renderer its extension registered (pi.registerMessageRenderer), as
 * pi does: a blank line, then the renderer's component. A renderer that throws or returns nothing leaves pi's
 * default box.
 */
import type { Component } from "../../../tui/component.ts";
import type { RendererFunction } from "./custom-tool-rendering.ts";
import type { UiComponent } from "./primitives.ts";

export interface MessageRendering {
	renderer: RendererFunction;
	theme(): unknown;
	keyText(keybinding: string): string;
	keyHint(keybinding: string, description: string): string;
}

function isComponent(value: unknown): value is Component {
	return typeof value === "object" && value !== null && "render" in value && typeof value.render === "function";
}

const OUTPUT_PAD = 1;

export class RenderedCustomMessage implements UiComponent {
	private component: Component | undefined;
	private frame: { width: number; lines: readonly string[]; rows: string[] } | undefined;

	constructor(
		private readonly message: unknown,
		private readonly rendering: MessageRendering,
		private expanded: boolean,
		/** pi's default look, used when the renderer gives nothing. */
		private readonly fallback: UiComponent,
	) {
		this.rebuild();
	}

	private rebuild(): void {
		this.frame = undefined;
		const { rendering } = this;
		try {
			const made = rendering.renderer(
				this.message,
				{
					expanded: this.expanded,
					outputPad: OUTPUT_PAD,
					keyText: (id: string) => rendering.keyText(id),
					keyHint: (id: string, description: string) => rendering.keyHint(id, description),
				},
				rendering.theme(),
			);
			this.component = isComponent(made) ? made : undefined;
		} catch {
			this.component = undefined;
		}
	}

	setExpanded(expanded: boolean): void {
		if (expanded === this.expanded) return;
		this.expanded = expanded;
		this.rebuild();
	}

	invalidate(): void {
		this.fallback.invalidate?.();
		this.rebuild();
	}

	render(width: number): string[] {
		if (!this.component) return this.fallback.render(width);
		const lines = this.component.render(width);
		if (this.frame && this.frame.lines === lines && this.frame.width === width) return this.frame.rows;
		const rows = ["", ...lines];
		this.frame = { width, lines, rows };
		return rows;
	}
}
