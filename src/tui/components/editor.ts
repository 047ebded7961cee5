import { type Component, CURSOR_MARKER, type Focusable } from "../component.ts";
import { firstGrapheme } from "../graphemes.ts";
import { pasteContent } from "../input-split.ts";
import { matchesKey, printableText } from "../keys.ts";
import { visibleWidth } from "../text-utils.ts";
import { inverse } from "../theme.ts";
import { type AutocompleteProvider, EditorAutocomplete } from "./editor-autocomplete.ts";
import { type BufferSnapshot, cleanPaste, EditorBuffer, type EditorState } from "./editor-buffer.ts";
import { type EditorAction, editorActionFor } from "./editor-keymap.ts";
import { cursorRowIn, editorBorderLine, offsetAtColumn, wrapEditorLines } from "./editor-layout.ts";

const MAX_HISTORY = 100;
const MAX_UNDO = 200;

export interface EditorOptions {
	/** Terminal height, for the visible-lines budget (max(5, 30% of rows)). */
	terminalRows?: () => number;
	paddingX?: number;
	/** Asked for a frame when autocomplete suggestions arrive. */
	requestRender?: () => void;
	/** Rows of the autocomplete list (pi: 3 to 20, default 5). */
	autocompleteMaxVisible?: number;
}

/**
 * Multi-line prompt editor: soft word-wrap, history, kill ring, undo, bracketed paste with large-paste markers.
 * Enter submits; shift+enter, alt+enter, LF or a trailing backslash insert a newline.
 */
export class Editor implements Component, Focusable {
	focused = false;
	onSubmit?: (text: string) => void;
	onChange?: (text: string) => void;
	disableSubmit = false;
	borderColor?: (text: string) => string;

	/** The text, cursor and large pastes (editor-buffer.ts); edits and motions are its methods. */
	private readonly buffer = new EditorBuffer();
	private history: string[] = [];
	/** -1 = editing a fresh entry; otherwise index into history from the newest. */
	private historyIndex = -1;
	/** What was being typed when history browsing started; Down past the newest entry brings it back. */
	private historyDraft: EditorState | undefined;
	private undoStack: BufferSnapshot[] = [];
	/** Typing a word, killing and yanking chain; anything else starts a new undo unit and ends the chains. */
	private lastAction: "type" | "kill" | "yank" | undefined;
	/** Killed texts, newest last; yank-pop rotates the newest to the front. */
	private killRing: string[] = [];
	private pendingJump: "forward" | "backward" | undefined;
	private layoutWidth = 80;
	private scrollTop = 0;
	/** Visual column to keep when moving up/down through lines of different length. */
	private preferredColumn: number | undefined;
	private readonly terminalRows: () => number;
	private paddingX: number;

	/** Slash commands, their arguments, `@` files and Tab paths (editor-autocomplete.ts). */
	readonly autocomplete: EditorAutocomplete;

	constructor(options: EditorOptions = {}) {
		this.terminalRows = options.terminalRows ?? (() => process.stdout.rows || 24);
		this.paddingX = options.paddingX ?? 0;
		this.autocomplete = new EditorAutocomplete({
			lines: () => this.state.lines,
			cursor: () => ({ line: this.state.line, col: this.state.col }),
			apply: (result) => {
				const before = this.getText();
				this.pushUndo();
				this.lastAction = undefined;
				this.state = { lines: [...result.lines], line: result.cursorLine, col: result.cursorCol };
				this.preferredColumn = undefined;
				const after = this.getText();
				if (after !== before) this.onChange?.(after);
			},
			requestRender: () => options.requestRender?.(),
		});
		this.setAutocompleteMaxVisible(options.autocompleteMaxVisible ?? 5);
	}

	setAutocompleteProvider(provider: AutocompleteProvider | undefined): void {
		this.autocomplete.setProvider(provider);
	}

	getAutocompleteProvider(): AutocompleteProvider | undefined {
		return this.autocomplete.getProvider();
	}

	getAutocompleteMaxVisible(): number {
		return this.autocomplete.maxVisible;
	}

	setAutocompleteMaxVisible(rows: number): void {
		this.autocomplete.maxVisible = Number.isFinite(rows) ? Math.max(3, Math.min(20, Math.floor(rows))) : 5;
	}

	isShowingAutocomplete(): boolean {
		return this.autocomplete.showing;
	}

	getText(): string {
		return this.buffer.getText();
	}

	getPaddingX(): number {
		return this.paddingX;
	}

	setPaddingX(paddingX: number): void {
		this.paddingX = Math.max(0, paddingX);
	}

	/** Text with paste markers replaced by the pasted content. */
	getExpandedText(): string {
		return this.buffer.expandPastes(this.getText());
	}

	setText(text: string): void {
		this.autocomplete.cancel();
		this.lastAction = undefined;
		this.exitHistory();
		const normalized = text.replace(/\r\n?/g, "\n").replace(/\t/g, "    ");
		if (this.getText() !== normalized) this.pushUndo();
		this.buffer.clearPastes();
		this.replaceText(normalized);
		this.onChange?.(this.getText());
	}

	getCursor(): { line: number; col: number } {
		return { line: this.state.line, col: this.state.col };
	}

	addToHistory(text: string): void {
		const trimmed = text.trim();
		if (!trimmed || this.history[0] === trimmed) return;
		this.history.unshift(trimmed);
		if (this.history.length > MAX_HISTORY) this.history.length = MAX_HISTORY;
	}

	/** The whole text replaced; the cursor at its end (or start). */
	private replaceText(text: string, cursor: "start" | "end" = "end"): void {
		this.buffer.replaceText(text, cursor);
		this.preferredColumn = undefined;
		this.scrollTop = 0;
	}

	private get state(): EditorState {
		return this.buffer.state;
	}

	private set state(state: EditorState) {
		this.buffer.state = state;
	}

	private get currentLine(): string {
		return this.buffer.currentLine;
	}

	private exitHistory(): void {
		this.historyIndex = -1;
		this.historyDraft = undefined;
	}

	private pushUndo(): void {
		this.pushSnapshot(this.buffer.snapshot());
	}

	handleInput(data: string): void {
		const before = this.getText();
		this.handleKey(data);
		const after = this.getText();
		if (after !== before) this.onChange?.(after);
	}

	private handleKey(data: string): void {
		if (this.pendingJump) {
			const direction = this.pendingJump;
			this.pendingJump = undefined;
			// The jump key again cancels; a character jumps; any other key cancels and does its own job.
			if (matchesKey(data, "ctrl+]") || matchesKey(data, "ctrl+alt+]")) return;
			const target = printableText(data) ?? (data.charCodeAt(0) >= 32 ? data : undefined);
			if (target !== undefined) {
				this.lastAction = undefined;
				this.buffer.jumpTo(target, direction);
				return;
			}
		}
		const paste = pasteContent(data);
		if (paste !== undefined) {
			this.autocomplete.cancel();
			this.paste(paste);
			return;
		}
		// An open list takes its keys first; Enter on a command name completes and submits it.
		const listed = this.autocomplete.handleKey(data);
		if (listed === "handled") return;
		if (listed === "submit") {
			this.submitOrNewline();
			return;
		}
		if (this.autocomplete.getProvider() && !this.autocomplete.showing && matchesKey(data, "tab")) {
			this.autocomplete.tab();
			return;
		}
		// A lone LF and ESC CR are new lines whatever else they might be (pi's editor checks them before Enter).
		if (data === "\n" || data === "\x1b\r" || data === "\x1b[13;2~") {
			this.newline();
			return;
		}
		const action = editorActionFor(data);
		if (action) {
			if (action !== "up" && action !== "down") this.preferredColumn = undefined;
			this.run(action);
			return;
		}
		const text = printableText(data);
		if (text !== undefined) this.typeText(text);
	}

	private run(action: EditorAction): void {
		switch (action) {
			case "submit":
				this.submitOrNewline();
				return;
			case "newline":
				this.newline();
				return;
			case "backspace":
				this.deleteChar(() => this.buffer.deleteBackward());
				this.autocomplete.afterDelete();
				return;
			case "delete":
				this.deleteChar(() => this.buffer.deleteForward());
				this.autocomplete.afterDelete();
				return;
			case "left":
				this.lastAction = undefined;
				this.buffer.moveLeft();
				this.autocomplete.afterMove();
				return;
			case "right":
				this.lastAction = undefined;
				this.buffer.moveRight();
				this.autocomplete.afterMove();
				return;
			case "up":
				this.arrowUp();
				return;
			case "down":
				this.arrowDown();
				return;
			case "pageUp":
				this.lastAction = undefined;
				this.moveVertical(-this.maxVisibleLines());
				return;
			case "pageDown":
				this.lastAction = undefined;
				this.moveVertical(this.maxVisibleLines());
				return;
			case "lineStart":
				this.lastAction = undefined;
				this.state.col = 0;
				return;
			case "lineEnd":
				this.lastAction = undefined;
				this.state.col = this.currentLine.length;
				return;
			case "wordLeft":
				this.lastAction = undefined;
				this.buffer.wordLeft();
				return;
			case "wordRight":
				this.lastAction = undefined;
				this.buffer.wordRight();
				return;
			case "deleteWordBackward":
				this.kill(() => this.buffer.deleteWordBackward(), true);
				return;
			case "deleteWordForward":
				this.kill(() => this.buffer.deleteWordForward(), false);
				return;
			case "deleteToLineStart":
				this.kill(() => this.buffer.deleteToLineStart(), true);
				return;
			case "deleteToLineEnd":
				this.kill(() => this.buffer.deleteToLineEnd(), false);
				return;
			case "yank":
				this.yank();
				return;
			case "yankPop":
				this.yankPop();
				return;
			case "undo":
				this.undo();
				return;
			case "jumpForward":
				this.pendingJump = "forward";
				return;
			case "jumpBackward":
				this.pendingJump = "backward";
				return;
		}
	}

	/** Typing: a word is one undo unit, each space its own (fish-style). */
	private typeText(text: string): void {
		this.exitHistory();
		if (/^\s$/.test(text) || this.lastAction !== "type") this.pushUndo();
		this.lastAction = "type";
		this.buffer.insert(text);
		this.autocomplete.afterInsert(text.slice(-1));
	}

	private newline(): void {
		this.autocomplete.cancel();
		this.exitHistory();
		this.lastAction = undefined;
		this.pushUndo();
		this.buffer.insert("\n");
	}

	/** Backspace and delete: no undo step when nothing was there to delete. */
	private deleteChar(remove: () => boolean): void {
		this.exitHistory();
		this.lastAction = undefined;
		const snapshot = this.buffer.snapshot();
		if (remove()) this.pushSnapshot(snapshot);
	}

	private pushSnapshot(snapshot: BufferSnapshot): void {
		this.undoStack.push(snapshot);
		if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
	}

	private submitOrNewline(): void {
		if (this.disableSubmit) return;
		if (this.state.col > 0 && this.currentLine[this.state.col - 1] === "\\") {
			// Fallback for terminals without shift+enter: "\" then Enter inserts a newline.
			this.deleteChar(() => this.buffer.deleteBackward());
			this.newline();
			return;
		}
		this.autocomplete.cancel();
		const text = this.buffer.expandPastes(this.getText()).trim();
		this.state = { lines: [""], line: 0, col: 0 };
		this.buffer.clearPastes();
		this.exitHistory();
		this.undoStack = [];
		this.lastAction = undefined;
		this.scrollTop = 0;
		this.onChange?.("");
		this.onSubmit?.(text);
	}

	private paste(raw: string): void {
		let clean = cleanPaste(raw);
		// A dropped file path right after a word gets a separating space.
		const before = this.currentLine[this.state.col - 1];
		if (/^[/~.]/.test(clean) && before !== undefined && /\w/.test(before)) clean = ` ${clean}`;
		// A large paste is stored before the undo step, as before: undoing the paste keeps its number taken.
		const insert = this.buffer.pasteInsertion(clean);
		this.exitHistory();
		this.lastAction = undefined;
		this.pushUndo();
		this.buffer.insert(insert);
	}

	/**
	 * Runs a deletion and records the removed text in the kill ring; consecutive kills grow one entry (backward
	 * kills at its front). Nothing deleted: no undo step, and the chain is not broken.
	 */
	private kill(remove: () => string, backward: boolean): void {
		this.exitHistory();
		const snapshot = this.buffer.snapshot();
		const removed = remove();
		if (!removed) return;
		this.pushSnapshot(snapshot);
		const accumulate = this.lastAction === "kill" && this.killRing.length > 0;
		if (accumulate) {
			const last = this.killRing.pop() ?? "";
			this.killRing.push(backward ? removed + last : last + removed);
		} else this.killRing.push(removed);
		this.lastAction = "kill";
	}

	private yank(): void {
		const text = this.killRing.at(-1);
		if (text === undefined) return;
		this.pushUndo();
		this.exitHistory();
		this.buffer.insert(text);
		this.lastAction = "yank";
	}

	/** Right after a yank: the yanked text is replaced by the next older kill (multi-line ones too). */
	private yankPop(): void {
		if (this.lastAction !== "yank" || this.killRing.length <= 1) return;
		this.pushUndo();
		this.buffer.removeBeforeCursor(this.killRing.at(-1) ?? "");
		const newest = this.killRing.pop();
		if (newest !== undefined) this.killRing.unshift(newest);
		this.exitHistory();
		this.buffer.insert(this.killRing.at(-1) ?? "");
		this.lastAction = "yank";
	}

	private undo(): void {
		this.exitHistory();
		const previous = this.undoStack.pop();
		if (!previous) return;
		this.buffer.restore(previous);
		this.lastAction = undefined;
		this.preferredColumn = undefined;
	}

	/** Up: on the first row of an empty editor, at its start, or while browsing, the previous prompt; else a row up. */
	private arrowUp(): void {
		const layout = wrapEditorLines(this.state.lines, this.layoutWidth);
		const firstRow = cursorRowIn(layout, this.state.line, this.state.col) === 0;
		if (firstRow && (this.getText() === "" || this.historyIndex > -1 || this.state.col === 0)) this.browseHistory(-1);
		else if (firstRow) {
			this.lastAction = undefined;
			this.state.col = 0;
		} else {
			this.lastAction = undefined;
			this.moveVertical(-1);
		}
	}

	/** Down: on the last row while browsing, the next prompt; on the last row otherwise the line's end. */
	private arrowDown(): void {
		const layout = wrapEditorLines(this.state.lines, this.layoutWidth);
		const lastRow = cursorRowIn(layout, this.state.line, this.state.col) === layout.length - 1;
		if (lastRow && this.historyIndex > -1) this.browseHistory(1);
		else if (lastRow) {
			this.lastAction = undefined;
			this.state.col = this.currentLine.length;
		} else {
			this.lastAction = undefined;
			this.moveVertical(1);
		}
	}

	/** Up/down through wrapped rows, keeping the column a vertical move started in. */
	private moveVertical(delta: number): void {
		const layout = wrapEditorLines(this.state.lines, this.layoutWidth);
		const row = cursorRowIn(layout, this.state.line, this.state.col);
		const target = Math.max(0, Math.min(layout.length - 1, row + delta));
		if (target === row) return;
		const current = layout[row];
		const goal = layout[target];
		if (!current || !goal) return;
		const column = this.preferredColumn ?? visibleWidth(this.currentLine.slice(current.start, this.state.col));
		this.preferredColumn = column;
		const col = offsetAtColumn(this.state.lines[goal.line] ?? "", goal, column);
		this.state.line = goal.line;
		this.state.col = col;
	}

	/**
	 * -1: an older prompt (cursor at its start, so Up goes on), 1: a newer one (cursor at its end); past the newest,
	 * what was being typed comes back. Starting to browse is an undo step.
	 */
	private browseHistory(direction: 1 | -1): void {
		this.lastAction = undefined;
		if (this.history.length === 0) return;
		const next = this.historyIndex - direction;
		if (next < -1 || next >= this.history.length) return;
		if (this.historyIndex === -1 && next >= 0) {
			this.pushUndo();
			this.historyDraft = { lines: [...this.state.lines], line: this.state.line, col: this.state.col };
		}
		this.historyIndex = next;
		if (next === -1) {
			const draft = this.historyDraft;
			this.historyDraft = undefined;
			if (draft) {
				this.state = draft;
				this.preferredColumn = undefined;
				this.scrollTop = 0;
			} else this.replaceText("");
			return;
		}
		this.replaceText(this.history[next] ?? "", direction === -1 ? "start" : "end");
	}

	private maxVisibleLines(): number {
		return Math.max(5, Math.floor(this.terminalRows() * 0.3));
	}

	render(width: number): string[] {
		// pi: the padding never takes more than half the width; without padding one column stays free for the cursor
		// after the last character of a full row, with padding the cursor may sit in it.
		const paddingX = Math.min(this.paddingX, Math.max(0, Math.floor((width - 1) / 2)));
		const pad = " ".repeat(paddingX);
		const contentWidth = Math.max(1, width - paddingX * 2);
		this.layoutWidth = Math.max(1, contentWidth - (paddingX ? 0 : 1));
		const layout = wrapEditorLines(this.state.lines, this.layoutWidth);
		const cursorRow = cursorRowIn(layout, this.state.line, this.state.col);
		const visible = this.maxVisibleLines();
		if (cursorRow < this.scrollTop) this.scrollTop = cursorRow;
		if (cursorRow >= this.scrollTop + visible) this.scrollTop = cursorRow - visible + 1;
		this.scrollTop = Math.max(0, Math.min(this.scrollTop, Math.max(0, layout.length - visible)));
		const color = this.borderColor ?? ((text: string) => text);
		const hiddenAbove = this.scrollTop;
		const hiddenBelow = Math.max(0, layout.length - this.scrollTop - visible);
		const lines = [color(editorBorderLine(width, hiddenAbove, "↑"))];
		for (let i = this.scrollTop; i < Math.min(layout.length, this.scrollTop + visible); i++) {
			const row = layout[i];
			if (!row) continue;
			const text = (this.state.lines[row.line] ?? "").slice(row.start, row.end);
			let rendered = text;
			let used = visibleWidth(text);
			let cursorInPadding = false;
			if (i === cursorRow) {
				const at = this.state.col - row.start;
				const before = text.slice(0, at);
				const rest = text.slice(at);
				const first = firstGrapheme(rest);
				const atEnd = first === undefined;
				const cursorChar = first ?? " ";
				const after = atEnd ? "" : rest.slice(cursorChar.length);
				const marker = this.focused ? CURSOR_MARKER : "";
				rendered = `${before}${marker}${inverse(cursorChar)}${after}`;
				if (atEnd) {
					used++;
					cursorInPadding = used > contentWidth && paddingX > 0;
				}
			}
			// Every row is padded to the full width, as pi draws it (a background or selection shows through).
			const rightPad = cursorInPadding ? pad.slice(1) : pad;
			lines.push(`${pad}${rendered}${" ".repeat(Math.max(0, contentWidth - used))}${rightPad}`);
		}
		lines.push(color(editorBorderLine(width, hiddenBelow, "↓")));
		lines.push(...this.autocomplete.render(contentWidth, pad, pad));
		return lines;
	}
}
