/**
 * The editor's text model: its lines, the cursor, and the contents of large pastes shown as `[paste #N …]` markers.
 * Edits and cursor motions live here (a marker counts as one character and one word); the Editor around it decides
 * what a key does, and keeps undo, history, the kill ring and the layout.
 */
import { nextGraphemeEnd, nextWordEnd, previousGraphemeStart, previousWordStart } from "./word-motion.ts";

/** Pastes bigger than this are collapsed into a marker (pi's thresholds). */
const LARGE_PASTE_LINES = 10;
const LARGE_PASTE_CHARS = 1000;
const PASTE_MARKER = /\[paste #(\d+) (?:\+\d+ lines|\d+ chars)\]/g;

export interface EditorState {
	lines: string[];
	line: number;
	col: number;
}

/** Everything undo restores: the text, the cursor and the pastes its markers stand for. */
export interface BufferSnapshot {
	state: EditorState;
	pastes: Map<number, string>;
	pasteCounter: number;
}

const copyState = (state: EditorState): EditorState => ({ lines: [...state.lines], line: state.line, col: state.col });

/** Pasted text as it goes into the editor: control bytes dropped, CRLF and tabs normalised. */
export function cleanPaste(raw: string): string {
	return (
		raw
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
			.replace(/[\x00-\x09\x0b-\x1f\x7f]/g, "")
	);
}

export class EditorBuffer {
	state: EditorState = { lines: [""], line: 0, col: 0 };
	private pastes = new Map<number, string>();
	private pasteCounter = 0;

	getText(): string {
		return this.state.lines.join("\n");
	}

	get currentLine(): string {
		return this.state.lines[this.state.line] ?? "";
	}

	private setCurrentLine(text: string): void {
		this.state.lines[this.state.line] = text;
	}

	/** The whole text replaced; the cursor at its end (or start). */
	replaceText(text: string, cursor: "start" | "end" = "end"): void {
		const lines = text.replace(/\r\n?/g, "\n").split("\n");
		const last = lines.length - 1;
		this.state =
			cursor === "start" ? { lines, line: 0, col: 0 } : { lines, line: last, col: (lines[last] ?? "").length };
	}

	snapshot(): BufferSnapshot {
		return { state: copyState(this.state), pastes: new Map(this.pastes), pasteCounter: this.pasteCounter };
	}

	restore(snapshot: BufferSnapshot): void {
		this.state = snapshot.state;
		this.pastes = snapshot.pastes;
		this.pasteCounter = snapshot.pasteCounter;
	}

	copyState(): EditorState {
		return copyState(this.state);
	}

	clearPastes(): void {
		this.pastes.clear();
		this.pasteCounter = 0;
	}

	/** Text with paste markers replaced by the pasted content. */
	expandPastes(text: string): string {
		return text.replace(PASTE_MARKER, (marker, id: string) => this.pastes.get(Number(id)) ?? marker);
	}

	/** What a paste of `clean` text inserts: the text itself, or the marker of a newly stored large paste. */
	pasteInsertion(clean: string): string {
		const lineCount = clean.split("\n").length;
		if (lineCount <= LARGE_PASTE_LINES && clean.length <= LARGE_PASTE_CHARS) return clean;
		const id = ++this.pasteCounter;
		this.pastes.set(id, clean);
		return lineCount > LARGE_PASTE_LINES
			? `[paste #${id} +${lineCount} lines]`
			: `[paste #${id} ${clean.length} chars]`;
	}

	/** Inserts text (new lines included) at the cursor, which ends after it. */
	insert(text: string): void {
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
	deleteBackward(): boolean {
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

	/** Deletes the grapheme (or paste marker) after the cursor; false when there was nothing. */
	deleteForward(): boolean {
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

	moveLeft(): void {
		if (this.state.col > 0) this.state.col = this.previousBoundary();
		else if (this.state.line > 0) {
			this.state.line -= 1;
			this.state.col = this.currentLine.length;
		}
	}

	moveRight(): void {
		if (this.state.col < this.currentLine.length) this.state.col = this.nextBoundary();
		else if (this.state.line < this.state.lines.length - 1) {
			this.state.line += 1;
			this.state.col = 0;
		}
	}

	wordLeft(): void {
		if (this.state.col === 0) {
			this.moveLeft();
			return;
		}
		this.state.col = this.wordStartBefore(this.state.col);
	}

	wordRight(): void {
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

	// The kills below return what they removed ("\n" for a joined line break, "" for nothing) for the kill ring.

	deleteWordBackward(): string {
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

	deleteWordForward(): string {
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

	deleteToLineStart(): string {
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

	deleteToLineEnd(): string {
		const line = this.currentLine;
		if (this.state.col >= line.length) {
			if (this.state.line >= this.state.lines.length - 1) return "";
			this.deleteForward();
			return "\n";
		}
		this.setCurrentLine(line.slice(0, this.state.col));
		return line.slice(this.state.col);
	}

	/** Removes `text`, which ends at the cursor (what the last yank inserted). */
	removeBeforeCursor(text: string): void {
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

	/** Moves the cursor to the next (or previous) occurrence of `target`; stays put when there is none. */
	jumpTo(target: string, direction: "forward" | "backward"): void {
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
}
