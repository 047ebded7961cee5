/** Selector layout: how many rows a list may use, and which of its rows are shown. */

/** How many rows a session list or tree may use: half the terminal, so the chat above stays in view. */
export function selectorHeight(ui: { readonly terminalRows: number }): number {
	return Math.max(5, Math.floor(ui.terminalRows / 2));
}

/** The rows [start, end) a list of `count` shows: the selected one centred where the ends allow. */
export function visibleWindow(selected: number, count: number, maxVisible: number): { start: number; end: number } {
	const start = Math.max(0, Math.min(selected - Math.floor(maxVisible / 2), count - maxVisible));
	return { start, end: Math.min(count, start + maxVisible) };
}
