/**
 * pi-tui's key helpers and keybinding manager for extensions. Keys are decoded by our own parser (src/tui/keys.ts),
 * the one the prompt editor uses, so `matchesKey` in an extension agrees with what the app sees — kitty protocol,
 * modifyOtherKeys and legacy sequences alike. `getKeybindings()` is the app's table (the user's keybindings.json,
 * app.* and tui.* ids), read live so a /reload shows.
 */

import { activeKeybindings, KEYBINDING_DEFINITIONS, type KeybindingId } from "../../modes/interactive/keybindings.ts";
import { isKeyRelease, matchesKey, parseKey, printableText, setKittyProtocolActive } from "../../tui/keys.ts";

export { isKeyRelease, matchesKey };

/** pi-tui's key id of an input sequence ("ctrl+c", "shift+enter", "a"); undefined for what is not a key. */
export function keyId(data: string): string | undefined {
	// Our parser names keys as pi-tui does.
	return parseKey(data);
}

let kittyActive = false;

/** Whether the terminal answered the kitty keyboard protocol query (set by the app's terminal). */
export function isKittyProtocolActive(): boolean {
	return kittyActive;
}

export function setKittyActive(active: boolean): void {
	kittyActive = active;
	setKittyProtocolActive(active);
}

/** Kitty's key repeat events (event type 2): a held key. */
export function isKeyRepeat(data: string): boolean {
	if (data.includes("\x1b[200~")) return false;
	// biome-ignore lint/suspicious/noControlCharactersInRegex: kitty key events start with ESC
	return /\x1b\[[\d:;]*:2[u~ABCDEFHPQRS]$/.test(data);
}

/** The text a kitty CSI-u key event types, if it types any. */
export function decodeKittyPrintable(data: string): string | undefined {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: kitty key events start with ESC
	if (!/^\x1b\[\d/.test(data) || !data.endsWith("u")) return undefined;
	return printableText(data);
}

const BASE_KEYS = [
	"escape",
	"esc",
	"enter",
	"return",
	"tab",
	"space",
	"backspace",
	"delete",
	"insert",
	"clear",
	"home",
	"end",
	"pageUp",
	"pageDown",
	"up",
	"down",
	"left",
	"right",
	...Array.from({ length: 12 }, (_, i) => `f${i + 1}`),
];
const SYMBOL_KEYS: Record<string, string> = {
	backtick: "`",
	hyphen: "-",
	equals: "=",
	leftbracket: "[",
	rightbracket: "]",
	backslash: "\\",
	semicolon: ";",
	quote: "'",
	comma: ",",
	period: ".",
	slash: "/",
	exclamation: "!",
	at: "@",
	hash: "#",
	dollar: "$",
	percent: "%",
	caret: "^",
	ampersand: "&",
	asterisk: "*",
	leftparen: "(",
	rightparen: ")",
	underscore: "_",
	plus: "+",
	pipe: "|",
	tilde: "~",
	leftbrace: "{",
	rightbrace: "}",
	colon: ":",
	lessthan: "<",
	greaterthan: ">",
	question: "?",
};
const MODIFIER_COMBOS: Record<string, string> = {
	ctrl: "ctrl",
	shift: "shift",
	alt: "alt",
	super: "super",
	ctrlShift: "ctrl+shift",
	shiftCtrl: "shift+ctrl",
	ctrlAlt: "ctrl+alt",
	altCtrl: "alt+ctrl",
	shiftAlt: "shift+alt",
	altShift: "alt+shift",
	ctrlSuper: "ctrl+super",
	superCtrl: "super+ctrl",
	shiftSuper: "shift+super",
	superShift: "super+shift",
	altSuper: "alt+super",
	superAlt: "super+alt",
	ctrlShiftAlt: "ctrl+shift+alt",
	ctrlShiftSuper: "ctrl+shift+super",
	ctrlAltSuper: "ctrl+alt+super",
	shiftAltSuper: "shift+alt+super",
	ctrlShiftAltSuper: "ctrl+shift+alt+super",
};

/** pi-tui's `Key`: key ids by name (Key.enter, Key.ctrl("c") → "ctrl+c"). */
export const Key: Record<string, unknown> = {
	...Object.fromEntries(BASE_KEYS.map((name) => [name, name])),
	...SYMBOL_KEYS,
	...Object.fromEntries(
		Object.entries(MODIFIER_COMBOS).map(([name, prefix]) => [name, (key: string) => `${prefix}+${key}`]),
	),
};

type Definitions = Record<string, { defaultKeys: string | readonly string[]; description?: string }>;

function keyList(keys: unknown): string[] {
	if (typeof keys === "string") return [keys];
	if (Array.isArray(keys)) return [...new Set(keys.filter((key): key is string => typeof key === "string"))];
	return [];
}

/**
 * pi-tui's KeybindingsManager: action ids → keys, the user's bindings over the definitions' defaults. Extensions may
 * build their own; the app's is `getKeybindings()`.
 */
export class KeybindingsManager {
	protected keysById = new Map<string, string[]>();
	private conflicts: { key: string; keybindings: string[] }[] = [];

	constructor(
		protected definitions: Definitions,
		protected userBindings: Record<string, unknown> = {},
	) {
		this.rebuild();
	}

	private rebuild(): void {
		this.keysById.clear();
		this.conflicts = [];
		const claims = new Map<string, string[]>();
		for (const [id, keys] of Object.entries(this.userBindings)) {
			if (!(id in this.definitions)) continue;
			for (const key of keyList(keys)) claims.set(key, [...(claims.get(key) ?? []), id]);
		}
		for (const [key, ids] of claims) if (ids.length > 1) this.conflicts.push({ key, keybindings: ids });
		for (const [id, definition] of Object.entries(this.definitions)) {
			const user = this.userBindings[id];
			this.keysById.set(id, keyList(user === undefined ? definition.defaultKeys : user));
		}
	}

	matches(data: string, keybinding: string): boolean {
		return this.getKeys(keybinding).some((key) => matchesKey(data, key));
	}

	getKeys(keybinding: string): string[] {
		return [...(this.keysById.get(keybinding) ?? [])];
	}

	getDefinition(keybinding: string): unknown {
		return this.definitions[keybinding];
	}

	getConflicts(): { key: string; keybindings: string[] }[] {
		return this.conflicts.map((conflict) => ({ ...conflict, keybindings: [...conflict.keybindings] }));
	}

	setUserBindings(userBindings: Record<string, unknown>): void {
		this.userBindings = { ...userBindings };
		this.rebuild();
	}

	getUserBindings(): Record<string, unknown> {
		return { ...this.userBindings };
	}

	getResolvedBindings(): Record<string, string | string[]> {
		const resolved: Record<string, string | string[]> = {};
		for (const [id, keys] of this.keysById) resolved[id] = keys.length === 1 ? (keys[0] ?? "") : keys;
		return resolved;
	}
}

function isAppId(id: string): id is KeybindingId {
	return Object.hasOwn(KEYBINDING_DEFINITIONS, id);
}

/** The app's table as a KeybindingsManager; every call reads the keybindings in effect now. */
class AppKeybindings extends KeybindingsManager {
	constructor() {
		super(KEYBINDING_DEFINITIONS);
	}

	override matches(data: string, keybinding: string): boolean {
		return isAppId(keybinding) ? activeKeybindings().matches(data, keybinding) : super.matches(data, keybinding);
	}

	override getKeys(keybinding: string): string[] {
		return isAppId(keybinding) ? activeKeybindings().keys(keybinding) : super.getKeys(keybinding);
	}

	override getUserBindings(): Record<string, unknown> {
		return { ...activeKeybindings().userConfig };
	}

	override getResolvedBindings(): Record<string, string | string[]> {
		return activeKeybindings().effective();
	}
}

let current: KeybindingsManager = new AppKeybindings();

export function getKeybindings(): KeybindingsManager {
	return current;
}

/** pi-tui's setKeybindings; an extension replacing the global table affects its own lookups only. */
export function setKeybindings(keybindings: unknown): void {
	if (keybindings instanceof KeybindingsManager) current = keybindings;
}

/** pi-tui's own (tui.*) actions with their default keys. */
export const TUI_KEYBINDINGS: Definitions = Object.fromEntries(
	Object.entries(KEYBINDING_DEFINITIONS).filter(([id]) => id.startsWith("tui.")),
);

/** The index a page-up/page-down key moves a list selection to, or undefined for other keys. */
export function getSelectPageIndex(
	keybindings: KeybindingsManager,
	data: string,
	selectedIndex: number,
	itemCount: number,
	pageSize: number,
): number | undefined {
	const direction = keybindings.matches(data, "tui.select.pageUp")
		? -1
		: keybindings.matches(data, "tui.select.pageDown")
			? 1
			: 0;
	if (direction === 0) return undefined;
	return Math.max(0, Math.min(itemCount - 1, selectedIndex + direction * pageSize));
}
