/**
 * The renderer core (tui.ts) owns components, focus, input, overlays and frame scheduling; a Screen owns how a
 * frame reaches the terminal. Two strategies: InlineScreen (regular mode: the terminal's normal screen, finished
 * lines go into its scrollback and are never cleared) and AltScreen (fullscreen: the alternate screen with a
 * scrollable transcript viewport, the dock pinned at the bottom).
 */
import type { Component } from "../component.ts";
import { CURSOR_MARKER } from "../component.ts";
import type { OverlayEntry } from "../overlays.ts";
import { visibleWidth } from "../text-utils.ts";

export type ScreenMode = "regular" | "fullscreen";

export interface Frame {
	width: number;
	height: number;
	/** The scrolling part: header and chat. */
	transcript: Component;
	/** The pinned part: pending messages, status, widgets, editor, footer (fitted to the width). */
	dock: readonly string[];
	overlays: readonly OverlayEntry[];
	/** Everything is drawn again (theme change, a handoff, requestRender(true)). */
	force: boolean;
}

export interface CursorPosition {
	/** Screen row (fullscreen) or content row (regular). */
	row: number;
	col: number;
}

/** What a screen may ask of the core. */
export interface ScreenHost {
	write(data: string): void;
	requestRender(force?: boolean): void;
	/** PI_TUI_DEBUG_REDRAW: why a full redraw happened. */
	logRedraw(reason: string): void;
	countFullRedraw(): void;
	readonly showHardwareCursor: boolean;
	/** The terminal keeps the cursor on its character when it reflows rows on a resize (Terminal.reflowKeepsCursor). */
	readonly reflowKeepsCursor: boolean;
}

export interface Screen {
	readonly mode: ScreenMode;
	/** Sequences that set the terminal up for this screen (start, and back from a handoff). */
	enter(): string;
	/** Sequences that undo `enter` (stop, handoff). */
	leave(): string;
	/** Output that brings the terminal from the last frame to this one ("" when nothing changed). */
	draw(frame: Frame): string;
	/**
	 * The terminal's content is unknown: after `start` (fresh) or after another program used the terminal
	 * (`handoff`: what was drawn stays where it is, e.g. in the scrollback).
	 */
	reset(kind: "fresh" | "handoff"): void;
	/** The transcript was replaced by another one (a session switch); regular mode draws it below as new output. */
	startOver?(): void;
	/** The window was resized (before the next draw). */
	resized(): void;
	/** Input the screen consumes itself (mouse, its own keys, replies to its queries); true when used. */
	handleInput(data: string): boolean;
	/** Output that leaves the cursor below everything drawn (regular) on stop. */
	finish(): string;
}

/**
 * Finds the cursor marker in `rows` (searched from the bottom, within the last `limit` rows), removes it from that
 * row and returns the position. Lines are modified in place.
 */
export function takeCursor(rows: string[], limit = rows.length): CursorPosition | undefined {
	for (let row = rows.length - 1; row >= Math.max(0, rows.length - limit); row--) {
		const line = rows[row] ?? "";
		const index = line.indexOf(CURSOR_MARKER);
		if (index === -1) continue;
		rows[row] = line.split(CURSOR_MARKER).join("");
		return { row, col: visibleWidth(line.slice(0, index)) };
	}
	return undefined;
}

export const HIDE_CURSOR = "\x1b[?25l";
export const SHOW_CURSOR = "\x1b[?25h";
export const CLEAR_LINE = "\x1b[2K";
