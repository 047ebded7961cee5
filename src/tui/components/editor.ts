import { type Component, CURSOR_MARKER, type Focusable } from "../component.ts";
import { matchesKey, pasteContent, printableText } from "../keys.ts";
import { truncateToWidth, visibleWidth } from "../text-utils.ts";
import { inverse } from "../theme.ts";
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
	private browsedHistory = false;
	private pastes = new Map<number, string>();
	private pasteCounter = 0;
	private undoStack: EditorState[] = [];
	private lastAction: "type" | "kill" | "yank" | "other" = "other";
	private killRing: string[] = [];
	private lastYank: { line: number; start: number; end: number; ringIndex: number } | undefined;
	private pendingJump: "forward" | "backward" | undefined;
	private layoutWidth = 80;
	private scrollTop = 0;
	/** Visual column to keep when moving up/down through lines of different length. */
	private preferredColumn: number | undefined;
	private readonly terminalRows: () => number;
	private readonly paddingX: number;

	constructor(options: EditorOptions = {}) {
		this.terminalRows = options.terminalRows ?? (() => process.stdout.rows || 24);
		this.paddingX = options.paddingX ?? 0;
	}

	getText(): string {
		return this.state.lines.join("\n");
	}

	/** Text with paste markers replaced by the pasted content. */
	getExpandedText(): string {
		return this.expandPastes(this.getText());
	}

	setText(text: string): void {
		this.pushUndo();
		this.replaceText(text);
		this.lastAction = "other";
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

	private replaceText(text: string): void {
		const lines = text.replace(/\r\n?/g, "\n").split("\n");
		const last = lines.length - 1;
		this.state = { lines, line: last, col: (lines[last] ?? "").length };
		this.preferredColumn = undefined;
		this.scrollTop = 0;
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
		this.undoStack.push({ lines: [...this.state.lines], line: this.state.line, col: this.state.col });
		if (this.undoStack.length > MAX_UNDO) this.undoStack.shift();
	}

	handleInput(data: string): void {
		const before = this.getText();
		this.browsedHistory = false;
		this.handleKey(data);
		const after = this.getText();
		if (after === before) return;
		// Editing a recalled entry starts a fresh one: Down must not throw the edits away.
		if (!this.browsedHistory) this.historyIndex = -1;
		this.onChange?.(after);
	}

	private handleKey(data: string): void {
		if (this.pendingJump) {
			const direction = this.pendingJump;
			this.pendingJump = undefined;
			const target = printableText(data);
			if (target !== undefined) {
				this.jumpTo(target, direction);
				return;
			}
		}
		const paste = pasteContent(data);
		if (paste !== undefined) {
			this.paste(paste);
			return;
		}
		const action = this.actionFor(data);
		if (action) {
			if (action !== "yank" && action !== "yankPop") this.lastYank = undefined;
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
				this.edit(() => this.insertRaw("\n"));
				return;
			case "backspace":
				this.edit(() => this.deleteBackward());
				return;
			case "delete":
				this.edit(() => this.deleteForward());
				return;
			case "left":
				this.moveLeft();
				return;
			case "right":
				this.moveRight();
				return;
			case "up":
				this.moveVertical(-1);
				return;
			case "down":
				this.moveVertical(1);
				return;
			case "pageUp":
				this.moveVertical(-this.maxVisibleLines());
				return;
			case "pageDown":
				this.moveVertical(this.maxVisibleLines());
				return;
			case "lineStart":
				this.state.col = 0;
				return;
			case "lineEnd":
				this.state.col = this.currentLine.length;
				return;
			case "wordLeft":
				this.wordLeft();
				return;
			case "wordRight":
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

	/** Wraps an edit with an undo snapshot (consecutive typing shares one snapshot). */
	private edit(change: () => void, kind: "type" | "other" = "other"): void {
		if (kind !== "type" || this.lastAction !== "type") this.pushUndo();
		change();
		this.lastAction = kind;
	}

	private typeText(text: string): void {
		// A space ends the typed word, so undo removes one word at a time.
		const startsNewWord = text === " " || this.lastAction !== "type";
		if (startsNewWord) this.lastAction = "other";
		this.edit(() => this.insertRaw(text), "type");
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
		if (this.state.col > 0 && this.currentLine[this.state.col - 1] === "\\") {
			// Fallback for terminals without shift+enter: "\" then Enter inserts a newline.
			this.edit(() => {
				const line = this.currentLine;
				this.setCurrentLine(line.slice(0, this.state.col - 1) + line.slice(this.state.col));
				this.state.col -= 1;
				this.insertRaw("\n");
			});
			return;
		}
		if (this.disableSubmit) return;
		const text = this.expandPastes(this.getText()).trim();
		this.state = { lines: [""], line: 0, col: 0 };
		this.pastes.clear();
		this.pasteCounter = 0;
		this.historyIndex = -1;
		this.undoStack = [];
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
		this.edit(() => this.insertRaw(insert));
	}

	/** A paste marker ending at (or starting at) the cursor, treated as one character. */
	private markerAround(direction: "before" | "after"): { start: number; end: number } | undefined {
		const line = this.currentLine;
		for (const match of line.matchAll(PASTE_MARKER)) {
			const start = match.index;
			const end = start + match[0].length;
			if (!this.pastes.has(Number(match[1]))) continue;
			if (direction === "before" && end === this.state.col) return { start, end };
			if (direction === "after" && start === this.state.col) return { start, end };
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

	private deleteBackward(): void {
		if (this.state.col > 0) {
			const start = this.previousBoundary();
			const line = this.currentLine;
			this.setCurrentLine(line.slice(0, start) + line.slice(this.state.col));
			this.state.col = start;
		} else if (this.state.line > 0) {
			const previous = this.state.lines[this.state.line - 1] ?? "";
			this.state.lines.splice(this.state.line - 1, 2, previous + this.currentLine);
			this.state.line -= 1;
			this.state.col = previous.length;
		}
	}

	private deleteForward(): void {
		const line = this.currentLine;
		if (this.state.col < line.length) {
			this.setCurrentLine(line.slice(0, this.state.col) + line.slice(this.nextBoundary()));
		} else if (this.state.line < this.state.lines.length - 1) {
			this.state.lines.splice(this.state.line, 2, line + (this.state.lines[this.state.line + 1] ?? ""));
		}
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
		this.state.col = previousWordStart(this.currentLine, this.state.col);
	}

	private wordRight(): void {
		if (this.state.col >= this.currentLine.length) {
			this.moveRight();
			return;
		}
		this.state.col = nextWordEnd(this.currentLine, this.state.col);
	}

	/** Runs a deletion and records the removed text in the kill ring (consecutive kills accumulate). */
	private kill(remove: () => string, backward: boolean): void {
		this.pushUndo();
		const removed = remove();
		if (removed) {
			if (this.lastAction === "kill" && this.killRing.length > 0) {
				const top = this.killRing[0] ?? "";
				this.killRing[0] = backward ? removed + top : top + removed;
			} else {
				this.killRing.unshift(removed);
				if (this.killRing.length > 30) this.killRing.length = 30;
			}
		}
		this.lastAction = "kill";
	}

	private deleteWordBackward(): string {
		if (this.state.col === 0) {
			if (this.state.line === 0) return "";
			this.deleteBackward();
			return "\n";
		}
		const start = previousWordStart(this.currentLine, this.state.col);
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
		const end = nextWordEnd(line, this.state.col);
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
		const text = this.killRing[0];
		if (text === undefined) return;
		this.edit(() => this.insertRaw(text));
		if (!text.includes("\n")) {
			this.lastYank = { line: this.state.line, start: this.state.col - text.length, end: this.state.col, ringIndex: 0 };
		}
		this.lastAction = "yank";
	}

	/** After a yank, replaces the yanked text with the next older kill. */
	private yankPop(): void {
		const yank = this.lastYank;
		if (!yank || this.lastAction !== "yank" || this.killRing.length < 2) return;
		const ringIndex = (yank.ringIndex + 1) % this.killRing.length;
		const text = this.killRing[ringIndex] ?? "";
		if (text.includes("\n")) return;
		const line = this.state.lines[yank.line] ?? "";
		this.pushUndo();
		this.state.lines[yank.line] = line.slice(0, yank.start) + text + line.slice(yank.end);
		this.state.line = yank.line;
		this.state.col = yank.start + text.length;
		this.lastYank = { ...yank, end: this.state.col, ringIndex };
	}

	private undo(): void {
		const previous = this.undoStack.pop();
		if (!previous) return;
		this.state = previous;
		this.lastAction = "other";
	}

	private jumpTo(target: string, direction: "forward" | "backward"): void {
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

	/** Up/down through wrapped rows; at the top/bottom edge they browse the prompt history instead. */
	private moveVertical(delta: number): void {
		const layout = this.computeLayout(this.layoutWidth);
		const row = this.cursorRow(layout);
		const target = row + delta;
		if (target < 0) {
			if (delta === -1 && (this.getText() === "" || this.historyIndex >= 0)) this.browseHistory(1);
			else this.state.col = 0;
			return;
		}
		if (target >= layout.length) {
			if (delta === 1 && this.historyIndex >= 0) this.browseHistory(-1);
			else this.state.col = this.currentLine.length;
			return;
		}
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

	private browseHistory(direction: 1 | -1): void {
		const next = this.historyIndex + direction;
		if (next >= this.history.length) return;
		this.historyIndex = next;
		this.browsedHistory = true;
		this.replaceText(next < 0 ? "" : (this.history[next] ?? ""));
		if (direction === 1) {
			// Going back in time puts the cursor on the first line so the next Up continues immediately.
			this.state.line = 0;
			this.state.col = Math.min(this.state.col, (this.state.lines[0] ?? "").length);
			if (this.state.lines.length > 1) this.state.col = 0;
		}
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
		const pad = " ".repeat(this.paddingX);
		const contentWidth = Math.max(2, width - this.paddingX * 2);
		// One column stays free so the cursor can sit after the last character of a full row.
		this.layoutWidth = contentWidth - 1;
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
			if (i === cursorRow) {
				const at = this.state.col - row.start;
				const before = text.slice(0, at);
				const rest = text.slice(at);
				const first = graphemes.segment(rest)[Symbol.iterator]().next();
				const cursorChar = first.done ? " " : first.value.segment;
				const after = first.done ? "" : rest.slice(cursorChar.length);
				rendered = this.focused ? `${before}${CURSOR_MARKER}${inverse(cursorChar)}${after}` : text;
			}
			lines.push(truncateToWidth(pad + rendered, width, ""));
		}
		lines.push(color(this.borderLine(width, hiddenBelow, "↓")));
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
	["submit", ["enter"]],
	["newline", ["shift+enter", "alt+enter", "ctrl+j"]],
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
