/**
 * Fullscreen mode: the alternate screen, the transcript in a scrollable viewport (only the rows on screen are
 * rendered), the dock (editor, footer, ...) pinned below it. Wheel and keys scroll (page, half page, line,
 * top/bottom, previous/next prompt), a search box finds text in the whole transcript, the mouse selects text and
 * copies it. The terminal's scrollback is not touched; on exit the caller may print the transcript.
 */
import type { Component } from "../component.ts";
import { matchesKey } from "../keys.ts";
import { compositeOverlays, type OverlayHandle, type OverlayOptions } from "../overlays.ts";
import { sliceColumns, stripAnsi, truncateToWidth, visibleWidth } from "../text-utils.ts";
import { MOUSE_OFF, MOUSE_ON, type MouseEvent, parseMouse, WheelAccelerator, type WheelLines } from "./mouse.ts";
import {
	type CursorPosition,
	type Frame,
	HIDE_CURSOR,
	type Screen,
	type ScreenHost,
	SHOW_CURSOR,
	takeCursor,
} from "./screen.ts";
import { Selection, type SelectionPoint } from "./selection.ts";
import { findMatches, highlightColumns, SearchBox, type SearchMatch } from "./transcript-search.ts";
import { type RowRef, TranscriptView } from "./transcript-view.ts";

export type AltAction =
	| "pageUp"
	| "pageDown"
	| "halfPageUp"
	| "halfPageDown"
	| "lineUp"
	| "lineDown"
	| "previousPrompt"
	| "nextPrompt"
	| "search"
	| "searchNext"
	| "searchPrevious"
	| "searchClose"
	| "top"
	| "bottom";

/** pi 1.6.0's default keys (tui.altScreen.*). */
export const DEFAULT_ALT_KEYS: Record<AltAction, readonly string[]> = {
	pageUp: ["pageUp"],
	pageDown: ["pageDown"],
	halfPageUp: [],
	halfPageDown: [],
	lineUp: [],
	lineDown: [],
	previousPrompt: ["ctrl+shift+up"],
	nextPrompt: ["ctrl+shift+down"],
	search: ["ctrl+shift+f"],
	searchNext: ["enter", "ctrl+g"],
	searchPrevious: ["shift+enter", "ctrl+shift+g"],
	searchClose: ["escape"],
	top: ["ctrl+home"],
	bottom: ["ctrl+end"],
};

/** The keys the screen takes from the editor, in the order they are tried (the search key first). */
const INPUT_ACTIONS: readonly AltAction[] = [
	"search",
	"pageUp",
	"pageDown",
	"halfPageUp",
	"halfPageDown",
	"lineUp",
	"lineDown",
	"top",
	"bottom",
	"previousPrompt",
	"nextPrompt",
];

export interface AltScreenStyles {
	searchMatch(text: string): string;
	searchCurrent(text: string): string;
	selection(text: string): string;
	scrollbarTrack(text: string): string;
	scrollbarThumb(text: string): string;
	indicator(text: string): string;
}

export interface AltScreenOptions {
	/** Whether `data` is a key of `action` (the user's keybindings); defaults to pi's keys. */
	matches?(data: string, action: AltAction): boolean;
	/** The first of `actions` that `data` is a key of, as `matches` would find it (a faster path for key presses). */
	firstAction?(data: string, actions: readonly AltAction[]): AltAction | undefined;
	/** The key shown for an action (search box buttons, the jump-to-latest label). */
	keyLabel?(action: AltAction): string;
	/** Scrolling and prompt-jump keys go to the transcript only while this is true (editor focused, no list). */
	keysEnabled?(): boolean;
	/** Puts the selection on the clipboard. */
	copy?(text: string): void | Promise<void>;
	copyOnSelect?: boolean;
	scrollbar?: "auto" | "always" | "hidden";
	wheelLines?: WheelLines;
	styles?: Partial<AltScreenStyles>;
}

export interface AltScreenHost extends ScreenHost {
	showOverlay(component: Component, options?: OverlayOptions): OverlayHandle;
}

const ENTER = "\x1b[?1049h\x1b[?7l\x1b[H\x1b[2J";
const LEAVE = "\x1b[?7h\x1b[?1049l";
/** An "auto" scrollbar shows while scrolling and this long after. */
const SCROLLBAR_LINGER_MS = 1000;
const PAGE_OVERLAP = 4;
const DOUBLE_CLICK_MS = 500;
const ALT_WHEEL_FACTOR = 5;

const defaultStyles: AltScreenStyles = {
	searchMatch: (text) => `\x1b[4m${text}\x1b[24m`,
	searchCurrent: (text) => `\x1b[1;7m${text}\x1b[22;27m`,
	selection: (text) => `\x1b[7m${text}\x1b[27m`,
	scrollbarTrack: (text) => `\x1b[90m${text}\x1b[39m`,
	scrollbarThumb: (text) => `\x1b[37m${text}\x1b[39m`,
	indicator: (text) => `\x1b[7m${text}\x1b[27m`,
};

interface ActiveSearch {
	box: SearchBox;
	overlay: OverlayHandle;
	matches: SearchMatch[];
	current: number;
	/** The matches are for this query and transcript version. */
	query: string;
}

export class AltScreen implements Screen {
	readonly mode = "fullscreen" as const;
	readonly view = new TranscriptView();
	private previous: string[] = [];
	private previousWidth = 0;
	private cursorVisible = false;
	private viewportRows = 0;
	private refs: RowRef[] = [];
	private selection: Selection | undefined;
	private dragging = false;
	private lastClick: { time: number; x: number; y: number; count: number } | undefined;
	private scrollbarUntil = 0;
	private scrollbarTimer: ReturnType<typeof setTimeout> | undefined;
	private scrollbarDrag = false;
	private indicatorArea: { row: number; from: number; to: number } | undefined;
	private search: ActiveSearch | undefined;
	private readonly wheel: WheelAccelerator;
	private readonly styles: AltScreenStyles;
	private width = 80;

	constructor(
		private readonly host: AltScreenHost,
		private readonly options: AltScreenOptions = {},
	) {
		this.wheel = new WheelAccelerator(options.wheelLines ?? "auto");
		this.styles = { ...defaultStyles, ...options.styles };
	}

	set copyOnSelect(value: boolean) {
		this.options.copyOnSelect = value;
	}

	set scrollbar(value: "auto" | "always" | "hidden") {
		this.options.scrollbar = value;
	}

	set wheelLines(value: WheelLines) {
		this.wheel.lines = value;
	}

	enter(): string {
		this.previous = [];
		this.cursorVisible = false;
		return ENTER + MOUSE_ON;
	}

	leave(): string {
		this.closeSearch();
		if (this.scrollbarTimer) clearTimeout(this.scrollbarTimer);
		return MOUSE_OFF + LEAVE;
	}

	reset(): void {
		this.previous = [];
		this.cursorVisible = false;
	}

	resized(): void {
		this.previous = [];
	}

	finish(): string {
		return "";
	}

	/** The text of the active selection ("" when none). */
	selectedText(): string {
		const selection = this.selection;
		if (!selection || selection.isEmpty) return "";
		const [start, end] = selection.ordered();
		const first = this.view.rowOf(start);
		const last = this.view.rowOf(end);
		const rows: { ref: RowRef; line: string; absolute: number }[] = [];
		for (let absolute = first; absolute <= last; absolute++) {
			const ref = this.view.refAt(absolute);
			if (!ref) continue;
			rows.push({ ref, line: this.view.linesOf(ref.leaf)[ref.row] ?? "", absolute });
		}
		return selection.text(rows, this.width);
	}

	get hasSelection(): boolean {
		return this.selection !== undefined && !this.selection.isEmpty;
	}

	clearSelection(): void {
		this.selection = undefined;
		this.host.requestRender();
	}

	// ---------------------------------------------------------------- drawing

	draw(frame: Frame): string {
		const { width, height } = frame;
		this.width = width;
		if (frame.force || width !== this.previousWidth || this.previous.length !== height) this.previous = [];
		this.previousWidth = width;
		const maxDock = Math.max(0, height - 1);
		const dock = frame.dock.length > maxDock ? frame.dock.slice(frame.dock.length - maxDock) : [...frame.dock];
		const rows = height - dock.length;
		this.viewportRows = rows;
		this.view.refresh(frame.transcript, width);
		this.updateSearch();
		const window = this.view.window(rows);
		this.refs = window.refs;
		const screen = window.lines.slice();
		for (let i = 0; i < screen.length; i++)
			screen[i] = this.decorate(screen[i] ?? "", window.top + i, window.refs[i], width);
		while (screen.length < rows) screen.push("");
		this.paintIndicator(screen, rows, width);
		this.paintScrollbar(screen, rows, window.top, width);
		for (const line of dock) screen.push(line);
		compositeOverlays(screen, frame.overlays, width, height);
		const cursor = takeCursor(screen, height);
		let out = "";
		for (let row = 0; row < height; row++) {
			const line = screen[row] ?? "";
			if (this.previous[row] === line) continue;
			// Cleared first: with autowrap off, an erase after a full-width row would take its last cell.
			out += `\x1b[${row + 1};1H\x1b[K${line}\x1b[0m`;
		}
		this.previous = screen;
		if (out) out = this.hideCursor() + out;
		if (out || cursor) out += this.placeCursor(cursor);
		return out;
	}

	/** Search and selection highlights on a transcript row. */
	private decorate(line: string, absolute: number, ref: RowRef | undefined, width: number): string {
		let out = line;
		const search = this.search;
		if (search && ref && search.matches.length > 0) {
			for (let i = 0; i < search.matches.length; i++) {
				const match = search.matches[i];
				if (!match || match.ref.leaf !== ref.leaf || match.ref.row !== ref.row) continue;
				const style = i === search.current ? this.styles.searchCurrent : this.styles.searchMatch;
				out = highlightColumns(out, match.startCol, match.endCol, style);
			}
		}
		const cols = this.selection?.columnsOn(absolute, width);
		if (cols) {
			const lineWidth = Math.max(visibleWidth(out), cols[0]);
			const end = Math.min(cols[1], Math.max(lineWidth, cols[0] + 1));
			out = highlightColumns(
				out.padEnd(out.length + Math.max(0, end - visibleWidth(out))),
				cols[0],
				end,
				this.styles.selection,
			);
		}
		return out;
	}

	private paintIndicator(screen: string[], rows: number, width: number): void {
		this.indicatorArea = undefined;
		if (this.view.following || rows < 2) return;
		const key = this.options.keyLabel?.("bottom") ?? "ctrl+end";
		const label = ` ↓ Jump to latest message${key ? ` · ${key}` : ""} `;
		const labelWidth = Math.min(width, visibleWidth(label));
		const from = Math.max(0, Math.floor((width - labelWidth) / 2));
		const row = rows - 1;
		const base = screen[row] ?? "";
		const styled = this.styles.indicator(truncateToWidth(label, labelWidth, ""));
		screen[row] = `${sliceColumns(base, 0, from)}${styled}\x1b[0m${sliceColumns(base, from + labelWidth, width)}`;
		this.indicatorArea = { row, from, to: from + labelWidth };
	}

	private scrollbarShown(total: number, rows: number): boolean {
		const mode = this.options.scrollbar ?? "auto";
		if (mode === "hidden" || total <= rows) return false;
		return mode === "always" || this.scrollbarDrag || Date.now() < this.scrollbarUntil;
	}

	private paintScrollbar(screen: string[], rows: number, top: number, width: number): void {
		const total = this.view.total();
		if (!this.scrollbarShown(total, rows) || width < 2) return;
		const thumbHeight = Math.max(Math.min(2, rows), Math.min(rows, Math.round((rows * rows) / total)));
		const maxTop = Math.max(0, total - rows);
		const thumbTop = maxTop === 0 ? 0 : Math.round((top / maxTop) * (rows - thumbHeight));
		for (let row = 0; row < rows; row++) {
			const thumb = row >= thumbTop && row < thumbTop + thumbHeight;
			const cell = thumb ? this.styles.scrollbarThumb(this.scrollbarDrag ? "█" : "┃") : this.styles.scrollbarTrack("│");
			screen[row] = `${sliceColumns(screen[row] ?? "", 0, width - 1)}${cell}`;
		}
	}

	/** Scrolling shows the "auto" scrollbar for a moment. */
	private showScrollbar(): void {
		if ((this.options.scrollbar ?? "auto") !== "auto") return;
		this.scrollbarUntil = Date.now() + SCROLLBAR_LINGER_MS;
		if (this.scrollbarTimer) clearTimeout(this.scrollbarTimer);
		this.scrollbarTimer = setTimeout(() => {
			this.scrollbarTimer = undefined;
			this.host.requestRender();
		}, SCROLLBAR_LINGER_MS + 10);
		this.scrollbarTimer.unref?.();
	}

	private placeCursor(cursor: CursorPosition | undefined): string {
		if (!cursor) return this.hideCursor();
		let out = `\x1b[${cursor.row + 1};${cursor.col + 1}H`;
		if (this.host.showHardwareCursor && !this.cursorVisible) {
			out += SHOW_CURSOR;
			this.cursorVisible = true;
		}
		return out;
	}

	private hideCursor(): string {
		if (!this.cursorVisible) return "";
		this.cursorVisible = false;
		return HIDE_CURSOR;
	}

	// ---------------------------------------------------------------- input

	handleInput(data: string): boolean {
		const mouse = parseMouse(data);
		if (mouse) {
			this.handleMouse(mouse);
			return true;
		}
		const action = this.options.firstAction
			? this.options.firstAction(data, INPUT_ACTIONS)
			: INPUT_ACTIONS.find((candidate) => this.matches(data, candidate));
		if (action === "search" && !this.search) {
			this.openSearch();
			return true;
		}
		if (this.search) return false; // the search box has focus and handles its keys
		if (!(this.options.keysEnabled?.() ?? true)) return false;
		const rows = Math.max(1, this.viewportRows);
		const page = Math.max(1, rows - PAGE_OVERLAP);
		if (action === "pageUp") this.scroll(-page);
		else if (action === "pageDown") this.scroll(page);
		else if (action === "halfPageUp") this.scroll(-Math.max(1, Math.floor(rows / 2)));
		else if (action === "halfPageDown") this.scroll(Math.max(1, Math.floor(rows / 2)));
		else if (action === "lineUp") this.scroll(-1);
		else if (action === "lineDown") this.scroll(1);
		else if (action === "top") this.scrollTo(0);
		else if (action === "bottom") this.toBottom();
		else if (action === "previousPrompt") this.jumpPrompt(-1);
		else if (action === "nextPrompt") this.jumpPrompt(1);
		else return false;
		return true;
	}

	private matches(data: string, action: AltAction): boolean {
		if (this.options.matches) return this.options.matches(data, action);
		return DEFAULT_ALT_KEYS[action].some((key) => matchesKey(data, key));
	}

	scroll(delta: number): void {
		this.view.scrollBy(delta, this.viewportRows);
		this.showScrollbar();
		this.host.requestRender();
	}

	scrollTo(row: number): void {
		this.view.scrollTo(row, this.viewportRows);
		this.showScrollbar();
		this.host.requestRender();
	}

	toBottom(): void {
		this.view.follow();
		this.showScrollbar();
		this.host.requestRender();
	}

	private jumpPrompt(direction: -1 | 1): void {
		const rows = this.view.promptRows();
		const top = this.view.top(this.viewportRows);
		const target = direction < 0 ? rows.filter((row) => row < top).at(-1) : rows.find((row) => row > top);
		if (target === undefined) {
			if (direction > 0) this.toBottom();
			else this.scrollTo(0);
			return;
		}
		this.scrollTo(target);
	}

	private handleMouse(event: MouseEvent): void {
		if (event.kind === "wheel") {
			const lines = this.wheel.next(event.direction, Date.now()) * (event.alt ? ALT_WHEEL_FACTOR : 1);
			this.scroll(event.direction * lines);
			return;
		}
		const inViewport = event.y < this.viewportRows;
		const onScrollbar = event.x >= this.width - 1 && this.scrollbarShown(this.view.total(), this.viewportRows);
		if (event.kind === "press" && event.button === 0) {
			if (inViewport && onScrollbar) {
				this.scrollbarDrag = true;
				this.dragScrollbar(event.y);
				return;
			}
			const area = this.indicatorArea;
			if (area && event.y === area.row && event.x >= area.from && event.x < area.to) {
				this.toBottom();
				return;
			}
			if (!inViewport) {
				if (this.selection) this.clearSelection();
				return;
			}
			this.press(event);
			return;
		}
		if (event.kind === "drag") {
			if (this.scrollbarDrag) this.dragScrollbar(event.y);
			else if (this.dragging) this.extend(event);
			return;
		}
		if (event.kind === "release") {
			if (this.scrollbarDrag) {
				this.scrollbarDrag = false;
				this.showScrollbar();
				this.host.requestRender();
				return;
			}
			if (!this.dragging) return;
			this.dragging = false;
			if (this.selection?.isEmpty) this.selection = undefined;
			else if (this.selection && (this.options.copyOnSelect ?? true)) void this.copySelection();
			this.host.requestRender();
		}
	}

	private pointAt(x: number, y: number): SelectionPoint | undefined {
		const row = Math.max(0, Math.min(this.refs.length - 1, y));
		const ref = this.refs[row];
		if (!ref) return undefined;
		return { leaf: ref.leaf, row: ref.row, col: Math.max(0, Math.min(this.width, x)) };
	}

	private press(event: MouseEvent): void {
		const point = this.pointAt(event.x, event.y);
		if (!point) return;
		const now = Date.now();
		const last = this.lastClick;
		const count =
			last && now - last.time < DOUBLE_CLICK_MS && last.x === event.x && last.y === event.y ? last.count + 1 : 1;
		this.lastClick = { time: now, x: event.x, y: event.y, count };
		this.view.hold(this.viewportRows);
		this.selection = new Selection(point, (ref) => this.view.rowOf(ref));
		this.dragging = true;
		if (count === 2) this.selection.expandToWord((leaf) => this.view.linesOf(leaf));
		else if (count >= 3) this.selection.expandToLine(this.width);
		this.host.requestRender();
	}

	private extend(event: MouseEvent): void {
		if (!this.selection) return;
		// Dragging past the viewport's edge scrolls.
		if (event.y < 0) this.view.scrollBy(-1, this.viewportRows);
		else if (event.y >= this.viewportRows) this.view.scrollBy(1, this.viewportRows);
		const point = this.pointAt(event.x, Math.min(event.y, this.viewportRows - 1));
		if (point) this.selection.focus = point;
		this.host.requestRender();
	}

	private dragScrollbar(y: number): void {
		const total = this.view.total();
		const rows = this.viewportRows;
		const ratio = rows <= 1 ? 0 : Math.max(0, Math.min(1, y / (rows - 1)));
		this.view.scrollTo(Math.round(ratio * Math.max(0, total - rows)), rows);
		this.host.requestRender();
	}

	/** Copies the selection (on release with copy-on-select, or Ctrl+X). */
	async copySelection(): Promise<boolean> {
		const text = this.selectedText();
		if (!text) return false;
		await this.options.copy?.(text);
		return true;
	}

	// ---------------------------------------------------------------- search

	private openSearch(): void {
		const label = (action: AltAction) => this.options.keyLabel?.(action) ?? DEFAULT_ALT_KEYS[action][0] ?? "";
		const box = new SearchBox(
			{
				next: (data) => this.matches(data, "searchNext"),
				previous: (data) => this.matches(data, "searchPrevious"),
				close: (data) => this.matches(data, "searchClose") || this.matches(data, "search"),
				nextLabel: label("searchNext"),
				previousLabel: label("searchPrevious"),
			},
			() => {
				if (this.search) this.search.query = "\u0000"; // forces a new search on the next frame
				this.host.requestRender();
			},
			(direction) => this.navigateSearch(direction),
			() => this.closeSearch(),
		);
		const overlay = this.host.showOverlay(box, { anchor: "top-right", width: "40%", minWidth: 32, margin: 1 });
		this.search = { box, overlay, matches: [], current: -1, query: "" };
		this.view.hold(this.viewportRows);
		this.host.requestRender();
	}

	private closeSearch(): void {
		const search = this.search;
		if (!search) return;
		this.search = undefined;
		search.overlay.hide();
		this.host.requestRender();
	}

	private navigateSearch(direction: -1 | 1): void {
		const search = this.search;
		if (!search || search.matches.length === 0) return;
		search.current = (search.current + direction + search.matches.length) % search.matches.length;
		search.box.setResult(search.current, search.matches.length);
		this.reveal(search.matches[search.current]);
		this.host.requestRender();
	}

	/** Runs the search when the query changed; the first match at or below the view becomes current. */
	private updateSearch(): void {
		const search = this.search;
		if (!search) return;
		const query = search.box.query;
		if (query === search.query) return;
		search.query = query;
		const all = this.view.all();
		search.matches = findMatches(all, query, (ref) => this.view.linesOf(ref.leaf));
		const top = this.view.top(this.viewportRows);
		const next = search.matches.findIndex((match) => match.row >= top);
		search.current = search.matches.length === 0 ? -1 : next === -1 ? 0 : next;
		search.box.setResult(search.current, search.matches.length);
		this.reveal(search.matches[search.current]);
	}

	private reveal(match: SearchMatch | undefined): void {
		if (!match) return;
		const row = this.view.rowOf(match.ref);
		const top = this.view.top(this.viewportRows);
		if (row >= top && row < top + this.viewportRows) return;
		this.view.scrollTo(row - Math.floor(this.viewportRows / 3), this.viewportRows);
	}
}

/** The plain text rows of the transcript (for the exit transcript, tests). */
export function plainRows(lines: readonly string[]): string[] {
	return lines.map((line) => stripAnsi(line));
}
