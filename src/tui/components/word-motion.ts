/** Word boundaries shared by the editor and the single-line input: whitespace, punctuation runs, word runs. */

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
