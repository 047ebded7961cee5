/** Anything that can draw itself as terminal lines. Each returned line must fit in `width` visible columns. */
export interface Component {
	render(width: number): string[];
	handleInput?(data: string): void;
	/** Drop cached render output (theme change, forced redraw). */
	invalidate?(): void;
}

/** Components that show a cursor when focused (the TUI sets `focused`). */
export interface Focusable {
	focused: boolean;
}

export function isFocusable(component: Component | null): component is Component & Focusable {
	return component !== null && typeof (component as Partial<Focusable>).focused === "boolean";
}

/**
 * Zero-width marker a focused component puts where the terminal cursor belongs. The renderer strips it and moves the
 * hardware cursor there (an APC string, which terminals ignore if one ever leaks through).
 */
export const CURSOR_MARKER = "\x1b_pi:c\x07";
