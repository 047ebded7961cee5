/**
 * Cursor motion shared by the editor and the single-line input: grapheme steps, and word boundaries (whitespace,
 * punctuation runs, word runs).
 */

import { graphemes } from "../graphemes.ts";

const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;

type CharClass = "space" | "punct" | "word";

function classOf(ch: string): CharClass {
	if (WHITESPACE.test(ch)) return "space";
	if (PUNCTUATION.test(ch)) return "punct";
	return "word";
}

/** Start of the word before `index` (skips whitespace, then one run of punctuation or word characters). */
export function previousWordStart(text: string, index: number): number {
	const chars = Array.from(text.slice(0, index));
	let i = chars.length;
	while (i > 0 && classOf(chars[i - 1] ?? "") === "space") i--;
	if (i > 0) {
		const cls = classOf(chars[i - 1] ?? "");
		while (i > 0 && classOf(chars[i - 1] ?? "") === cls) i--;
	}
	return chars.slice(0, i).join("").length;
}

/** End of the word after `index` (skips whitespace, then one run of punctuation or word characters). */
export function nextWordEnd(text: string, index: number): number {
	const chars = Array.from(text.slice(index));
	let i = 0;
	while (i < chars.length && classOf(chars[i] ?? "") === "space") i++;
	if (i < chars.length) {
		const cls = classOf(chars[i] ?? "");
		while (i < chars.length && classOf(chars[i] ?? "") === cls) i++;
	}
	return index + chars.slice(0, i).join("").length;
}

/** Start of the grapheme before `index` (0 at the start). */
export function previousGraphemeStart(text: string, index: number): number {
	let last = 0;
	for (const { index: start } of graphemes(text)) {
		if (start >= index) break;
		last = start;
	}
	return last;
}

/** End of the grapheme at `index` (the text's length at the end). */
export function nextGraphemeEnd(text: string, index: number): number {
	for (const { index: start, segment } of graphemes(text)) {
		if (start >= index) return start + segment.length;
	}
	return text.length;
}
