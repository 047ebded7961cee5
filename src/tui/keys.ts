/**
 * Key decoding for legacy xterm sequences, xterm modifyOtherKeys and the kitty keyboard protocol (CSI u).
 * Key names: a-z, 0-9, symbols, enter, tab, escape, space, backspace, delete, insert, clear, home, end, pageUp,
 * pageDown, up, down, left, right, f1-f12. Shifted letters are reported as the lowercase letter with shift.
 */

export interface ParsedKey {
	name: string;
	ctrl: boolean;
	alt: boolean;
	shift: boolean;
}

let kittyProtocolActive = false;

/** Set by the terminal once the kitty keyboard protocol is negotiated (changes how ESC CR is read). */
export function setKittyProtocolActive(active: boolean): void {
	kittyProtocolActive = active;
	lastParsed = undefined;
}

export const PASTE_START = "\x1b[200~";
const PASTE_END = "\x1b[201~";

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

function key(name: string, mods: Partial<Omit<ParsedKey, "name">> = {}): ParsedKey {
	return { name, ctrl: mods.ctrl ?? false, alt: mods.alt ?? false, shift: mods.shift ?? false };
}

/** CSI u / modifyOtherKeys codepoints with names (kitty's private-use functional keys included). */
const CODEPOINT_NAMES: Record<number, string> = {
	8: "backspace",
	9: "tab",
	13: "enter",
	27: "escape",
	32: "space",
	127: "backspace",
	57399: "0",
	57400: "1",
	57401: "2",
	57402: "3",
	57403: "4",
	57404: "5",
	57405: "6",
	57406: "7",
	57407: "8",
	57408: "9",
	57409: ".",
	57410: "/",
	57411: "*",
	57412: "-",
	57413: "+",
	57414: "enter",
	57415: "=",
	57417: "left",
	57418: "right",
	57419: "up",
	57420: "down",
	57421: "pageUp",
	57422: "pageDown",
	57423: "home",
	57424: "end",
	57425: "insert",
	57426: "delete",
};

/** Final byte of `CSI 1;m X` / `SS3 X` sequences. */
const LETTER_FINALS: Record<string, string> = {
	A: "up",
	B: "down",
	C: "right",
	D: "left",
	H: "home",
	F: "end",
	E: "clear",
	P: "f1",
	Q: "f2",
	R: "f3",
	S: "f4",
};

/** Number of `CSI n ~` sequences. */
const TILDE_NUMBERS: Record<number, string> = {
	1: "home",
	2: "insert",
	3: "delete",
	4: "end",
	5: "pageUp",
	6: "pageDown",
	7: "home",
	8: "end",
	11: "f1",
	12: "f2",
	13: "f3",
	14: "f4",
	15: "f5",
	17: "f6",
	18: "f7",
	19: "f8",
	20: "f9",
	21: "f10",
	23: "f11",
	24: "f12",
};

/** Modifier parameter is 1 + bitmask (shift 1, alt 2, ctrl 4, super 8, hyper 16, meta 32, lock bits ignored). */
function modifiersFrom(param: number): Omit<ParsedKey, "name"> {
	const bits = Math.max(0, param - 1);
	return { shift: (bits & 1) !== 0, alt: (bits & 2) !== 0 || (bits & 32) !== 0, ctrl: (bits & 4) !== 0 };
}

function keyFromCodepoint(codepoint: number, mods: Omit<ParsedKey, "name">): ParsedKey | undefined {
	const named = CODEPOINT_NAMES[codepoint];
	if (named) return key(named, mods);
	if (codepoint >= 65 && codepoint <= 90) return key(String.fromCharCode(codepoint + 32), { ...mods, shift: true });
	if (codepoint < 32 || codepoint > 0x10ffff || (codepoint >= 57344 && codepoint <= 63743)) return undefined;
	return key(String.fromCodePoint(codepoint).toLowerCase(), mods);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const KITTY_CSI_U = /^\x1b\[(\d+)(?::(\d*))?(?::(\d+))?(?:;(\d+)(?::(\d+))?)?(?:;[\d:]*)?u$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const MODIFY_OTHER_KEYS = /^\x1b\[27;(\d+);(\d+)~$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const CSI_TILDE = /^\x1b\[(\d+)(?:;(\d+)(?::(\d+))?)?~$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const CSI_LETTER = /^\x1b\[(?:1;(\d+)(?::(\d+))?)?([ABCDHFEPQRS])$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const SS3_LETTER = /^\x1bO([ABCDHFPQRSM])$/;

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const KEY_RELEASE = /^\x1b\[[\d:;]*:3[u~ABCDHFEPQRS]$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this looks for
const CONTROL_CHAR = /[\x00-\x1f\x7f]/;

/** Kitty reports key releases (event type 3) when flag 2 is on; the UI ignores them. */
export function isKeyRelease(data: string): boolean {
	return KEY_RELEASE.test(data);
}

function parseKittyCsiU(data: string): ParsedKey | undefined {
	const m = KITTY_CSI_U.exec(data);
	if (!m) return undefined;
	const codepoint = Number(m[1]);
	const baseLayout = m[3] ? Number(m[3]) : undefined;
	const mods = modifiersFrom(m[4] ? Number(m[4]) : 1);
	const parsed = keyFromCodepoint(codepoint, mods);
	// Non-latin layouts: the base-layout key makes ctrl+c work on e.g. a Cyrillic keyboard.
	const isAsciiKey = codepoint < 128 || CODEPOINT_NAMES[codepoint] !== undefined;
	if (!isAsciiKey && baseLayout !== undefined) return keyFromCodepoint(baseLayout, mods);
	return parsed;
}

function parseSingleChar(ch: string, alt: boolean): ParsedKey | undefined {
	const code = ch.codePointAt(0) ?? 0;
	if (ch.length === 1 || code > 0xffff) {
		if (ch === "\r") return key("enter", { alt });
		if (ch === "\n") return key("enter", { shift: !alt, alt });
		if (ch === "\t") return key("tab", { alt });
		if (ch === "\x7f" || ch === "\b") return key("backspace", { alt });
		if (ch === "\x1b") return key("escape", { alt });
		if (ch === " ") return key("space", { alt });
		if (code === 0) return key("space", { ctrl: true, alt });
		if (code >= 1 && code <= 26) return key(String.fromCharCode(code + 96), { ctrl: true, alt });
		if (code === 0x1c) return key("\\", { ctrl: true, alt });
		if (code === 0x1d) return key("]", { ctrl: true, alt });
		if (code === 0x1e) return key("^", { ctrl: true, alt });
		if (code === 0x1f) return key("-", { ctrl: true, alt });
		if (code >= 65 && code <= 90) return key(ch.toLowerCase(), { shift: true, alt });
	}
	if (code < 32) return undefined;
	return key(ch, { alt });
}

/** Decodes one key sequence (as produced by splitInput). Returns undefined for pastes and unknown sequences. */
export function parseKey(data: string): ParsedKey | undefined {
	if (data.length === 0 || data.startsWith(PASTE_START)) return undefined;
	// With the kitty protocol on, real alt+enter arrives as CSI 13;3u, so ESC CR is a terminal's shift+enter mapping.
	if (kittyProtocolActive && data === "\x1b\r") return key("enter", { shift: true });
	if (data.startsWith("\x1b[") || data.startsWith("\x1bO")) return parseEscapeSequence(data);
	if (data.startsWith("\x1b\x1b[") || data.startsWith("\x1b\x1bO")) {
		// Some terminals send alt+arrow as ESC followed by the plain sequence.
		const inner = parseEscapeSequence(data.slice(1));
		return inner ? { ...inner, alt: true } : undefined;
	}
	if (data === "\x1b") return key("escape");
	if (data.startsWith("\x1b")) {
		const rest = data.slice(1);
		return isSingleGrapheme(rest) ? parseSingleChar(rest, true) : undefined;
	}
	return isSingleGrapheme(data) ? parseSingleChar(data, false) : undefined;
}

function isSingleGrapheme(text: string): boolean {
	if (text.length === 1) return true;
	let count = 0;
	for (const _ of graphemeSegmenter.segment(text)) if (++count > 1) return false;
	return count === 1;
}

function parseEscapeSequence(data: string): ParsedKey | undefined {
	if (data === "\x1b[Z") return key("tab", { shift: true });
	const kitty = parseKittyCsiU(data);
	if (kitty) return kitty;
	let m = MODIFY_OTHER_KEYS.exec(data);
	if (m) return keyFromCodepoint(Number(m[2]), modifiersFrom(Number(m[1])));
	m = CSI_TILDE.exec(data);
	if (m) {
		const name = TILDE_NUMBERS[Number(m[1])];
		return name ? key(name, modifiersFrom(m[2] ? Number(m[2]) : 1)) : undefined;
	}
	m = CSI_LETTER.exec(data);
	if (m) {
		const name = LETTER_FINALS[m[3] ?? ""];
		return name ? key(name, modifiersFrom(m[1] ? Number(m[1]) : 1)) : undefined;
	}
	m = SS3_LETTER.exec(data);
	if (m) {
		if (m[1] === "M") return key("enter");
		const name = LETTER_FINALS[m[1] ?? ""];
		return name ? key(name) : undefined;
	}
	return undefined;
}

const KEY_ALIASES: Record<string, string> = {
	esc: "escape",
	return: "enter",
	pageup: "pageUp",
	pagedown: "pageDown",
	del: "delete",
	ins: "insert",
	minus: "-",
	plus: "+",
};

const specCache = new Map<string, ParsedKey>();

function parseSpec(spec: string): ParsedKey {
	const cached = specCache.get(spec);
	if (cached) return cached;
	let parts = spec.split("+");
	// "ctrl++" → modifiers + the "+" key.
	if (spec.endsWith("++")) parts = [...parts.slice(0, -2), "+"];
	const last = parts[parts.length - 1] ?? "";
	const mods = new Set(parts.slice(0, -1).map((p) => p.toLowerCase()));
	const lower = last.length > 1 ? last.toLowerCase() : last;
	let name = KEY_ALIASES[lower] ?? lower;
	let shift = mods.has("shift");
	if (name.length === 1 && name >= "A" && name <= "Z") {
		name = name.toLowerCase();
		shift = true;
	}
	const parsed = { name, ctrl: mods.has("ctrl"), alt: mods.has("alt") || mods.has("meta"), shift };
	specCache.set(spec, parsed);
	return parsed;
}

/** The last key matchesKey decoded: a component tests one key against many specs, so it is decoded once. */
let lastParsed: { data: string; key: ParsedKey | undefined } | undefined;

/** True when `data` is the key described by `spec`, e.g. "ctrl+c", "shift+enter", "alt+left", "pageUp". */
export function matchesKey(data: string, spec: string): boolean {
	if (lastParsed?.data !== data) lastParsed = { data, key: parseKey(data) };
	const parsed = lastParsed.key;
	if (!parsed) return false;
	const want = parseSpec(spec);
	return (
		parsed.name === want.name && parsed.ctrl === want.ctrl && parsed.alt === want.alt && parsed.shift === want.shift
	);
}

/** Printable text of a key event (plain characters, or kitty CSI u for a printable key without ctrl/alt). */
export function printableText(data: string): string | undefined {
	if (data.length === 0) return undefined;
	if (!data.startsWith("\x1b")) {
		for (const ch of data) {
			const code = ch.codePointAt(0) ?? 0;
			if (code < 32 || code === 127) return undefined;
		}
		return data;
	}
	const m = KITTY_CSI_U.exec(data);
	if (!m) return undefined;
	const mods = modifiersFrom(m[4] ? Number(m[4]) : 1);
	if (mods.ctrl || mods.alt) return undefined;
	const codepoint = mods.shift && m[2] ? Number(m[2]) : Number(m[1]);
	if (codepoint < 32 || codepoint === 127 || (codepoint >= 57344 && codepoint <= 63743)) return undefined;
	const ch = String.fromCodePoint(codepoint);
	return mods.shift && !m[2] ? ch.toUpperCase() : ch;
}

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
		const third = data[i + 2];
		if (third === "[" || third === "O") {
			const inner = escapeSequenceLength(data, i + 1);
			return inner === -1 ? -1 : inner + 1;
		}
		return 1; // two escape presses
	}
	// ESC + one grapheme = alt+key
	const segment = graphemeSegmenter
		.segment(data.slice(i + 1, i + 9))
		[Symbol.iterator]()
		.next();
	return 1 + (segment.done ? 1 : segment.value.segment.length);
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
		for (const { segment } of graphemeSegmenter.segment(data.slice(i, end))) {
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
