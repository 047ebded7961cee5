import { type Component, CURSOR_MARKER, isFocusable } from "./component.ts";
import { onHighlighterReady } from "./components/shiki-highlight.ts";
import {
	deleteKittyImages,
	getImageProtocol,
	isImageLine,
	kittyImageIds,
	setCellSize,
} from "./images/terminal-image.ts";
import { InputBuffer } from "./input-buffer.ts";
import { compositeOverlays, type OverlayEntry, type OverlayHandle, type OverlayOptions } from "./overlays.ts";
import type { Terminal } from "./terminal.ts";
import { truncateToWidth, visibleWidth } from "./text-utils.ts";

const SYNC_START = "\x1b[?2026h";
const SYNC_END = "\x1b[?2026l";
const LINE_RESET = "\x1b[0m";
const CLEAR_LINE = "\x1b[2K";
/** Clear screen, home, clear scrollback: a full redraw must not leave stale copies in the scrollback. */
const CLEAR_ALL = "\x1b[2J\x1b[H\x1b[3J";
const HIDE_CURSOR = "\x1b[?25l";
const SHOW_CURSOR = "\x1b[?25h";
/** Terminal focus reports (enabled by ProcessTerminal with CSI ?1004h). */
const FOCUS_IN = "\x1b[I";
const FOCUS_OUT = "\x1b[O";
/** A burst of resize events (dragging the window edge) redraws at most this often. */
const RESIZE_INTERVAL_MS = 50;
/** Asks the terminal for its cell size in pixels (images are scaled with it); the reply is CSI 6;height;width t. */
const CELL_SIZE_QUERY = "\x1b[16t";
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal reply
const CELL_SIZE_REPLY = /^\x1b\[6;(\d+);(\d+)t$/;

/** A vertical stack of components. */
export class Container implements Component {
	children: Component[] = [];

	addChild(component: Component): void {
		this.children.push(component);
	}

	removeChild(component: Component): void {
		const index = this.children.indexOf(component);
		if (index !== -1) this.children.splice(index, 1);
	}

	insertChild(index: number, component: Component): void {
		this.children.splice(Math.max(0, Math.min(index, this.children.length)), 0, component);
	}

	clear(): void {
		this.children = [];
	}

	invalidate(): void {
		for (const child of this.children) child.invalidate?.();
	}

	render(width: number): string[] {
		const lines: string[] = [];
		for (const child of this.children) {
			// A loop, not push(...spread): transcripts can exceed the engine's argument limit.
			for (const line of child.render(width)) lines.push(line);
		}
		return lines;
	}
}

interface CursorPosition {
	row: number;
	col: number;
}

/**
 * Differential renderer. The UI is one growing column of lines; older lines scroll into the terminal's own
 * scrollback. Each frame rewrites only the span between the first and last changed line, inside synchronized output.
 */
export class TUI extends Container {
	/** Global key hook, called before the focused component; return true to consume the key. */
	onInput?: (data: string) => boolean;
	/** Show the terminal's own cursor at the focused component's cursor marker (otherwise it stays hidden). */
	showHardwareCursor = process.env.PI_HARDWARE_CURSOR === "1";
	/** pi's `clearOnShrink` setting: when content gets shorter than the working area, redraw from a clean screen. */
	clearOnShrink = false;
	/** Number of frames drawn with a full redraw (for diagnostics and tests). */
	fullRedraws = 0;
	/**
	 * Wrap frames in synchronized output (CSI ?2026h/l) so terminals paint them whole. PI_NO_SYNC_OUTPUT=1 turns it
	 * off for terminals that mishandle the mode.
	 */
	synchronizedOutput = process.env.PI_NO_SYNC_OUTPUT !== "1";
	/** Terminal focus changes (from focus reports), after `onInput` saw them as "focus_in" / "focus_out". */
	onFocusChange?: (focused: boolean) => void;
	/** False after the terminal reported losing focus. */
	terminalFocused = true;

	private focused: Component | null = null;
	private started = false;
	private renderScheduled = false;
	private forceNext = false;
	private readonly input: InputBuffer;

	/** Lines as last produced by components, and as last written (fitted to width, reset appended). */
	private previousRaw: string[] = [];
	private previousFitted: string[] = [];
	private previousLines: string[] = [];
	private previousWidth = 0;
	private previousHeight = 0;
	/** Rows of the terminal used by the UI so far (the "working area"); only a full clear shrinks it. */
	private maxLinesRendered = 0;
	/** Row (in content coordinates) where the terminal cursor currently is. */
	private cursorRow = 0;
	private cursorVisible = false;
	private lastCursor: CursorPosition | undefined;
	private lastResizeRenderAt = 0;
	private resizeTimer: ReturnType<typeof setTimeout> | undefined;
	private unsubscribeHighlighter: (() => void) | undefined;
	private readonly overlays: OverlayEntry[] = [];
	private overlayOrder = 0;

	constructor(readonly terminal: Terminal) {
		super();
		this.input = new InputBuffer((key) => this.dispatchKey(key));
	}

	start(): void {
		if (this.started) return;
		this.started = true;
		// (Re)starting, e.g. after ctrl+z: draw everything afresh from the current cursor position.
		this.previousRaw = [];
		this.previousFitted = [];
		this.previousLines = [];
		this.previousWidth = 0;
		this.previousHeight = 0;
		this.maxLinesRendered = 0;
		this.cursorRow = 0;
		this.lastCursor = undefined;
		this.terminal.start(
			(data) => this.input.push(data),
			() => this.handleResize(),
		);
		// Code blocks drawn with the fallback highlighter are redrawn once shiki has their language.
		this.unsubscribeHighlighter = onHighlighterReady(() => {
			this.invalidate();
			this.requestRender();
		});
		this.terminal.hideCursor();
		this.cursorVisible = false;
		// Only image drawing needs the cell size; other terminals are not asked.
		if (getImageProtocol()) this.terminal.write(CELL_SIZE_QUERY);
		this.requestRender();
	}

	/** Draws a final frame, leaves the cursor on the line below the content and restores the terminal. */
	stop(): void {
		if (!this.started) return;
		this.renderFrame();
		this.started = false;
		this.input.dispose();
		this.unsubscribeHighlighter?.();
		this.unsubscribeHighlighter = undefined;
		if (this.resizeTimer) clearTimeout(this.resizeTimer);
		this.resizeTimer = undefined;
		const below = this.previousLines.length;
		let out = this.moveCursorTo(Math.max(0, below - 1));
		if (below > 0) out += "\r\n";
		this.terminal.write(out);
		this.terminal.showCursor();
		this.terminal.stop();
	}

	setFocus(component: Component | null): void {
		if (isFocusable(this.focused)) this.focused.focused = false;
		this.focused = component;
		if (isFocusable(component)) component.focused = true;
		this.requestRender();
	}

	getFocus(): Component | null {
		return this.focused;
	}

	/**
	 * Draws `component` over the screen (see overlays.ts for the options); unless `nonCapturing`, it takes keyboard
	 * focus until hidden or unfocused, then focus returns to what had it before.
	 */
	showOverlay(component: Component, options: OverlayOptions = {}): OverlayHandle {
		const entry: OverlayEntry = { component, options, hidden: false, order: ++this.overlayOrder };
		this.overlays.push(entry);
		let preFocus: Component | null = this.focused;
		let removed = false;
		const focusNext = () => {
			const next = this.overlays
				.filter((e) => !e.hidden && !e.options.nonCapturing)
				.sort((a, b) => b.order - a.order)[0];
			this.setFocus(next ? next.component : preFocus);
		};
		const handle: OverlayHandle = {
			hide: () => {
				if (removed) return;
				removed = true;
				const index = this.overlays.indexOf(entry);
				if (index !== -1) this.overlays.splice(index, 1);
				if (this.focused === component) focusNext();
				this.requestRender();
			},
			setHidden: (hidden) => {
				if (removed || entry.hidden === hidden) return;
				entry.hidden = hidden;
				if (hidden && this.focused === component) focusNext();
				else if (!hidden && !options.nonCapturing) handle.focus();
				this.requestRender();
			},
			isHidden: () => entry.hidden,
			focus: () => {
				if (removed) return;
				if (this.focused !== component) preFocus = this.focused;
				entry.order = ++this.overlayOrder;
				this.setFocus(component);
			},
			unfocus: () => {
				if (this.focused === component) this.setFocus(preFocus);
			},
			isFocused: () => this.focused === component,
			getBounds: () => entry.bounds,
		};
		if (!options.nonCapturing) this.setFocus(component);
		else this.requestRender();
		return handle;
	}

	get hasOverlays(): boolean {
		return this.overlays.length > 0;
	}

	/** Schedules one render for the end of this tick; `force` redraws everything. */
	requestRender(force = false): void {
		if (force) this.forceNext = true;
		if (this.renderScheduled) return;
		this.renderScheduled = true;
		process.nextTick(() => {
			if (!this.renderScheduled) return;
			this.renderFrame();
		});
	}

	/** The first resize of a burst redraws at once; the rest are coalesced into one redraw per interval. */
	private handleResize(): void {
		if (this.resizeTimer) return;
		const wait = this.lastResizeRenderAt + RESIZE_INTERVAL_MS - Date.now();
		if (wait <= 0) {
			this.lastResizeRenderAt = Date.now();
			this.requestRender();
			return;
		}
		this.resizeTimer = setTimeout(() => {
			this.resizeTimer = undefined;
			this.lastResizeRenderAt = Date.now();
			this.requestRender();
		}, wait);
	}

	/** Renders immediately (normally use requestRender, which coalesces). */
	renderFrame(): void {
		this.renderScheduled = false;
		if (!this.started) return;
		const force = this.forceNext;
		this.forceNext = false;
		const width = Math.max(1, this.terminal.columns);
		const height = Math.max(1, this.terminal.rows);
		const sizeChanged = this.previousWidth !== width || this.previousHeight !== height;
		const raw = this.render(width);
		const fitted = this.fitLines(raw, width, sizeChanged);
		const screen = this.overlays.length > 0 ? this.withOverlays(fitted, width, height) : fitted;
		const cursor = findCursor(screen, height);
		const lines = cursor ? withoutMarker(screen, cursor.row) : screen;
		let out: string;
		const shrank = this.clearOnShrink && lines.length < this.maxLinesRendered && this.previousWidth !== 0;
		if (force || shrank || (sizeChanged && this.previousWidth !== 0)) out = this.fullRedraw(lines, true);
		else if (this.previousWidth === 0) out = this.fullRedraw(lines, false);
		else out = this.diffRedraw(lines, height);
		// Leave the cursor alone when neither the content nor the cursor position changed.
		const cursorMoved = cursor?.row !== this.lastCursor?.row || cursor?.col !== this.lastCursor?.col;
		if (out.length > 0 || cursorMoved) out += this.placeCursor(cursor);
		this.lastCursor = cursor;
		this.previousRaw = raw;
		this.previousFitted = fitted;
		this.previousLines = lines;
		this.previousWidth = width;
		this.previousHeight = height;
		if (out.length > 0) this.terminal.write(this.synchronizedOutput ? SYNC_START + out + SYNC_END : out);
	}

	override invalidate(): void {
		super.invalidate();
		this.previousRaw = [];
	}

	/** The frame with the overlays drawn over its last `height` rows (the part on screen). */
	private withOverlays(fitted: string[], width: number, height: number): string[] {
		const lines = fitted.slice();
		while (lines.length < height) lines.push("");
		const top = lines.length - height;
		const screen = lines.slice(top);
		compositeOverlays(screen, this.overlays, width, height);
		for (let i = 0; i < screen.length; i++) lines[top + i] = `${screen[i] ?? ""}${LINE_RESET}`;
		return lines;
	}

	/** Truncates lines wider than the terminal and closes styles; unchanged lines reuse last frame's result. */
	private fitLines(raw: string[], width: number, sizeChanged: boolean): string[] {
		const lines = new Array<string>(raw.length);
		const previousRaw = sizeChanged ? [] : this.previousRaw;
		for (let i = 0; i < raw.length; i++) {
			const line = raw[i] ?? "";
			const previousLine = this.previousFitted[i];
			if (line === previousRaw[i] && previousLine !== undefined) {
				lines[i] = previousLine;
				continue;
			}
			// Image lines carry their own cursor movement and payload; measuring or truncating them is meaningless.
			if (isImageLine(line)) {
				lines[i] = line;
				continue;
			}
			// A stray newline or tab would desynchronise the row bookkeeping; keep every line one row.
			const flat = /[\n\r\t]/.test(line) ? line.replace(/\r?\n|\r/g, " ").replace(/\t/g, "   ") : line;
			const fitted = visibleWidth(flat) > width ? truncateToWidth(flat, width, "") : flat;
			lines[i] = fitted + LINE_RESET;
		}
		return lines;
	}

	private fullRedraw(lines: string[], clear: boolean): string {
		if (clear) this.fullRedraws++;
		let out = this.hideCursorIfVisible();
		// Clearing the screen removes image placements but kitty keeps their data until told to free it.
		if (clear)
			out += deleteKittyImages(collectKittyIds(this.previousLines, 0, this.previousLines.length - 1)) + CLEAR_ALL;
		else out += this.moveCursorTo(0);
		out += lines.join("\r\n");
		this.cursorRow = Math.max(0, lines.length - 1);
		this.maxLinesRendered = clear ? lines.length : Math.max(this.maxLinesRendered, lines.length);
		return out;
	}

	private diffRedraw(lines: string[], height: number): string {
		const previous = this.previousLines;
		const span = Math.max(previous.length, lines.length);
		let first = 0;
		while (first < span && previous[first] === lines[first]) first++;
		if (first === span) return "";
		let last = span - 1;
		while (last > first && previous[last] === lines[last]) last--;
		// Kitty images are not erased with the text under them: images below the first change may have moved, so
		// they are deleted and drawn again.
		for (let i = last + 1; i < previous.length; i++) if (kittyImageIds(previous[i] ?? "").length > 0) last = i;
		// Even when the UI started below shell output, that output scrolls away first: once the working area is
		// taller than the screen, exactly its last `height` rows are visible.
		const viewportTop = Math.max(0, this.maxLinesRendered - height);
		// Lines that scrolled into the terminal's scrollback cannot be rewritten in place.
		if (first < viewportTop) return this.fullRedraw(lines, true);
		let out = this.hideCursorIfVisible();
		out += deleteKittyImages(collectKittyIds(previous, first, Math.min(last, previous.length - 1)));
		out += this.moveCursorTo(first);
		for (let i = first; i <= last; i++) {
			if (i > first) out += "\r\n";
			// Rows past the new end are blanked: content shrank.
			out += CLEAR_LINE + (lines[i] ?? "");
			this.cursorRow = i;
			this.maxLinesRendered = Math.max(this.maxLinesRendered, i + 1);
		}
		return out;
	}

	/** Relative cursor movement to a content row; rows below the working area are created with newlines. */
	private moveCursorTo(row: number): string {
		let out = "";
		const lastExisting = Math.max(0, this.maxLinesRendered - 1);
		if (row < this.cursorRow) out += `\x1b[${this.cursorRow - row}A`;
		else if (row > this.cursorRow) {
			const down = Math.min(row, lastExisting) - this.cursorRow;
			if (down > 0) out += `\x1b[${down}B`;
			const newRows = row - Math.max(this.cursorRow, lastExisting);
			if (newRows > 0) out += "\r\n".repeat(newRows);
		}
		this.cursorRow = row;
		this.maxLinesRendered = Math.max(this.maxLinesRendered, row + 1);
		return `${out}\r`;
	}

	private placeCursor(cursor: CursorPosition | undefined): string {
		if (!cursor) return this.hideCursorIfVisible();
		let out = this.moveCursorTo(cursor.row);
		if (cursor.col > 0) out += `\x1b[${cursor.col + 1}G`;
		if (this.showHardwareCursor && !this.cursorVisible) {
			out += SHOW_CURSOR;
			this.cursorVisible = true;
		} else if (!this.showHardwareCursor) out += this.hideCursorIfVisible();
		return out;
	}

	private hideCursorIfVisible(): string {
		if (!this.cursorVisible) return "";
		this.cursorVisible = false;
		return HIDE_CURSOR;
	}

	private dispatchKey(data: string): void {
		// Focus reports are events, never text: they go to the hooks only, not to the focused component.
		if (data === FOCUS_IN || data === FOCUS_OUT) {
			this.terminalFocused = data === FOCUS_IN;
			this.onInput?.(this.terminalFocused ? "focus_in" : "focus_out");
			this.onFocusChange?.(this.terminalFocused);
			this.requestRender();
			return;
		}
		const cellSize = CELL_SIZE_REPLY.exec(data);
		if (cellSize) {
			setCellSize({ heightPx: Number(cellSize[1]), widthPx: Number(cellSize[2]) });
			// Images drawn with the assumed cell size are sized again.
			this.invalidate();
			this.requestRender();
			return;
		}
		if (!this.onInput?.(data)) this.focused?.handleInput?.(data);
		this.requestRender();
	}
}

/** Finds the cursor marker in the visible part of the frame and returns its screen position. */
function findCursor(lines: string[], height: number): CursorPosition | undefined {
	for (let row = lines.length - 1; row >= Math.max(0, lines.length - height); row--) {
		const line = lines[row] ?? "";
		const index = line.indexOf(CURSOR_MARKER);
		if (index !== -1) return { row, col: visibleWidth(line.slice(0, index)) };
	}
	return undefined;
}

/** Copy of the frame with the marker removed (the cached fitted lines keep it for the next comparison). */
function withoutMarker(lines: string[], row: number): string[] {
	const copy = lines.slice();
	copy[row] = (copy[row] ?? "").split(CURSOR_MARKER).join("");
	return copy;
}

function collectKittyIds(lines: string[], from: number, to: number): number[] {
	const ids: number[] = [];
	for (let i = Math.max(0, from); i <= to; i++) for (const id of kittyImageIds(lines[i] ?? "")) ids.push(id);
	return ids;
}
