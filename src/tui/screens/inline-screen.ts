/**
 * Regular mode: the UI is one growing column of rows on the terminal's normal screen. Rows that scroll off the top
 * go into the terminal's own scrollback and are never cleared or written again: each frame rewrites only the rows
 * from the first change on (usually the streaming answer and the dock), a change above the screen repaints just the
 * visible rows, and a resize asks the terminal where the cursor went (DSR) after its own reflow, so the redraw
 * continues exactly after the last row that is in the scrollback — nothing lost, nothing printed twice.
 */
import { type Component, CURSOR_MARKER } from "../component.ts";
import { collectLines, LineStack, leavesOf } from "../container.ts";
import { fitLines } from "../fit.ts";
import { deleteKittyImages } from "../images/terminal-image.ts";
import { compositeOverlays } from "../overlays.ts";
import { continueAt, DOCK, kittyIds, lastDifference, OVERLAID, rowsAfterReflow, withoutStart } from "./row-mapping.ts";
import {
	CLEAR_LINE,
	type CursorPosition,
	type Frame,
	HIDE_CURSOR,
	type Screen,
	type ScreenHost,
	SHOW_CURSOR,
	takeCursor,
} from "./screen.ts";

/**
 * Moves to the start of screen row `row` and erases it and everything below. Never "erase below" from the top-left
 * corner: tmux (scroll-on-clear, on by default) then pushes the whole screen into the scrollback first, which would
 * put every visible row into the history twice.
 */
function eraseScreenFrom(row: number, height: number): string {
	if (row > 0) return `\x1b[${row + 1};1H\x1b[J`;
	return height > 1 ? "\x1b[2;1H\x1b[J\x1b[1;1H\x1b[2K" : "\x1b[1;1H\x1b[2K";
}

/** Cursor position report (reply to DSR 6): CSI row ; col R. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal reply
const CURSOR_REPORT = /^\x1b\[(\d+);(\d+)R$/;
const ASK_CURSOR = "\x1b[6n";
/** A burst of resize events (dragging the window edge) is waited out before the terminal is asked. */
const RESIZE_SETTLE_MS = 40;
/** Terminals answer DSR at once; one that does not gets the fallback redraw after this long. */
const CURSOR_REPLY_TIMEOUT_MS = 300;
/** Autowrap off / on (DECAWM): rows written with it off take one screen row whatever the terminal's width is. */
const NO_WRAP = "\x1b[?7l";
const WRAP = "\x1b[?7h";
/** The cursor goes back to the focused component once the transcript has not changed for this long. */
const PARK_SETTLE_MS = 60;

interface PendingResize {
	stage: "settling" | "asking" | "ready";
	timer: ReturnType<typeof setTimeout> | undefined;
	/** Screen row of the cursor after the terminal's reflow (0-based), when the terminal answered. */
	cursorScreenRow?: number;
}

export class InlineScreen implements Screen {
	readonly mode = "regular" as const;
	/** What is on the terminal now, row for row (fitted, markers removed). */
	private drawn: LineStack | undefined;
	private drawnWidth = 0;
	private drawnHeight = 0;
	/** Screen row of content row 0; negative once rows scrolled into the scrollback. */
	private origin = 0;
	/** Rows below this are never rewritten (drawn before a handoff, now somewhere above). */
	private floor = 0;
	/** Content rows that exist on the terminal (written at least once in this layout). */
	private extent = 0;
	/** Content row the terminal cursor is on. */
	private cursorRow = 0;
	private cursorCol = 0;
	private cursorVisible = false;
	private lastCursor: CursorPosition | undefined;
	private resize: PendingResize | undefined;
	/**
	 * While the transcript streams, the cursor rests at the start of the first row the next frame rewrites (see
	 * diff) instead of at the editor's cursor; back at the editor's cursor PARK_SETTLE_MS after the last change.
	 */
	private parked = false;
	private parkTimer: ReturnType<typeof setTimeout> | undefined;
	/** After a handoff: draw from this row on (earlier ones are already on the terminal). */
	private startRow = 0;
	/** startOver(): the next frame is drawn from the old dock's first row down, as new content. */
	private restartAt: number | undefined;
	/**
	 * Leaves whose rows are all in the scrollback: they are never read again (their rows can never be rewritten), so
	 * a frame costs the same however long the transcript is. `last` is the last of them, to notice a rebuilt tree.
	 */
	private frozen: { leaves: number; rows: number; last: Component | undefined } = {
		leaves: 0,
		rows: 0,
		last: undefined,
	};

	constructor(private readonly host: ScreenHost) {}

	enter(): string {
		return "";
	}

	leave(): string {
		return "";
	}

	reset(kind: "fresh" | "handoff"): void {
		this.cancelResize();
		this.unfreeze();
		if (kind === "handoff" && this.drawn) {
			// The transcript rows drawn so far stay where they are (the shell printed below them); the next frame
			// continues after them and draws the rest and the dock afresh.
			const dockStart = this.drawn.offsets[this.drawn.parts.length - 1] ?? this.drawn.length;
			this.startRow = dockStart;
			this.floor = dockStart;
		} else {
			this.startRow = 0;
			this.floor = 0;
		}
		this.drawn = undefined;
		this.cursorVisible = false;
		this.lastCursor = undefined;
	}

	/**
	 * The transcript was replaced by another (a new or resumed session): what is drawn stays in the scrollback as it
	 * is, and the new transcript is drawn whole from where the dock was, like new output.
	 */
	startOver(): void {
		this.unfreeze();
		if (!this.drawn || this.resize) return;
		this.restartAt = this.drawn.offsets[this.drawn.parts.length - 1] ?? this.drawn.length;
	}

	resized(): void {
		// The new width re-wraps every row that may come back on screen: nothing stays frozen.
		this.unfreeze();
		if (!this.drawn) return;
		if (this.resize?.timer) clearTimeout(this.resize.timer);
		const resize: PendingResize = { stage: "settling", timer: undefined };
		this.resize = resize;
		resize.timer = setTimeout(() => {
			resize.stage = "asking";
			this.host.write(ASK_CURSOR);
			resize.timer = setTimeout(() => {
				if (this.resize !== resize || resize.stage !== "asking") return;
				resize.stage = "ready";
				this.host.requestRender();
			}, CURSOR_REPLY_TIMEOUT_MS);
		}, RESIZE_SETTLE_MS);
	}

	handleInput(data: string): boolean {
		const report = CURSOR_REPORT.exec(data);
		if (!report || this.resize?.stage !== "asking") return false;
		if (this.resize.timer) clearTimeout(this.resize.timer);
		this.resize.timer = undefined;
		this.resize.cursorScreenRow = Number(report[1]) - 1;
		this.resize.stage = "ready";
		this.host.requestRender();
		return true;
	}

	finish(): string {
		this.unpark();
		if (!this.drawn) return "";
		const last = Math.max(0, this.drawn.length - 1);
		let out = this.moveTo(last);
		if (this.drawn.length > 0) out += "\r\n";
		this.cursorRow = last + 1;
		return out;
	}

	draw(frame: Frame): string {
		const { width, height } = frame;
		if (this.resize && this.resize.stage !== "ready") return "";
		const { stack, cursor } = this.compose(frame);
		const drawn = this.drawn;
		const parkedAt = this.parked ? this.cursorRow : undefined;
		this.parked = false;
		let out = "";
		if (!drawn) out = this.drawAll(stack, width, height);
		else if (this.restartAt !== undefined) out = this.drawBelow(this.restartAt, stack, height);
		else if (this.resize) out = this.redrawAfterResize(drawn, stack, width, height);
		else if (width !== this.drawnWidth || height !== this.drawnHeight) {
			// A size change nobody announced (no resize event): treat it like one, without a terminal report.
			this.host.logRedraw(`terminal size changed without an event (${this.drawnWidth}x${this.drawnHeight})`);
			this.resize = { stage: "ready", timer: undefined };
			out = this.redrawAfterResize(drawn, stack, width, height);
		} else {
			const park = frame.overlays.length === 0 && !this.host.showHardwareCursor && this.host.reflowKeepsCursor;
			out = this.diff(drawn, stack, height, frame.force, { parkedAt, park });
		}
		this.drawn = frame.overlays.length === 0 ? this.freezeAbove(stack) : stack;
		this.drawnWidth = width;
		this.drawnHeight = height;
		if (this.parked) {
			// The editor's cursor is placed again by the frame the settle timer asks for.
			this.lastCursor = undefined;
			if (this.parkTimer) clearTimeout(this.parkTimer);
			this.parkTimer = setTimeout(() => {
				this.parkTimer = undefined;
				if (this.parked) this.host.requestRender();
			}, PARK_SETTLE_MS);
			this.parkTimer.unref?.();
			return out;
		}
		const cursorMoved = cursor?.row !== this.lastCursor?.row || cursor?.col !== this.lastCursor?.col;
		if (out.length > 0 || cursorMoved) out += this.placeCursor(cursor);
		this.lastCursor = cursor;
		return out;
	}

	/** The frame as rows: transcript parts, the dock, overlays over the rows that will be on screen, the cursor. */
	private compose(frame: Frame): { stack: LineStack; cursor: CursorPosition | undefined } {
		const { width, height } = frame;
		const leaves = leavesOf(frame.transcript);
		if (this.frozen.leaves > 0 && leaves[this.frozen.leaves - 1] !== this.frozen.last) this.unfreeze();
		const collected = collectLines(frame.transcript, width, this.frozen.leaves, this.frozen.rows);
		const parts = collected.parts.map((part) => fitLines(part, width));
		const owners = [...collected.owners];
		const dock = [...frame.dock];
		parts.push(dock);
		owners.push(DOCK);
		const transcriptRows = collected.length;
		if (frame.overlays.length === 0) {
			const inDock = takeCursor(dock);
			if (inDock)
				return {
					stack: new LineStack(parts, owners, collected.base),
					cursor: { row: transcriptRows + inDock.row, col: inDock.col },
				};
			// A focused component in the transcript (a picker drawn on its own): its part is copied without the marker.
			const cursor = takeCursorFromParts(parts, collected.base, Math.max(0, transcriptRows - height), transcriptRows);
			return { stack: new LineStack(parts, owners, collected.base), cursor };
		}
		const stack = new LineStack(parts, owners, collected.base);
		// Overlays are laid over what the screen will show: the last `height` rows (padded when shorter).
		const total = stack.length;
		const top = Math.max(0, total - height);
		const windowRows = stack.slice(top, total);
		while (windowRows.length < height) windowRows.push("");
		compositeOverlays(windowRows, frame.overlays, width, height);
		const cursor = takeCursor(windowRows, height);
		const head = headOf(stack, top);
		head.parts.push(windowRows.map((row) => `${row}\x1b[0m`));
		head.owners.push(OVERLAID);
		return {
			stack: new LineStack(head.parts, head.owners, stack.base),
			cursor: cursor ? { row: top + cursor.row, col: cursor.col } : undefined,
		};
	}

	/** The first frame (or the first after a handoff): everything from `startRow` on, from where the cursor is. */
	private drawAll(stack: LineStack, width: number, height: number): string {
		this.host.logRedraw(this.startRow > 0 ? `redraw after handoff (from row ${this.startRow})` : "first render");
		const from = Math.min(this.startRow, stack.length);
		const rows = stack.slice(from, stack.length);
		let out = this.hideCursor();
		out += rows.map((row) => CLEAR_LINE + row).join("\r\n");
		const last = Math.max(from, stack.length - 1);
		// Where the UI started is unknown; assuming the bottom row makes the scrolled-off count exact.
		this.origin = height - 1 - last;
		this.cursorRow = last;
		this.extent = Math.max(stack.length, from + 1);
		void width;
		return out;
	}

	/**
	 * startOver(): the old dock is erased, the screen's rows above it are scrolled into the scrollback (as `clear`
	 * does in today's terminals), and the new transcript is drawn from the top of the screen.
	 */
	private drawBelow(at: number, next: LineStack, height: number): string {
		this.restartAt = undefined;
		this.host.logRedraw(`transcript replaced: the screen scrolled into the scrollback from row ${at}`);
		let out = this.hideCursor();
		const eraseAt = Math.max(this.visibleTop(), at);
		out += this.moveTo(eraseAt);
		out += this.origin + eraseAt <= 0 ? eraseScreenFrom(0, height) : "\x1b[J";
		const screenRow = Math.max(0, Math.min(height - 1, this.origin + this.cursorRow));
		if (screenRow > 0) out += `\x1b[${height};1H${"\n".repeat(screenRow)}`;
		out += "\x1b[H";
		this.origin = 0;
		this.floor = 0;
		this.cursorRow = 0;
		this.extent = 1;
		for (let row = 0; row < next.length; row++) {
			if (row > 0) out += this.newRow(row, height);
			out += CLEAR_LINE + next.line(row);
		}
		return out;
	}

	/**
	 * Rows [first, last] rewritten; rows above the screen are never touched.
	 *
	 * A frame written for the old size but read by the terminal after it reflowed its rows (the window was resized
	 * while the frame was on its way, or before the resize signal reached pi) must not lose or repeat rows. Relative
	 * cursor moves over rows the reflow split land on the wrong row, so while the transcript streams (`park`, in a
	 * terminal that keeps the cursor on its character when it reflows: Terminal.reflowKeepsCursor) the cursor
	 * rests at the start of the first row the next frame rewrites, and each frame writes from there down, with no
	 * move up first (measured in tmux: 10 resizes a run while streaming, 1 of 8 runs beside two busy loops repeated
	 * rows without this, 0 of 18 with it; test/e2e/scrollback-tmux.test.ts). The rows from
	 * where the cursor will rest again to the end are written with autowrap off, so they take one screen row each
	 * at any width and the move back up to the rest row is exact. The rows above the rest row are written with
	 * autowrap on: at a new width they wrap as the terminal's reflow would, so after a resize redrawAfterResize
	 * counts the rows above the cursor right, whether the frame was read before or after the reflow.
	 */
	private diff(
		drawn: LineStack,
		next: LineStack,
		height: number,
		force: boolean,
		rest: { parkedAt: number | undefined; park: boolean },
	): string {
		const first = drawn.firstDifference(next);
		const sameLength = drawn.length === next.length;
		const top = this.visibleTop();
		if (
			!force &&
			first < top &&
			sameLength &&
			continueAt(drawn, next, top).row === top &&
			lastDifference(drawn, next, top) < top
		) {
			// Only rows in the scrollback changed; what is on screen stays as it is.
			return "";
		}
		if (force || first < top) {
			this.host.countFullRedraw();
			this.host.logRedraw(
				force
					? "forced redraw: visible rows repainted"
					: `change above the screen (row ${first} < first visible ${top}): visible rows repainted`,
			);
			return this.repaintVisible(drawn, next, height);
		}
		if (first >= next.length && sameLength) return "";
		const last = sameLength ? lastDifference(drawn, next, first) : Math.max(drawn.length, next.length) - 1;
		if (last < first) return "";
		const { parkedAt } = rest;
		const start =
			parkedAt !== undefined && parkedAt <= first && parkedAt >= Math.max(top, next.base) ? parkedAt : first;
		// Parked only for a change in the transcript (streaming), not for typing in the editor.
		const dockStart = next.offsets[next.parts.length - 1] ?? next.length;
		const park = rest.park && first < dockStart;
		// The rows written with autowrap off must stay on the screen for the move back up (at most height - 1).
		const restRow = Math.max(first, last - Math.max(0, height - 2));
		let out = this.hideCursor();
		out += deleteKittyImages(kittyIds(drawn, start, Math.min(last, drawn.length - 1)));
		out += this.moveTo(start);
		for (let row = start; row <= last; row++) {
			if (row > start) out += this.newRow(row, height);
			if (park && row === restRow) out += NO_WRAP;
			out += CLEAR_LINE + (row < next.length ? next.line(row) : "");
		}
		if (park) {
			out += this.moveTo(restRow) + WRAP;
			this.parked = true;
		}
		return out;
	}

	/**
	 * Something above the screen changed (or everything must be drawn again): the screen's rows are drawn again,
	 * continuing with what followed the last row in the scrollback, so the scrollback gains no copies.
	 */
	private repaintVisible(drawn: LineStack, next: LineStack, height: number): string {
		const top = this.visibleTop();
		const mapped = continueAt(drawn, next, top);
		const firstNew = Math.max(mapped.row, this.floor);
		const cut = firstNew === mapped.row ? mapped.cut : 0;
		let out = this.hideCursor();
		out += deleteKittyImages(kittyIds(drawn, top, drawn.length - 1));
		out += this.moveTo(top);
		// Content row `top` is on screen row origin + top; from here on that row shows `firstNew`.
		this.origin += top - firstNew;
		this.cursorRow = firstNew;
		const oldBottom = this.extent - 1 + (firstNew - top);
		this.extent = firstNew + 1;
		const last = Math.max(next.length - 1, oldBottom);
		for (let row = firstNew; row <= last; row++) {
			if (row > firstNew) out += this.newRow(row, height);
			const line = row < next.length ? next.line(row) : "";
			out += CLEAR_LINE + (row === firstNew ? withoutStart(line, cut) : line);
		}
		if (cut > 0) this.floor = Math.max(this.floor, firstNew + 1);
		return out;
	}

	/** After a resize: continue right after the last row the terminal still has above the screen. */
	private redrawAfterResize(drawn: LineStack, next: LineStack, width: number, height: number): string {
		const resize = this.resize;
		this.resize = undefined;
		if (resize?.timer) clearTimeout(resize.timer);
		this.host.countFullRedraw();
		const reported = resize?.cursorScreenRow;
		let firstOld: number;
		let startScreenRow: number;
		if (reported === undefined) {
			// No report: assume the terminal kept the rows where they were.
			firstOld = this.visibleTop();
			startScreenRow = 0;
			this.host.logRedraw(`terminal resized to ${width}x${height} (no cursor report): visible rows repainted`);
		} else {
			({ firstOld, startScreenRow } = this.firstRowOnScreen(drawn, reported, width));
			this.host.logRedraw(
				`terminal resized to ${width}x${height}: cursor reported on row ${reported}, redrawing from row ${firstOld}`,
			);
		}
		const { row: firstNew, cut } = continueAt(drawn, next, firstOld);
		const oldFloor = this.floor;
		this.floor = Math.min(continueAt(drawn, next, oldFloor).row, firstNew);
		let out = this.hideCursor();
		// Rows of a row cut in half by the reflow (its top half is in the scrollback) are cleared too.
		const start = firstOld > oldFloor ? 0 : startScreenRow;
		out += eraseScreenFrom(start, height);
		this.origin = start - firstNew;
		this.cursorRow = firstNew;
		this.extent = firstNew + 1;
		for (let row = firstNew; row < next.length; row++) {
			if (row > firstNew) out += this.newRow(row, height);
			out += CLEAR_LINE + (row === firstNew ? withoutStart(next.line(row), cut) : next.line(row));
		}
		// A row drawn in part is never written again (its start is in the scrollback).
		if (cut > 0) this.floor = Math.max(this.floor, firstNew + 1);
		return out;
	}

	/**
	 * Which old row is now the first one (fully) on the screen, from where the terminal says the cursor is: each old
	 * row above it takes ceil(width / new width) rows after the terminal's reflow.
	 */
	private firstRowOnScreen(
		drawn: LineStack,
		cursorScreenRow: number,
		width: number,
	): { firstOld: number; startScreenRow: number } {
		const cursor = Math.min(this.cursorRow, Math.max(0, drawn.length - 1));
		let top = cursorScreenRow - Math.floor(this.cursorCol / Math.max(1, width));
		let row = cursor;
		const limit = Math.max(this.floor, drawn.base, cursor - this.drawnHeight * 4);
		while (row > limit) {
			const above = rowsAfterReflow(drawn.line(row - 1), width);
			if (top - above < 0) break;
			top -= above;
			row--;
		}
		return { firstOld: row, startScreenRow: Math.max(0, top) };
	}

	/** Leaves entirely above the screen are frozen; the stack kept for the next diff starts after them. */
	private freezeAbove(stack: LineStack): LineStack {
		const top = this.visibleTop();
		let count = 0;
		// The last part is the dock; it is never frozen.
		while (
			count < stack.parts.length - 1 &&
			(stack.offsets[count] ?? top) < top &&
			(stack.offsets[count + 1] ?? Number.POSITIVE_INFINITY) <= top
		)
			count++;
		if (count === 0) return stack;
		const owner = stack.owners[count - 1];
		if (owner === OVERLAID || owner === DOCK) return stack;
		this.frozen = { leaves: this.frozen.leaves + count, rows: stack.offsets[count] ?? this.frozen.rows, last: owner };
		return stack.dropParts(count);
	}

	private unfreeze(): void {
		this.frozen = { leaves: 0, rows: 0, last: undefined };
	}

	private visibleTop(): number {
		return Math.max(this.floor, -this.origin);
	}

	/** Moves down one row to `row`, creating it (and scrolling the screen) when it does not exist yet. */
	private newRow(row: number, height: number): string {
		this.cursorRow = row;
		this.cursorCol = 0;
		this.extent = Math.max(this.extent, row + 1);
		if (this.origin + row > height - 1) this.origin = height - 1 - row;
		return "\r\n";
	}

	/** Relative cursor movement to a content row; rows below the existing ones are created with newlines. */
	private moveTo(row: number): string {
		let out = "";
		const lastExisting = Math.max(0, this.extent - 1);
		if (row < this.cursorRow) out += `\x1b[${this.cursorRow - row}A`;
		else if (row > this.cursorRow) {
			const down = Math.min(row, lastExisting) - this.cursorRow;
			if (down > 0) out += `\x1b[${down}B`;
			const created = row - Math.max(this.cursorRow, lastExisting);
			if (created > 0) out += "\r\n".repeat(created);
		}
		this.cursorRow = row;
		this.cursorCol = 0;
		this.extent = Math.max(this.extent, row + 1);
		const height = this.drawnHeight || 1;
		if (this.origin + row > height - 1) this.origin = height - 1 - row;
		return `${out}\r`;
	}

	private placeCursor(cursor: CursorPosition | undefined): string {
		if (!cursor) return this.hideCursor();
		let out = this.moveTo(cursor.row);
		if (cursor.col > 0) out += `\x1b[${cursor.col + 1}G`;
		this.cursorCol = cursor.col;
		if (this.host.showHardwareCursor && !this.cursorVisible) {
			out += SHOW_CURSOR;
			this.cursorVisible = true;
		} else if (!this.host.showHardwareCursor) out += this.hideCursor();
		return out;
	}

	private hideCursor(): string {
		if (!this.cursorVisible) return "";
		this.cursorVisible = false;
		return HIDE_CURSOR;
	}

	private cancelResize(): void {
		if (this.resize?.timer) clearTimeout(this.resize.timer);
		this.resize = undefined;
		this.unpark();
	}

	private unpark(): void {
		this.parked = false;
		if (this.parkTimer) clearTimeout(this.parkTimer);
		this.parkTimer = undefined;
	}
}

/** Finds the cursor marker in rows [from, to) of `parts` (bottom first); that part is replaced by a clean copy. */
function takeCursorFromParts(
	parts: (readonly string[])[],
	base: number,
	from: number,
	to: number,
): CursorPosition | undefined {
	let end = base;
	const starts: number[] = [];
	for (const part of parts) {
		starts.push(end);
		end += part.length;
	}
	for (let i = parts.length - 1; i >= 0; i--) {
		const part = parts[i] ?? [];
		const start = starts[i] ?? 0;
		if (start >= to) continue;
		if (start + part.length <= from) break;
		for (let r = Math.min(part.length, to - start) - 1; r >= Math.max(0, from - start); r--) {
			if (!(part[r] ?? "").includes(CURSOR_MARKER)) continue;
			const copy = part.slice();
			const found = takeCursor(copy.slice(r, r + 1));
			copy[r] = (copy[r] ?? "").split(CURSOR_MARKER).join("");
			parts[i] = copy;
			return found ? { row: start + r, col: found.col } : undefined;
		}
	}
	return undefined;
}

/** The parts of `stack` before row `end` (the part containing it cut there), keeping the unchanged arrays. */
function headOf(stack: LineStack, end: number): { parts: (readonly string[])[]; owners: Component[] } {
	const parts: (readonly string[])[] = [];
	const owners: Component[] = [];
	for (let i = 0; i < stack.parts.length; i++) {
		const start = stack.offsets[i] ?? 0;
		const lines = stack.parts[i] ?? [];
		const owner = stack.owners[i] ?? OVERLAID;
		if (start >= end) break;
		if (start + lines.length <= end) parts.push(lines);
		else parts.push(lines.slice(0, end - start));
		owners.push(owner);
	}
	return { parts, owners };
}
