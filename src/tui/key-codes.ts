/**
 * The key tables of the decoder (keys.ts): modifier bits, codes of non-character keys, kitty's keypad codes, and the
 * legacy xterm, rxvt and Linux-console sequences with their names.
 */

export const SHIFT = 1;
export const ALT = 2;
export const CTRL = 4;
export const SUPER = 8;
/** Caps Lock and Num Lock: reported, never part of a key. */
export const LOCKS = 64 | 128;

/** Non-character keys, as negative codes next to the codepoints of character keys. */
export const UP = -1;
export const DOWN = -2;
export const RIGHT = -3;
export const LEFT = -4;
const DELETE = -10;
const INSERT = -11;
const PAGE_UP = -12;
const PAGE_DOWN = -13;
export const HOME = -14;
export const END = -15;
/** f1 … f12 are -21 … -32. */
export const F1 = -21;

export const ESCAPE = 27;
export const TAB = 9;
export const ENTER = 13;
export const SPACE = 32;
export const BACKSPACE = 127;
export const KEYPAD_ENTER = 57414;

/** kitty's private-use keypad and navigation codes, as the keys they stand for. */
export const KEYPAD: ReadonlyMap<number, number> = new Map([
	[57399, 48],
	[57400, 49],
	[57401, 50],
	[57402, 51],
	[57403, 52],
	[57404, 53],
	[57405, 54],
	[57406, 55],
	[57407, 56],
	[57408, 57],
	[57409, 46],
	[57410, 47],
	[57411, 42],
	[57412, 45],
	[57413, 43],
	[57415, 61],
	[57416, 44],
	[57417, LEFT],
	[57418, RIGHT],
	[57419, UP],
	[57420, DOWN],
	[57421, PAGE_UP],
	[57422, PAGE_DOWN],
	[57423, HOME],
	[57424, END],
	[57425, INSERT],
	[57426, DELETE],
]);
/** kitty's private-use area: functional keys (F13-F35, media, modifiers), never text. */
export const PRIVATE_USE_FIRST = 57344;
export const PRIVATE_USE_LAST = 63743;

export const SYMBOLS = new Set("`-=[]\\;',./!@#$%^&*()_+|~{}:<>?");
/** Symbols kitty reports as shift plus another key ("+" as shift+=): bindings name the produced symbol. */
export const SHIFTED_SYMBOLS = new Set("~!@#$%^&*()_+|{}:<>?");

export const NAMED_CODES: Readonly<Record<string, number>> = {
	escape: ESCAPE,
	esc: ESCAPE,
	tab: TAB,
	enter: ENTER,
	return: ENTER,
	space: SPACE,
	backspace: BACKSPACE,
	delete: DELETE,
	insert: INSERT,
	pageup: PAGE_UP,
	pagedown: PAGE_DOWN,
	home: HOME,
	end: END,
	up: UP,
	down: DOWN,
	left: LEFT,
	right: RIGHT,
};

/** Legacy sequences of keys without modifiers. */
export const LEGACY: Readonly<Record<string, readonly string[]>> = {
	up: ["\x1b[A", "\x1bOA"],
	down: ["\x1b[B", "\x1bOB"],
	right: ["\x1b[C", "\x1bOC"],
	left: ["\x1b[D", "\x1bOD"],
	home: ["\x1b[H", "\x1bOH", "\x1b[1~", "\x1b[7~"],
	end: ["\x1b[F", "\x1bOF", "\x1b[4~", "\x1b[8~"],
	insert: ["\x1b[2~"],
	delete: ["\x1b[3~"],
	pageup: ["\x1b[5~", "\x1b[[5~"],
	pagedown: ["\x1b[6~", "\x1b[[6~"],
	clear: ["\x1b[E", "\x1bOE"],
	f1: ["\x1bOP", "\x1b[11~", "\x1b[[A"],
	f2: ["\x1bOQ", "\x1b[12~", "\x1b[[B"],
	f3: ["\x1bOR", "\x1b[13~", "\x1b[[C"],
	f4: ["\x1bOS", "\x1b[14~", "\x1b[[D"],
	f5: ["\x1b[15~", "\x1b[[E"],
	f6: ["\x1b[17~"],
	f7: ["\x1b[18~"],
	f8: ["\x1b[19~"],
	f9: ["\x1b[20~"],
	f10: ["\x1b[21~"],
	f11: ["\x1b[23~"],
	f12: ["\x1b[24~"],
};

/** rxvt's shift and ctrl variants. */
export const LEGACY_SHIFT: Readonly<Record<string, string>> = {
	up: "\x1b[a",
	down: "\x1b[b",
	right: "\x1b[c",
	left: "\x1b[d",
	clear: "\x1b[e",
	insert: "\x1b[2$",
	delete: "\x1b[3$",
	pageup: "\x1b[5$",
	pagedown: "\x1b[6$",
	home: "\x1b[7$",
	end: "\x1b[8$",
};
export const LEGACY_CTRL: Readonly<Record<string, string>> = {
	up: "\x1bOa",
	down: "\x1bOb",
	right: "\x1bOc",
	left: "\x1bOd",
	clear: "\x1bOe",
	insert: "\x1b[2^",
	delete: "\x1b[3^",
	pageup: "\x1b[5^",
	pagedown: "\x1b[6^",
	home: "\x1b[7^",
	end: "\x1b[8^",
};

/** Key names of whole legacy sequences, for parseKey. */
export const LEGACY_NAMES = new Map<string, string>();
for (const [name, sequences] of Object.entries(LEGACY)) {
	for (const sequence of sequences) if (!LEGACY_NAMES.has(sequence)) LEGACY_NAMES.set(sequence, displayName(name));
}
for (const [name, sequence] of Object.entries(LEGACY_SHIFT)) LEGACY_NAMES.set(sequence, `shift+${displayName(name)}`);
for (const [name, sequence] of Object.entries(LEGACY_CTRL)) LEGACY_NAMES.set(sequence, `ctrl+${displayName(name)}`);
for (const [sequence, name] of [
	["\x1bOe", "ctrl+clear"],
	["\x1bb", "alt+left"],
	["\x1bf", "alt+right"],
	["\x1bp", "alt+up"],
	["\x1bn", "alt+down"],
] as const)
	LEGACY_NAMES.set(sequence, name);
// Home and end only as rxvt's 7/8 and xterm's H/F: 1~ and 4~ match them but are not named.
LEGACY_NAMES.delete("\x1b[1~");
LEGACY_NAMES.delete("\x1b[4~");

export function displayName(name: string): string {
	return name === "pageup" ? "pageUp" : name === "pagedown" ? "pageDown" : name;
}

export const TILDE_CODES: Readonly<Record<number, number>> = {
	2: INSERT,
	3: DELETE,
	5: PAGE_UP,
	6: PAGE_DOWN,
	7: HOME,
	8: END,
	11: F1,
	12: F1 - 1,
	13: F1 - 2,
	14: F1 - 3,
	15: F1 - 4,
	17: F1 - 5,
	18: F1 - 6,
	19: F1 - 7,
	20: F1 - 8,
	21: F1 - 9,
	23: F1 - 10,
	24: F1 - 11,
};
