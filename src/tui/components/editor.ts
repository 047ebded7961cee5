import { type Component, CURSOR_MARKER, type Focusable } from "../component.ts";
import { matchesKey, pasteContent, printableText } from "../keys.ts";
import { visibleWidth } from "../text-utils.ts";
import { inverse } from "../theme.ts";
import { type AutocompleteProvider, EditorAutocomplete } from "./editor-autocomplete.ts";
import { nextGraphemeEnd, nextWordEnd, previousGraphemeStart, previousWordStart } from "./word-motion.ts";

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const MAX_HISTORY = 100;
const MAX_UNDO = 200;
/** Pastes bigger than this are collapsed into a marker (pi's thresholds). */
const LARGE_PASTE_LINES = 10;
const LARGE_PASTE_CHARS = 1000;
const PASTE_MARKER = /\[paste #(\d+) (?:\+\d+ lines|\d+ chars)\]/g;

interface EditorState {
	lines: string[];
	line: number;
	col: number;
}

interface UndoSnapshot {
	state: EditorState;
	pastes: Map<number, string>;
	pasteCounter: number;
}

/** One row of the wrapped layout: a slice [start, end) of logical line `line`. */
interface VisualLine {
	line: number;
	start: number;
	end: number;
}

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

	private state: EditorState = { lines: [""], line: 0, col: 0 };
	private history: string[] = [];
	/** -1 = editing a fresh entry; otherwise index into history from the newest. */
	private historyIndex = -1;
	/** What was being typed when history browsing started; Down past the newest entry brings it back. */
	private historyDraft: EditorState | undefined;
	private pastes = new Map<number, string>();
	private pasteCounter = 0;
	private undoStack: UndoSnapshot[] = [];
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
		return this.state.lines.join("\n");
	}

	getPaddingX(): number {
		return this.paddingX;
	}

	setPaddingX(paddingX: number): void {
		this.paddingX = Math.max(0, paddingX);
	}

	/** Text with paste markers replaced by the pasted content. */
	getExpandedText(): string {
		return this.expandPastes(this.getText());
	}

	setText(text: string): void {
		this.autocomplete.cancel();
		this.lastAction = undefined;
		this.exitHistory();
		const normalized = text.replace(/\r\n?/g, "\n").replace(/\t/g, "    ");
		if (this.getText() !== normalized) this.pushUndo();
		this.pastes.clear();
		this.pasteCounter = 0;
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
		const lines = text.replace(/\r\n?/g, "\n").split("\n");
		const last = lines.length - 1;
		this.state =
			cursor === "start" ? { lines, line: 0, col: 0 } : { lines, line: last, col: (lines[last] ?? "").length };
		this.preferredColumn = undefined;
		this.scrollTop = 0;
	}

	private exitHistory(): void {
		this.historyIndex = -1;
		this.historyDraft = undefined;
	}

	private expandPastes(text: string): string {
		return text.replace(PASTE_MARKER, (marker, id: string) => this.pastes.get(Number(id)) ?? marker);
	}

	private get currentLine(): string {
		return this.state.lines[this.state.line] ?? "";
	}

	private setCurrentLine(text: string): void {
		this.state.lines[this.state.line] = text;
	}

	private pushUndo(): void {
		this.undoStack.push({
			state: { lines: [...this.state.lines], line: this.state.line, col: this.state.col },
			pastes: new Map(this.pastes),
			pasteCounter: this.pasteCounter,
		});
		if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
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
				this.jumpTo(target, direction);
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
		const action = this.actionFor(data);
		if (action) {
			if (action !== "up" && action !== "down") this.preferredColumn = undefined;
			this.run(action);
			return;
		}
		const text = printableText(data);
		if (text !== undefined) this.typeText(text);
	}

	private actionFor(data: string): EditorAction | undefined {
		for (const [action, specs] of KEYMAP) {
			for (const spec of specs) if (matchesKey(data, spec)) return action;
		}
		return undefined;
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
				this.deleteChar(() => this.deleteBackward());
				this.autocomplete.afterDelete();
				return;
			case "delete":
				this.deleteChar(() => this.deleteForward());
				this.autocomplete.afterDelete();
				return;
			case "left":
				this.lastAction = undefined;
				this.moveLeft();
				this.autocomplete.afterMove();
				return;
			case "right":
				this.lastAction = undefined;
				this.moveRight();
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
				this.wordLeft();
				return;
			case "wordRight":
				this.lastAction = undefined;
				this.wordRight();
				return;
			case "deleteWordBackward":
				this.kill(() => this.deleteWordBackward(), true);
				return;
			case "deleteWordForward":
				this.kill(() => this.deleteWordForward(), false);
				return;
			case "deleteToLineStart":
				this.kill(() => this.deleteToLineStart(), true);
				return;
			case "deleteToLineEnd":
				this.kill(() => this.deleteToLineEnd(), false);
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
		this.insertRaw(text);
		this.autocomplete.afterInsert(text.slice(-1));
	}

	private newline(): void {
		this.autocomplete.cancel();
		this.exitHistory();
		this.lastAction = undefined;
		this.pushUndo();
		this.insertRaw("\n");
	}

	/** Backspace and delete: no undo step when nothing was there to delete. */
	private deleteChar(remove: () => boolean): void {
		this.exitHistory();
		this.lastAction = undefined;
		const snapshot = this.snapshot();
		if (remove()) this.pushSnapshot(snapshot);
	}

	private snapshot(): UndoSnapshot {
		return {
			state: { lines: [...this.state.lines], line: this.state.line, col: this.state.col },
			pastes: new Map(this.pastes),
			pasteCounter: this.pasteCounter,
		};
	}

	private pushSnapshot(snapshot: UndoSnapshot): void {
		this.undoStack.push(snapshot);
		if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
	}

	private insertRaw(text: string): void {
		const parts = text.split("\n");
		const line = this.currentLine;
		const before = line.slice(0, this.state.col);
		const after = line.slice(this.state.col);
		if (parts.length === 1) {
			this.setCurrentLine(before + text + after);
			this.state.col += text.length;
			return;
		}
		const first = parts[0] ?? "";
		const last = parts[parts.length - 1] ?? "";
		const middle = parts.slice(1, -1);
		this.state.lines.splice(this.state.line, 1, before + first, ...middle, last + after);
		this.state.line += parts.length - 1;
		this.state.col = last.length;
	}

	private submitOrNewline(): void {
		if (this.disableSubmit) return;
		if (this.state.col > 0 && this.currentLine[this.state.col - 1] === "\\") {
			// Fallback for terminals without shift+enter: "\" then Enter inserts a newline.
			this.deleteChar(() => this.deleteBackward());
			this.newline();
			return;
		}
		this.autocomplete.cancel();
		const text = this.expandPastes(this.getText()).trim();
		this.state = { lines: [""], line: 0, col: 0 };
		this.pastes.clear();
		this.pasteCounter = 0;
		this.exitHistory();
		this.undoStack = [];
		this.lastAction = undefined;
		this.scrollTop = 0;
		this.onChange?.("");
		this.onSubmit?.(text);
	}

	private paste(raw: string): void {
		let clean = raw
			// tmux with csi-u key encoding re-encodes control bytes inside pastes as CSI u ctrl+letter.
			// biome-ignore lint/suspicious/noControlCharactersInRegex: decoding escape sequences
			.replace(/\x1b\[(\d+);5u/g, (sequence, code: string) => {
				const codepoint = Number(code);
				if (codepoint >= 97 && codepoint <= 122) return String.fromCharCode(codepoint - 96);
				if (codepoint >= 65 && codepoint <= 90) return String.fromCharCode(codepoint - 64);
				return sequence;
			})
			.replace(/\r\n?/g, "\n")
			.replace(/\t/g, "    ")
			// biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters from pasted text
			.replace(/[\x00-\x09\x0b-\x1f\x7f]/g, "");
		// A dropped file path right after a word gets a separating space.
		const before = this.currentLine[this.state.col - 1];
		if (/^[/~.]/.test(clean) && before !== undefined && /\w/.test(before)) clean = ` ${clean}`;
		const lineCount = clean.split("\n").length;
		let insert = clean;
		if (lineCount > LARGE_PASTE_LINES || clean.length > LARGE_PASTE_CHARS) {
			const id = ++this.pasteCounter;
			this.pastes.set(id, clean);
			insert =
				lineCount > LARGE_PASTE_LINES ? `[paste #${id} +${lineCount} lines]` : `[paste #${id} ${clean.length} chars]`;
		}
		this.exitHistory();
		this.lastAction = undefined;
		this.pushUndo();
		this.insertRaw(insert);
	}

	/** A paste marker ending at (or starting at) the cursor, treated as one character. */
	private markerAround(direction: "before" | "after"): { start: number; end: number; id: number } | undefined {
		const line = this.currentLine;
		for (const match of line.matchAll(PASTE_MARKER)) {
			const start = match.index;
			const end = start + match[0].length;
			const id = Number(match[1]);
			if (!this.pastes.has(id)) continue;
			if (direction === "before" && end === this.state.col) return { start, end, id };
			if (direction === "after" && start === this.state.col) return { start, end, id };
		}
		return undefined;
	}

	private previousBoundary(): number {
		const marker = this.markerAround("before");
		if (marker) return marker.start;
		return previousGraphemeStart(this.currentLine, this.state.col);
	}

	private nextBoundary(): number {
		const marker = this.markerAround("after");
		if (marker) return marker.end;
		return nextGraphemeEnd(this.currentLine, this.state.col);
	}

	/** Deletes the grapheme (or paste marker) before the cursor; false when there was nothing. */
	private deleteBackward(): boolean {
		if (this.state.col > 0) {
			const marker = this.markerAround("before");
			const start = marker ? marker.start : this.previousBoundary();
			const line = this.currentLine;
			this.setCurrentLine(line.slice(0, start) + line.slice(this.state.col));
			this.state.col = start;
			if (marker) this.forgetPaste(marker.id);
			return true;
		}
		if (this.state.line > 0) {
			const previous = this.state.lines[this.state.line - 1] ?? "";
			this.state.lines.splice(this.state.line - 1, 2, previous + this.currentLine);
			this.state.line -= 1;
			this.state.col = previous.length;
			return true;
		}
		return false;
	}

	/** A paste whose marker was erased is dropped; the later pastes and their markers move down one number. */
	private forgetPaste(id: number): void {
		this.pastes.delete(id);
		this.pasteCounter--;
		const higher = [...this.pastes.keys()].filter((key) => key > id).sort((a, b) => a - b);
		for (const key of higher) {
			this.pastes.set(key - 1, this.pastes.get(key) ?? "");
			this.pastes.delete(key);
		}
		this.state.lines = this.state.lines.map((line) =>
			line.replace(/\[paste #(\d+)( (?:\+\d+ lines|\d+ chars))?\]/g, (marker, number: string, rest = "") => {
				const n = Number(number);
				return n <= id ? marker : `[paste #${n - 1}${rest}]`;
			}),
		);
	}

	private deleteForward(): boolean {
		const line = this.currentLine;
		if (this.state.col < line.length) {
			this.setCurrentLine(line.slice(0, this.state.col) + line.slice(this.nextBoundary()));
			return true;
		}
		if (this.state.line < this.state.lines.length - 1) {
			this.state.lines.splice(this.state.line, 2, line + (this.state.lines[this.state.line + 1] ?? ""));
			return true;
		}
		return false;
	}

	private moveLeft(): void {
		if (this.state.col > 0) this.state.col = this.previousBoundary();
		else if (this.state.line > 0) {
			this.state.line -= 1;
			this.state.col = this.currentLine.length;
		}
	}

	private moveRight(): void {
		if (this.state.col < this.currentLine.length) this.state.col = this.nextBoundary();
		else if (this.state.line < this.state.lines.length - 1) {
			this.state.line += 1;
			this.state.col = 0;
		}
	}

	private wordLeft(): void {
		if (this.state.col === 0) {
			this.moveLeft();
			return;
		}
		this.state.col = this.wordStartBefore(this.state.col);
	}

	private wordRight(): void {
		if (this.state.col >= this.currentLine.length) {
			this.moveRight();
			return;
		}
		this.state.col = this.wordEndAfter(this.state.col);
	}

	/** A paste marker is one word: the start of the word before `col`, markers included. */
	private wordStartBefore(col: number): number {
		const line = this.currentLine;
		let at = col;
		while (at > 0 && /\s/.test(line[at - 1] ?? "")) at--;
		for (const match of line.matchAll(PASTE_MARKER)) {
			if (match.index + match[0].length === at && this.pastes.has(Number(match[1]))) return match.index;
		}
		return previousWordStart(line, col);
	}

	private wordEndAfter(col: number): number {
		const line = this.currentLine;
		let at = col;
		while (at < line.length && /\s/.test(line[at] ?? "")) at++;
		for (const match of line.matchAll(PASTE_MARKER)) {
			if (match.index === at && this.pastes.has(Number(match[1]))) return at + match[0].length;
		}
		return nextWordEnd(line, col);
	}

	/**
	 * Runs a deletion and records the removed text in the kill ring; consecutive kills grow one entry (backward
	 * kills at its front). Nothing deleted: no undo step, and the chain is not broken.
	 */
	private kill(remove: () => string, backward: boolean): void {
		this.exitHistory();
		const snapshot = this.snapshot();
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

	private deleteWordBackward(): string {
		if (this.state.col === 0) {
			if (this.state.line === 0) return "";
			this.deleteBackward();
			return "\n";
		}
		const start = this.wordStartBefore(this.state.col);
		const line = this.currentLine;
		this.setCurrentLine(line.slice(0, start) + line.slice(this.state.col));
		const removed = line.slice(start, this.state.col);
		this.state.col = start;
		return removed;
	}

	private deleteWordForward(): string {
		const line = this.currentLine;
		if (this.state.col >= line.length) {
			if (this.state.line >= this.state.lines.length - 1) return "";
			this.deleteForward();
			return "\n";
		}
		const end = this.wordEndAfter(this.state.col);
		this.setCurrentLine(line.slice(0, this.state.col) + line.slice(end));
		return line.slice(this.state.col, end);
	}

	private deleteToLineStart(): string {
		if (this.state.col === 0) {
			if (this.state.line === 0) return "";
			this.deleteBackward();
			return "\n";
		}
		const line = this.currentLine;
		this.setCurrentLine(line.slice(this.state.col));
		const removed = line.slice(0, this.state.col);
		this.state.col = 0;
		return removed;
	}

	private deleteToLineEnd(): string {
		const line = this.currentLine;
		if (this.state.col >= line.length) {
			if (this.state.line >= this.state.lines.length - 1) return "";
			this.deleteForward();
			return "\n";
		}
		this.setCurrentLine(line.slice(0, this.state.col));
		return line.slice(this.state.col);
	}

	private yank(): void {
		const text = this.killRing.at(-1);
		if (text === undefined) return;
		this.pushUndo();
		this.exitHistory();
		this.insertRaw(text);
		this.lastAction = "yank";
	}

	/** Right after a yank: the yanked text is replaced by the next older kill (multi-line ones too). */
	private yankPop(): void {
		if (this.lastAction !== "yank" || this.killRing.length <= 1) return;
		this.pushUndo();
		this.removeYanked(this.killRing.at(-1) ?? "");
		const newest = this.killRing.pop();
		if (newest !== undefined) this.killRing.unshift(newest);
		this.exitHistory();
		this.insertRaw(this.killRing.at(-1) ?? "");
		this.lastAction = "yank";
	}

	/** Removes `text`, which ends at the cursor (what the last yank inserted). */
	private removeYanked(text: string): void {
		const parts = text.split("\n");
		if (parts.length === 1) {
			const line = this.currentLine;
			this.setCurrentLine(line.slice(0, this.state.col - text.length) + line.slice(this.state.col));
			this.state.col -= text.length;
			return;
		}
		const startLine = this.state.line - (parts.length - 1);
		const startCol = (this.state.lines[startLine] ?? "").length - (parts[0] ?? "").length;
		const after = this.currentLine.slice(this.state.col);
		const before = (this.state.lines[startLine] ?? "").slice(0, startCol);
		this.state.lines.splice(startLine, parts.length, before + after);
		this.state.line = startLine;
		this.state.col = startCol;
	}

	private undo(): void {
		this.exitHistory();
		const previous = this.undoStack.pop();
		if (!previous) return;
		this.state = previous.state;
		this.pastes = previous.pastes;
		this.pasteCounter = previous.pasteCounter;
		this.lastAction = undefined;
		this.preferredColumn = undefined;
	}

	private jumpTo(target: string, direction: "forward" | "backward"): void {
		this.lastAction = undefined;
		const text = this.getText();
		const offset = this.offsetOf(this.state.line, this.state.col);
		const found = direction === "forward" ? text.indexOf(target, offset + 1) : text.lastIndexOf(target, offset - 1);
		if (found === -1 || (direction === "backward" && offset === 0)) return;
		this.setOffset(found);
	}

	private offsetOf(line: number, col: number): number {
		let offset = 0;
		for (let i = 0; i < line; i++) offset += (this.state.lines[i] ?? "").length + 1;
		return offset + col;
	}

	private setOffset(offset: number): void {
		let remaining = offset;
		for (let i = 0; i < this.state.lines.length; i++) {
			const length = (this.state.lines[i] ?? "").length;
			if (remaining <= length) {
				this.state.line = i;
				this.state.col = remaining;
				return;
			}
			remaining -= length + 1;
		}
	}

	/** Up: on the first row of an empty editor, at its start, or while browsing, the previous prompt; else a row up. */
	private arrowUp(): void {
		const layout = this.computeLayout(this.layoutWidth);
		const firstRow = this.cursorRow(layout) === 0;
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
		const layout = this.computeLayout(this.layoutWidth);
		const lastRow = this.cursorRow(layout) === layout.length - 1;
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
		const layout = this.computeLayout(this.layoutWidth);
		const row = this.cursorRow(layout);
		const target = Math.max(0, Math.min(layout.length - 1, row + delta));
		if (target === row) return;
		const current = layout[row];
		const goal = layout[target];
		if (!current || !goal) return;
		const column = this.preferredColumn ?? visibleWidth(this.currentLine.slice(current.start, this.state.col));
		this.preferredColumn = column;
		const goalLine = this.state.lines[goal.line] ?? "";
		let col = goal.start;
		let used = 0;
		for (const { index, segment } of graphemes.segment(goalLine.slice(goal.start, goal.end))) {
			const w = visibleWidth(segment);
			if (used + w > column) break;
			used += w;
			col = goal.start + index + segment.length;
		}
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

	/** Word-wraps every logical line into rows of at most `width` columns (grapheme and wide-char aware). */
	private computeLayout(width: number): VisualLine[] {
		const rows: VisualLine[] = [];
		this.state.lines.forEach((text, line) => {
			if (text.length === 0 || visibleWidth(text) <= width) {
				rows.push({ line, start: 0, end: text.length });
				return;
			}
			let start = 0;
			let used = 0;
			let lastBreak = -1;
			for (const { index, segment } of graphemes.segment(text)) {
				const w = visibleWidth(segment);
				if (used + w > width && index > start) {
					const end = lastBreak > start ? lastBreak : index;
					rows.push({ line, start, end });
					used = visibleWidth(text.slice(end, index));
					start = end;
					lastBreak = -1;
				}
				used += w;
				if (segment === " ") lastBreak = index + 1;
			}
			rows.push({ line, start, end: text.length });
		});
		return rows;
	}

	private cursorRow(layout: VisualLine[]): number {
		let found = 0;
		for (let i = 0; i < layout.length; i++) {
			const row = layout[i];
			if (!row || row.line !== this.state.line) continue;
			if (this.state.col >= row.start) found = i;
		}
		return found;
	}

	render(width: number): string[] {
		// pi: the padding never takes more than half the width; without padding one column stays free for the cursor
		// after the last character of a full row, with padding the cursor may sit in it.
		const paddingX = Math.min(this.paddingX, Math.max(0, Math.floor((width - 1) / 2)));
		const pad = " ".repeat(paddingX);
		const contentWidth = Math.max(1, width - paddingX * 2);
		this.layoutWidth = Math.max(1, contentWidth - (paddingX ? 0 : 1));
		const layout = this.computeLayout(this.layoutWidth);
		const cursorRow = this.cursorRow(layout);
		const visible = this.maxVisibleLines();
		if (cursorRow < this.scrollTop) this.scrollTop = cursorRow;
		if (cursorRow >= this.scrollTop + visible) this.scrollTop = cursorRow - visible + 1;
		this.scrollTop = Math.max(0, Math.min(this.scrollTop, Math.max(0, layout.length - visible)));
		const color = this.borderColor ?? ((text: string) => text);
		const hiddenAbove = this.scrollTop;
		const hiddenBelow = Math.max(0, layout.length - this.scrollTop - visible);
		const lines = [color(this.borderLine(width, hiddenAbove, "↑"))];
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
				const first = graphemes.segment(rest)[Symbol.iterator]().next();
				const atEnd = first.done;
				const cursorChar = atEnd ? " " : first.value.segment;
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
		lines.push(color(this.borderLine(width, hiddenBelow, "↓")));
		lines.push(...this.autocomplete.render(contentWidth, pad, pad));
		return lines;
	}

	private borderLine(width: number, hidden: number, arrow: string): string {
		if (hidden === 0) return "─".repeat(width);
		const label = `─── ${arrow} ${hidden} more `;
		if (visibleWidth(label) >= width) return "─".repeat(width);
		return label + "─".repeat(width - visibleWidth(label));
	}
}

type EditorAction =
	| "submit"
	| "newline"
	| "backspace"
	| "delete"
	| "left"
	| "right"
	| "up"
	| "down"
	| "pageUp"
	| "pageDown"
	| "lineStart"
	| "lineEnd"
	| "wordLeft"
	| "wordRight"
	| "deleteWordBackward"
	| "deleteWordForward"
	| "deleteToLineStart"
	| "deleteToLineEnd"
	| "yank"
	| "yankPop"
	| "undo"
	| "jumpForward"
	| "jumpBackward";

/** Default bindings (pi's editor keybindings). */
const KEYMAP: Array<[EditorAction, string[]]> = [
	// New line before submit: LF matches both (it is enter and ctrl+j), and pi's editor makes it a new line.
	["newline", ["shift+enter", "alt+enter", "ctrl+j"]],
	["submit", ["enter"]],
	["backspace", ["backspace", "shift+backspace"]],
	["delete", ["delete", "ctrl+d"]],
	["wordLeft", ["alt+left", "ctrl+left", "alt+b"]],
	["wordRight", ["alt+right", "ctrl+right", "alt+f"]],
	["left", ["left", "ctrl+b"]],
	["right", ["right", "ctrl+f"]],
	["up", ["up"]],
	["down", ["down"]],
	["pageUp", ["pageUp"]],
	["pageDown", ["pageDown"]],
	["lineStart", ["home", "ctrl+a"]],
	["lineEnd", ["end", "ctrl+e"]],
	["deleteWordBackward", ["ctrl+w", "alt+backspace"]],
	["deleteWordForward", ["alt+d", "alt+delete"]],
	["deleteToLineStart", ["ctrl+u"]],
	["deleteToLineEnd", ["ctrl+k"]],
	["yank", ["ctrl+y"]],
	["yankPop", ["alt+y"]],
	["undo", ["ctrl+-", "ctrl+_"]],
	["jumpForward", ["ctrl+]"]],
	["jumpBackward", ["ctrl+alt+]"]],
];
