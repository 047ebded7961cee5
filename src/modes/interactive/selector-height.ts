/** How many rows a session list or tree may use: half the terminal, so the chat above stays in view. */
import type { TUI } from "../../tui/tui.ts";

export function selectorHeight(ui: { readonly tui: TUI }): number {
	return Math.max(5, Math.floor(ui.tui.terminal.rows / 2));
}
