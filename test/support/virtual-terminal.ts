import xtermHeadless from "@xterm/headless";
import stringWidth from "string-width";
import type { Terminal } from "../../src/tui/terminal.ts";

const { Terminal: XtermTerminal } = xtermHeadless;

/** A Terminal backed by a headless xterm.js, so tests can assert on the exact screen grid. */
export class VirtualTerminal implements Terminal {
	readonly xterm: InstanceType<typeof XtermTerminal>;
	/** Total bytes (UTF-16 code units) written by the UI since creation or the last resetCounters(). */
	bytesWritten = 0;
	writes: string[] = [];
	cursorHidden = false;
	private onInput: ((data: string) => void) | undefined;
	private onResize: (() => void) | undefined;
	private cols: number;
	private rowCount: number;

	constructor(columns = 80, rows = 24, scrollback = 20_000) {
		this.cols = columns;
		this.rowCount = rows;
		this.xterm = new XtermTerminal({ cols: columns, rows, scrollback, allowProposedApi: true });
		// xterm's built-in Unicode 6 tables count emoji as one cell; real terminals (and string-width) use two.
		this.xterm.unicode.register(stringWidthUnicode);
		this.xterm.unicode.activeVersion = stringWidthUnicode.version;
		// Replies to queries (cursor position, synchronized output support) come back as input, as from a real one.
		this.xterm.onData((data) => {
			if (this.answerQueries) this.onInput?.(data);
		});
	}

	/** False: behave like a terminal that ignores queries (no cursor reports, no mode reports). */
	answerQueries = true;

	get columns(): number {
		return this.cols;
	}

	get rows(): number {
		return this.rowCount;
	}

	start(onInput: (data: string) => void, onResize: () => void): void {
		this.onInput = onInput;
		this.onResize = onResize;
	}

	stop(): void {
		this.onInput = undefined;
		this.onResize = undefined;
	}

	write(data: string): void {
		this.bytesWritten += data.length;
		this.writes.push(data);
		this.xterm.write(data);
	}

	hideCursor(): void {
		this.cursorHidden = true;
		this.write("\x1b[?25l");
	}

	showCursor(): void {
		this.cursorHidden = false;
		this.write("\x1b[?25h");
	}

	resetCounters(): void {
		this.bytesWritten = 0;
		this.writes = [];
	}

	/** Simulates the user typing (or the terminal reporting) `data`. */
	sendInput(data: string): void {
		this.onInput?.(data);
	}

	resize(columns: number, rows: number): void {
		this.cols = columns;
		this.rowCount = rows;
		this.xterm.resize(columns, rows);
		this.onResize?.();
	}

	/** Resolves once xterm has processed everything written so far. */
	flush(): Promise<void> {
		return new Promise((resolve) => this.xterm.write("", resolve));
	}

	/** Lets scheduled (process.nextTick) renders run, then waits until xterm has processed their output. */
	async settle(): Promise<void> {
		await nextTick();
		await this.flush();
	}

	private lineText(index: number): string {
		return this.xterm.buffer.active.getLine(index)?.translateToString(true) ?? "";
	}

	/** The visible screen, one string per row, trailing spaces trimmed. */
	getViewport(): string[] {
		const buffer = this.xterm.buffer.active;
		const rows: string[] = [];
		for (let i = 0; i < this.rowCount; i++) rows.push(this.lineText(buffer.viewportY + i));
		return rows;
	}

	/** Rows that scrolled off the top of the screen. */
	getScrollback(): string[] {
		const buffer = this.xterm.buffer.active;
		const rows: string[] = [];
		for (let i = 0; i < buffer.baseY; i++) rows.push(this.lineText(i));
		return rows;
	}

	/**
	 * Scrollback and viewport with rows the terminal itself wrapped (its reflow on a resize) joined back into the
	 * line that was written.
	 */
	getLogicalLines(): string[] {
		const buffer = this.xterm.buffer.active;
		const rows: string[] = [];
		for (let i = 0; i < buffer.baseY + this.rowCount; i++) {
			const line = buffer.getLine(i);
			const text = line?.translateToString(true) ?? "";
			if (line?.isWrapped && rows.length > 0) rows[rows.length - 1] += text;
			else rows.push(text);
		}
		return rows;
	}

	/** Scrollback followed by the viewport. */
	getAllLines(): string[] {
		return [...this.getScrollback(), ...this.getViewport()];
	}

	getCursor(): { row: number; col: number } {
		const buffer = this.xterm.buffer.active;
		return { row: buffer.cursorY, col: buffer.cursorX };
	}

	/** The xterm cell at a viewport position, for style assertions. */
	getCell(row: number, col: number) {
		const buffer = this.xterm.buffer.active;
		return buffer.getLine(buffer.viewportY + row)?.getCell(col);
	}
}

/** Cell widths from string-width, packed the way xterm's UnicodeService expects (width in bits 1-2, join in bit 0). */
const stringWidthUnicode = {
	version: "string-width",
	wcwidth(codepoint: number): 0 | 1 | 2 {
		if (codepoint < 0x7f) return codepoint < 0x20 ? 0 : 1;
		const width = stringWidth(String.fromCodePoint(codepoint));
		return width >= 2 ? 2 : width === 1 ? 1 : 0;
	},
	charProperties(codepoint: number, preceding: number): number {
		let width: number = this.wcwidth(codepoint);
		let join = width === 0 && preceding !== 0;
		if (join) {
			const previousWidth = (preceding >> 1) & 3;
			if (previousWidth === 0) join = false;
			else width = Math.max(width, previousWidth);
		}
		return ((width & 3) << 1) | (join ? 1 : 0);
	},
};

/** Waits, letting renders run, until `check` holds on `terminal`; fails with the screen after `timeoutMs`. */
export async function settleUntil(terminal: VirtualTerminal, check: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		await terminal.settle();
		if (check()) return;
		if (Date.now() > deadline) throw new Error(`Timed out. Screen:\n${terminal.getViewport().join("\n")}`);
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
}

/** Lets process.nextTick renders run. */
export function nextTick(): Promise<void> {
	return new Promise((resolve) => setImmediate(resolve));
}
