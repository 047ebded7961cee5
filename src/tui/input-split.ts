/**
 * Terminal input cut into keys: escape sequences whole, bracketed pastes as one block, text by grapheme. A sequence
 * cut off at the end of a read is handed back so the caller can wait for the rest (input-buffer.ts).
 */

import { firstGrapheme, graphemes } from "./graphemes.ts";

export const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const CONTROL_CHAR = /[\x00-\x1f\x7f]/;

export interface SplitResult {
	keys: string[];
	/** Trailing bytes that may be the start of a longer sequence (wait for more input before using them). */
	incomplete: string;
}

/** Length of the escape sequence starting at `i`, or -1 if it is cut off by the end of data. */
function escapeSequenceLength(data: string, i: number): number {
	const next = data[i + 1];
	if (next === undefined) return -1;
	if (next === "[") {
		if (data.startsWith(PASTE_START, i)) {
			const end = data.indexOf(PASTE_END, i + PASTE_START.length);
			return end === -1 ? -1 : end + PASTE_END.length - i;
		}
		for (let j = i + 2; j < data.length; j++) {
			const c = data.charCodeAt(j);
			if (c >= 0x40 && c <= 0x7e) return j + 1 - i;
			if (c < 0x20 || c > 0x3f) return j - i; // malformed: stop before the odd byte
		}
		return -1;
	}
	if (next === "O") return i + 2 < data.length ? 3 : -1;
	if (next === "]" || next === "_" || next === "P") {
		for (let j = i + 2; j < data.length; j++) {
			if (data[j] === "\x07") return j + 1 - i;
			if (data[j] === "\x1b" && data[j + 1] === "\\") return j + 2 - i;
		}
		return -1;
	}
	if (next === "\x1b") {
		// ESC ESC is one key (ctrl+alt+[), unless a sequence starts with the second ESC (a key after Escape).
		const third = data[i + 2];
		return third === "[" || third === "]" || third === "O" || third === "P" || third === "_" ? 1 : 2;
	}
	// ESC + one grapheme = alt+key
	return 1 + (firstGrapheme(data.slice(i + 1, i + 9))?.length ?? 1);
}

/**
 * Splits raw input into key sequences, paste blocks and single characters. Incomplete trailing escape sequences are
 * returned separately so a caller can wait for the rest.
 */
export function splitInputWithRemainder(data: string): SplitResult {
	const keys: string[] = [];
	let i = 0;
	while (i < data.length) {
		if (data[i] === "\x1b") {
			const length = escapeSequenceLength(data, i);
			if (length === -1) return { keys, incomplete: data.slice(i) };
			keys.push(data.slice(i, i + length));
			i += length;
			continue;
		}
		let end = data.indexOf("\x1b", i);
		if (end === -1) end = data.length;
		for (const { segment } of graphemes(data.slice(i, end))) {
			// "\r\n" is one grapheme, but two keys.
			if (segment.length > 1 && CONTROL_CHAR.test(segment)) for (const ch of segment) keys.push(ch);
			else keys.push(segment);
		}
		i = end;
	}
	return { keys, incomplete: "" };
}

/** Splits a chunk of terminal input into individual key sequences and paste blocks. */
export function splitInput(data: string): string[] {
	const { keys, incomplete } = splitInputWithRemainder(data);
	if (incomplete) keys.push(incomplete);
	return keys;
}

/** Content of a bracketed paste block, or undefined if `data` is not one. */
export function pasteContent(data: string): string | undefined {
	if (!data.startsWith(PASTE_START)) return undefined;
	const body = data.slice(PASTE_START.length);
	return body.endsWith(PASTE_END) ? body.slice(0, -PASTE_END.length) : body;
}
