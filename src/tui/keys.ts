/**
 * Key decoding as pi 1.6.0 does it (its own key tests and a side-by-side test against its pi-tui are the
 * specification): legacy xterm, rxvt and Linux-console sequences, xterm modifyOtherKeys, and the kitty keyboard
 * protocol (CSI u, with alternate and base-layout keys, event types, and the super modifier). A key spec is
 * `[shift+][ctrl+][alt+][super+]name` with names a-z, 0-9, symbols, enter, tab, escape, space, backspace, delete,
 * insert, clear, home, end, pageUp, pageDown, up, down, left, right, f1-f12.
 */

import { PASTE_START } from "./input-split.ts";
import {
	ALT,
	BACKSPACE,
	CTRL,
	DOWN,
	displayName,
	END,
	ENTER,
	ESCAPE,
	F1,
	HOME,
	KEYPAD,
	KEYPAD_ENTER,
	LEFT,
	LEGACY,
	LEGACY_CTRL,
	LEGACY_NAMES,
	LEGACY_SHIFT,
	LOCKS,
	NAMED_CODES,
	PRIVATE_USE_FIRST,
	PRIVATE_USE_LAST,
	RIGHT,
	SHIFT,
	SHIFTED_SYMBOLS,
	SPACE,
	SUPER,
	SYMBOLS,
	TAB,
	TILDE_CODES,
	UP,
} from "./key-codes.ts";

let kittyProtocolActive = false;
let matchGeneration = 0;

/**
 * Answers by input and spec. Every key press is tried against every binding (~100 specs): without this the
 * matchers run hundreds of thousands of times in a long session, and JavaScriptCore spends more time optimising
 * them (~110 ms over 50 prompts typed, bench/session-turns.ts) than running them. Only short inputs (one key's
 * bytes) are remembered; the kitty protocol changing clears it.
 */
const matchCache = new Map<string, Map<string, boolean>>();
const REMEMBERED_INPUTS = 256;
export const LONGEST_REMEMBERED_INPUT = 32;

/** Set by the terminal once the kitty keyboard protocol is negotiated (changes how ESC CR and LF are read). */
export function setKittyProtocolActive(active: boolean): void {
	if (active !== kittyProtocolActive) {
		matchCache.clear();
		matchGeneration++;
	}
	kittyProtocolActive = active;
}

/**
 * `find` with its answers remembered per input, as matchesKey's are (one key's bytes; 256 inputs, then it starts
 * over), and forgotten when the kitty protocol switches: for lookups that try an input against a whole keymap.
 */
export function rememberedPerKey<T extends NonNullable<unknown> | null>(
	find: (data: string) => T,
): (data: string) => T {
	let answers = new Map<string, T>();
	let generation = matchGeneration;
	return (data) => {
		if (data.length > LONGEST_REMEMBERED_INPUT) return find(data);
		if (generation !== matchGeneration || answers.size >= REMEMBERED_INPUTS) {
			answers = new Map();
			generation = matchGeneration;
		}
		let answer = answers.get(data);
		if (answer === undefined) {
			answer = find(data);
			answers.set(data, answer);
		}
		return answer;
	};
}

/** A key event of the kitty protocol or a CSI sequence with a modifier parameter. */
interface CsiKey {
	code: number;
	shifted?: number;
	base?: number;
	modifier: number;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const CSI_U = /^\x1b\[(\d+)(?::(\d*))?(?::(\d+))?(?:;(\d+))?(?::(\d+))?u$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const CSI_ARROW = /^\x1b\[1;(\d+)(?::(\d+))?([ABCDHF])$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const CSI_TILDE = /^\x1b\[(\d+)(?:;(\d+))?(?::(\d+))?~$/;
// F1, F2, F4 with a modifier; F3's CSI 1;m R would be a cursor position report, so terminals send 13~ for it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const CSI_PQS = /^\x1b\[(?:1;(\d+)(?::(\d+))?)?([PQS])$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: escape sequence grammar
const MODIFY_OTHER_KEYS = /^\x1b\[27;(\d+);(\d+)~$/;
const KEY_RELEASE = /:3[u~ABCDHFPQS]/;

function parseCsiKey(data: string): CsiKey | undefined {
	let m = CSI_U.exec(data);
	if (m) {
		return {
			code: Number(m[1]),
			shifted: m[2] ? Number(m[2]) : undefined,
			base: m[3] ? Number(m[3]) : undefined,
			modifier: (m[4] ? Number(m[4]) : 1) - 1,
		};
	}
	m = CSI_ARROW.exec(data);
	if (m) {
		const codes: Record<string, number> = { A: UP, B: DOWN, C: RIGHT, D: LEFT, H: HOME, F: END };
		return { code: codes[m[3] ?? ""] ?? UP, modifier: Number(m[1]) - 1 };
	}
	m = CSI_TILDE.exec(data);
	if (m) {
		const code = TILDE_CODES[Number(m[1])];
		if (code !== undefined) return { code, modifier: (m[2] ? Number(m[2]) : 1) - 1 };
	}
	m = CSI_PQS.exec(data);
	if (m) {
		const codes: Record<string, number> = { P: F1, Q: F1 - 1, S: F1 - 3 };
		return { code: codes[m[3] ?? ""] ?? F1, modifier: (m[1] ? Number(m[1]) : 1) - 1 };
	}
	return undefined;
}

function parseModifyOtherKeys(data: string): { code: number; modifier: number } | undefined {
	const m = MODIFY_OTHER_KEYS.exec(data);
	return m ? { code: Number(m[2]), modifier: Number(m[1]) - 1 } : undefined;
}

/** Keypad codes as the keys they stand for; a shifted capital as its letter. */
function normalCode(code: number, modifier: number): number {
	return lowerShifted(KEYPAD.get(code) ?? code, modifier);
}

function lowerShifted(code: number, modifier: number): number {
	return (modifier & ~LOCKS & SHIFT) !== 0 && code >= 65 && code <= 90 ? code + 32 : code;
}

/** A reported shifted symbol ("+" for shift+=) as that symbol without the shift. */
function shiftedSymbol(
	code: number | undefined,
	modifier: number,
	symbols: ReadonlySet<string>,
): { code: number; modifier: number } | undefined {
	if (code === undefined || (modifier & SHIFT) === 0) return undefined;
	const key = KEYPAD.get(code) ?? code;
	return symbols.has(String.fromCharCode(key)) ? { code: key, modifier: modifier & ~SHIFT } : undefined;
}

function isLatinOrSymbol(code: number): boolean {
	return (code >= 97 && code <= 122) || SYMBOLS.has(String.fromCharCode(code));
}

function csiMatches(data: string, code: number, modifier: number): boolean {
	const key = parseCsiKey(data);
	if (!key) return false;
	const actual = key.modifier & ~LOCKS;
	const wanted = modifier & ~LOCKS;
	const got = normalCode(key.code, key.modifier);
	if (actual === wanted && got === normalCode(code, modifier)) return true;
	const symbol = shiftedSymbol(key.shifted, actual, SYMBOLS);
	if (symbol && (symbol.modifier & ~LOCKS) === wanted && symbol.code === (KEYPAD.get(code) ?? code)) return true;
	if (actual !== wanted) return false;
	// Non-Latin layouts: the base-layout key stands in, unless the key itself is a Latin letter or symbol.
	return key.base !== undefined && key.base === code && !isLatinOrSymbol(got);
}

function modifyOtherKeysMatches(data: string, code: number, modifier: number): boolean {
	const key = parseModifyOtherKeys(data);
	return key !== undefined && key.code === code && key.modifier === modifier;
}

function printableModifyOtherKeysMatches(data: string, code: number, modifier: number): boolean {
	const key = parseModifyOtherKeys(data);
	if (!key) return false;
	if (key.modifier === modifier && lowerShifted(key.code, key.modifier) === lowerShifted(code, modifier)) return true;
	const symbol = shiftedSymbol(key.code, key.modifier, SHIFTED_SYMBOLS);
	return symbol?.modifier === modifier && symbol.code === code;
}

/** Raw 0x08 is ctrl+backspace in Windows Terminal (not over SSH), plain backspace elsewhere. */
function rawBackspace(data: string, modifier: number): boolean {
	if (data === "\x7f") return modifier === 0;
	if (data !== "\x08") return false;
	return windowsTerminal() ? modifier === CTRL : modifier === 0;
}

function windowsTerminal(): boolean {
	const env = process.env;
	return Boolean(env.WT_SESSION) && !env.SSH_CONNECTION && !env.SSH_CLIENT && !env.SSH_TTY;
}

/** The control character ctrl+key sends in a legacy terminal. */
function controlChar(key: string): string | undefined {
	const code = key.charCodeAt(0);
	if ((code >= 97 && code <= 122) || key === "[" || key === "\\" || key === "]" || key === "_") {
		return String.fromCharCode(code & 0x1f);
	}
	return key === "-" ? "\x1f" : undefined;
}

interface Spec {
	key: string;
	modifier: number;
}

const specCache = new Map<string, Spec | null>();

function parseSpec(spec: string): Spec | null {
	const cached = specCache.get(spec);
	if (cached !== undefined) return cached;
	let key = spec.toLowerCase();
	let modifier = 0;
	for (;;) {
		const mod = (["shift", "alt", "ctrl", "super"] as const).find((name) => key.startsWith(`${name}+`));
		if (!mod) break;
		const bit = mod === "shift" ? SHIFT : mod === "alt" ? ALT : mod === "ctrl" ? CTRL : SUPER;
		if (modifier & bit) {
			specCache.set(spec, null);
			return null;
		}
		modifier |= bit;
		key = key.slice(mod.length + 1);
	}
	const parsed = !key || (key.includes("+") && key !== "+") ? null : { key, modifier };
	specCache.set(spec, parsed);
	return parsed;
}

/** True when `data` is the key described by `spec`, e.g. "ctrl+c", "shift+enter", "alt+left", "pageUp". */
export function matchesKey(data: string, spec: string): boolean {
	if (data.length > LONGEST_REMEMBERED_INPUT) return matchKey(data, spec);
	let bySpec = matchCache.get(data);
	if (!bySpec) {
		if (matchCache.size >= REMEMBERED_INPUTS) matchCache.clear();
		bySpec = new Map();
		matchCache.set(data, bySpec);
	}
	let matched = bySpec.get(spec);
	if (matched === undefined) {
		matched = matchKey(data, spec);
		bySpec.set(spec, matched);
	}
	return matched;
}

function matchKey(data: string, spec: string): boolean {
	const parsed = parseSpec(spec);
	if (!parsed) return false;
	const { key, modifier } = parsed;
	const either = (code: number, mod: number) => csiMatches(data, code, mod) || modifyOtherKeysMatches(data, code, mod);
	switch (key) {
		case "escape":
		case "esc":
			return modifier === 0 && (data === "\x1b" || either(ESCAPE, 0));
		case "space":
			if (!kittyProtocolActive && ((modifier === CTRL && data === "\x00") || (modifier === ALT && data === "\x1b "))) {
				return true;
			}
			return (modifier === 0 && data === " ") || either(SPACE, modifier);
		case "tab":
			if (modifier === SHIFT) return data === "\x1b[Z" || either(TAB, SHIFT);
			if (modifier === 0) return data === "\t" || csiMatches(data, TAB, 0);
			return either(TAB, modifier);
		case "enter":
		case "return":
			return enterMatches(data, modifier);
		case "backspace":
			if (modifier === ALT && (data === "\x1b\x7f" || data === "\x1b\b")) return true;
			if ((modifier === CTRL || modifier === 0) && rawBackspace(data, modifier)) return true;
			return either(BACKSPACE, modifier);
		case "clear":
			if (modifier === 0) return LEGACY.clear?.includes(data) ?? false;
			return legacyModified(data, key, modifier);
		case "insert":
		case "delete":
		case "home":
		case "end":
		case "pageup":
		case "pagedown":
			return navigationMatches(data, key, modifier);
		case "up":
		case "down":
		case "left":
		case "right":
			return arrowMatches(data, key, modifier);
	}
	const functionKey = /^f(\d{1,2})$/.exec(key);
	if (functionKey) {
		const n = Number(functionKey[1]);
		if (n < 1 || n > 12) return false;
		if (modifier === 0 && LEGACY[key]?.includes(data)) return true;
		return csiMatches(data, F1 - (n - 1), modifier);
	}
	if (key.length === 1 && ((key >= "a" && key <= "z") || (key >= "0" && key <= "9") || SYMBOLS.has(key))) {
		return characterMatches(data, key, modifier);
	}
	return false;
}

function enterMatches(data: string, modifier: number): boolean {
	const csi = (mod: number) => csiMatches(data, ENTER, mod) || csiMatches(data, KEYPAD_ENTER, mod);
	if (modifier === SHIFT) {
		if (csi(SHIFT) || modifyOtherKeysMatches(data, ENTER, SHIFT)) return true;
		// With the kitty protocol on, ESC CR (kitty's mapping) and LF (Ghostty's) are shift+enter.
		return kittyProtocolActive && (data === "\x1b\r" || data === "\n");
	}
	if (modifier === ALT) {
		if (csi(ALT) || modifyOtherKeysMatches(data, ENTER, ALT)) return true;
		return !kittyProtocolActive && data === "\x1b\r";
	}
	if (modifier === 0) {
		return data === "\r" || (!kittyProtocolActive && data === "\n") || data === "\x1bOM" || csi(0);
	}
	return csi(modifier) || modifyOtherKeysMatches(data, ENTER, modifier);
}

function legacyModified(data: string, key: string, modifier: number): boolean {
	if (modifier === SHIFT) return LEGACY_SHIFT[key] === data;
	if (modifier === CTRL) return LEGACY_CTRL[key] === data;
	return false;
}

function navigationMatches(data: string, key: string, modifier: number): boolean {
	const code = NAMED_CODES[key] ?? 0;
	if (modifier === 0) return (LEGACY[key]?.includes(data) ?? false) || csiMatches(data, code, 0);
	return legacyModified(data, key, modifier) || csiMatches(data, code, modifier);
}

function arrowMatches(data: string, key: string, modifier: number): boolean {
	const code = NAMED_CODES[key] ?? 0;
	if (modifier === ALT) {
		if (key === "up") return data === "\x1bp" || csiMatches(data, UP, ALT);
		if (key === "down") return data === "\x1bn" || csiMatches(data, DOWN, ALT);
		const [csi, upper, lower] = key === "left" ? ["\x1b[1;3D", "\x1bB", "\x1bb"] : ["\x1b[1;3C", "\x1bF", "\x1bf"];
		return data === csi || (!kittyProtocolActive && data === upper) || data === lower || csiMatches(data, code, ALT);
	}
	if (modifier === 0) return (LEGACY[key]?.includes(data) ?? false) || csiMatches(data, code, 0);
	return legacyModified(data, key, modifier) || csiMatches(data, code, modifier);
}

function characterMatches(data: string, key: string, modifier: number): boolean {
	const code = key.charCodeAt(0);
	const control = controlChar(key);
	const letter = key >= "a" && key <= "z";
	const either = (mod: number) => csiMatches(data, code, mod) || printableModifyOtherKeysMatches(data, code, mod);
	if (modifier === (CTRL | ALT) && !kittyProtocolActive && control && data === `\x1b${control}`) return true;
	if (modifier === ALT && !kittyProtocolActive && data === `\x1b${key}`) return true;
	if (modifier === CTRL) return (control !== undefined && data === control) || either(CTRL);
	if (modifier === SHIFT && letter && data === key.toUpperCase()) return true;
	if (modifier !== 0) return either(modifier);
	return data === key || either(0);
}

/** The key id of `data` as pi names it (`ctrl+c`, `shift+enter`, `alt+left`), or undefined. */
export function parseKey(data: string): string | undefined {
	const csi = parseCsiKey(data);
	if (csi) {
		const symbol = shiftedSymbol(csi.shifted, csi.modifier, SYMBOLS);
		return keyName(symbol?.code ?? csi.code, symbol?.modifier ?? csi.modifier, csi.base);
	}
	const other = parseModifyOtherKeys(data);
	if (other) {
		const symbol = shiftedSymbol(other.code, other.modifier, SHIFTED_SYMBOLS);
		return keyName(symbol?.code ?? other.code, symbol?.modifier ?? other.modifier);
	}
	if (kittyProtocolActive && (data === "\x1b\r" || data === "\n")) return "shift+enter";
	const legacy = LEGACY_NAMES.get(data);
	if (legacy) return legacy;
	const fixed: Record<string, string> = {
		"\x1b": "escape",
		"\x1c": "ctrl+\\",
		"\x1d": "ctrl+]",
		"\x1f": "ctrl+-",
		"\x1b\x1b": "ctrl+alt+[",
		"\x1b\x1c": "ctrl+alt+\\",
		"\x1b\x1d": "ctrl+alt+]",
		"\x1b\x1f": "ctrl+alt+-",
		"\t": "tab",
		"\r": "enter",
		"\x1bOM": "enter",
		"\x00": "ctrl+space",
		" ": "space",
		"\x7f": "backspace",
		"\x1b[Z": "shift+tab",
		"\x1b\x7f": "alt+backspace",
		"\x1b\b": "alt+backspace",
	};
	const known = fixed[data];
	if (known) return known;
	if (data === "\n" && !kittyProtocolActive) return "enter";
	if (data === "\x08") return windowsTerminal() ? "ctrl+backspace" : "backspace";
	if (!kittyProtocolActive) {
		if (data === "\x1b\r") return "alt+enter";
		if (data === "\x1b ") return "alt+space";
		if (data === "\x1bB") return "alt+left";
		if (data === "\x1bF") return "alt+right";
		if (data.length === 2 && data[0] === "\x1b") {
			const code = data.charCodeAt(1);
			if (code >= 1 && code <= 26) return `ctrl+alt+${String.fromCharCode(code + 96)}`;
			const ch = String.fromCharCode(code);
			if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || SYMBOLS.has(ch)) return `alt+${ch}`;
		}
	}
	if (data.length === 1) {
		const code = data.charCodeAt(0);
		if (code >= 1 && code <= 26) return `ctrl+${String.fromCharCode(code + 96)}`;
		if (code >= 32 && code <= 126) return data;
	}
	return undefined;
}

function keyName(rawCode: number, modifier: number, base?: number): string | undefined {
	const normal = normalCode(rawCode, modifier);
	const digit = normal >= 48 && normal <= 57;
	const code = isLatinOrSymbol(normal) || digit ? normal : (base ?? normal);
	let name: string | undefined;
	if (code === ESCAPE) name = "escape";
	else if (code === TAB) name = "tab";
	else if (code === ENTER || code === KEYPAD_ENTER) name = "enter";
	else if (code === SPACE) name = "space";
	else if (code === BACKSPACE) name = "backspace";
	else if (code <= F1 && code >= F1 - 11) name = `f${F1 - code + 1}`;
	else if (code < 0) {
		const entry = Object.entries(NAMED_CODES).find(([, value]) => value === code);
		name = entry ? displayName(entry[0]) : undefined;
	} else if ((code >= 48 && code <= 57) || isLatinOrSymbol(code)) name = String.fromCharCode(code);
	if (!name) return undefined;
	const mods = modifier & ~LOCKS;
	if ((mods & ~(SHIFT | CTRL | ALT | SUPER)) !== 0) return undefined;
	const parts: string[] = [];
	if (mods & SHIFT) parts.push("shift");
	if (mods & CTRL) parts.push("ctrl");
	if (mods & ALT) parts.push("alt");
	if (mods & SUPER) parts.push("super");
	return parts.length > 0 ? `${parts.join("+")}+${name}` : name;
}

/** Kitty reports key releases (event type 3) when flag 2 is on; the UI ignores them. */
export function isKeyRelease(data: string): boolean {
	return !data.includes(PASTE_START) && KEY_RELEASE.test(data);
}

/**
 * The text a key types: plain characters, or a CSI u / modifyOtherKeys character key pressed alone or with shift
 * (never with ctrl, alt or super, never a functional key).
 */
export function printableText(data: string): string | undefined {
	if (data.length === 0) return undefined;
	if (!data.startsWith("\x1b")) {
		for (const ch of data) {
			const code = ch.codePointAt(0) ?? 0;
			if (code < 32 || code === 127) return undefined;
		}
		return data;
	}
	const m = CSI_U.exec(data);
	if (m) {
		const modifier = (m[4] ? Number(m[4]) : 1) - 1;
		if ((modifier & ~(SHIFT | LOCKS)) !== 0) return undefined;
		const shifted = m[2] ? Number(m[2]) : undefined;
		let code = (modifier & SHIFT) !== 0 && shifted !== undefined ? shifted : Number(m[1]);
		code = KEYPAD.get(code) ?? code;
		if (code < 32 || (code >= PRIVATE_USE_FIRST && code <= PRIVATE_USE_LAST)) return undefined;
		try {
			return String.fromCodePoint(code);
		} catch {
			return undefined;
		}
	}
	const other = parseModifyOtherKeys(data);
	if (!other) return undefined;
	if ((other.modifier & ~LOCKS & ~SHIFT) !== 0 || other.code < 32) return undefined;
	try {
		return String.fromCodePoint(other.code);
	} catch {
		return undefined;
	}
}
