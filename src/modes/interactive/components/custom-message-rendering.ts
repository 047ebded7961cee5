/**
 * A custom message (pi.sendMessage) drawn by the renderer its extension registered (pi.registerMessageRenderer), as
 * pi does: a blank line, then the renderer's component. A renderer that throws or returns nothing leaves pi's
 * default box. Custom entries (pi.appendEntry) with an entry renderer (pi.registerEntryRenderer) are drawn the same
 * way; there a renderer that throws shows its error, and one that returns nothing shows nothing.
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

/** A row drawn by an extension's renderer: rebuilt when expanded or invalidated, a blank line above it. */
abstract class RenderedByExtension implements UiComponent {
	private component: Component | undefined;
	private frame: { width: number; lines: readonly string[]; rows: string[] } | undefined;

	constructor(
		protected readonly rendering: MessageRendering,
		protected expanded: boolean,
	) {}

	/** What the renderer makes now (undefined: the fallback, or nothing). */
	protected abstract build(): Component | undefined;

	/** Drawn when the renderer gives no component. */
	protected fallback(_width: number): string[] {
		return [];
	}

	protected rebuild(): void {
		this.frame = undefined;
		this.component = this.build();
	}

	protected made(value: unknown): Component | undefined {
		return isComponent(value) ? value : undefined;
	}

	protected hints(): Record<string, unknown> {
		return {
			expanded: this.expanded,
			keyText: (id: string) => this.rendering.keyText(id),
			keyHint: (id: string, description: string) => this.rendering.keyHint(id, description),
		};
	}

	setExpanded(expanded: boolean): void {
		if (expanded === this.expanded) return;
		this.expanded = expanded;
		this.rebuild();
	}

	invalidate(): void {
		this.rebuild();
	}

	render(width: number): string[] {
		if (!this.component) return this.fallback(width);
		const lines = this.component.render(width);
		if (this.frame && this.frame.lines === lines && this.frame.width === width) return this.frame.rows;
		const rows = ["", ...lines];
		this.frame = { width, lines, rows };
		return rows;
	}
}

export class RenderedCustomMessage extends RenderedByExtension {
	constructor(
		private readonly message: unknown,
		rendering: MessageRendering,
		expanded: boolean,
		/** pi's default look, used when the renderer gives nothing. */
		private readonly defaultView: UiComponent,
	) {
		super(rendering, expanded);
		this.rebuild();
	}

	protected build(): Component | undefined {
		try {
			const options = { ...this.hints(), outputPad: OUTPUT_PAD };
			return this.made(this.rendering.renderer(this.message, options, this.rendering.theme()));
		} catch {
			return undefined;
		}
	}

	protected override fallback(width: number): string[] {
		return this.defaultView.render(width);
	}

	override invalidate(): void {
		this.defaultView.invalidate?.();
		super.invalidate();
	}
}

/** A custom session entry drawn by its extension's entry renderer. */
export class RenderedCustomEntry extends RenderedByExtension {
	constructor(
		private readonly entry: { customType: string },
		rendering: MessageRendering,
		expanded: boolean,
		/** Shown when the renderer throws (pi's "renderer failed" box). */
		private readonly failure: (message: string) => UiComponent,
	) {
		super(rendering, expanded);
		this.rebuild();
	}

	protected build(): Component | undefined {
		try {
			return this.made(this.rendering.renderer(this.entry, this.hints(), this.rendering.theme()));
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			return this.failure(`[${this.entry.customType}] renderer failed: ${message}`);
		}
	}
}
