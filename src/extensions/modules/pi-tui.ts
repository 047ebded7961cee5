/**
 * `@earendil-works/pi-tui` as extensions see it: our own implementation of pi-tui's API over src/tui (not the npm
 * package; README "Extension modules" says why). Components have pi-tui's constructors and defaults (a `Text` pads one
 * column and one line unless told otherwise) and render as string lines, the Component shape our renderer draws; keys
 * are decoded by the same parser our editor uses, so `matchesKey` agrees with what the editor sees.
 *
 * Issue 13 (custom components, overlays, editors) extends this module; until then the interactive-only classes
 * (Editor, SelectList, SettingsList, Input, TUI, …) are stubs that fail when constructed.
 */
import { fuzzyFilter } from "../../ai/list-models.ts";
import { CURSOR_MARKER, isFocusable } from "../../tui/component.ts";
import { Box } from "../../tui/components/box.ts";
import { Spacer } from "../../tui/components/spacer.ts";
import { isKeyRelease, matchesKey, parseKey } from "../../tui/keys.ts";
import { padToWidth, truncateToWidth as truncate, visibleWidth, wrapTextWithAnsi } from "../../tui/text-utils.ts";
import { Container } from "../../tui/tui.ts";
import { completeModule } from "./stubs.ts";

/** pi-tui's Text: word-wrapped, padded (defaults 1 and 1), optional background over each full line. */
export class Text {
	private cache: { width: number; lines: string[] } | undefined;

	constructor(
		private text = "",
		private paddingX = 1,
		private paddingY = 1,
		private customBgFn?: (text: string) => string,
	) {}

	setText(text: string): void {
		if (text === this.text) return;
		this.text = text;
		this.cache = undefined;
	}

	getText(): string {
		return this.text;
	}

	setCustomBgFn(fn?: (text: string) => string): void {
		this.customBgFn = fn;
		this.cache = undefined;
	}

	setPaddingX(paddingX: number): void {
		this.paddingX = paddingX;
		this.cache = undefined;
	}

	invalidate(): void {
		this.cache = undefined;
	}

	render(width: number): string[] {
		if (this.cache?.width === width) return this.cache.lines;
		const lines: string[] = [];
		if (this.text && this.text.trim() !== "") {
			// Margins shrink when the width cannot hold them and some content.
			const paddingX = Math.min(this.paddingX, Math.max(0, Math.floor((width - 1) / 2)));
			const contentWidth = Math.max(1, width - paddingX * 2);
			const margin = " ".repeat(paddingX);
			const fill = (line: string) => {
				const padded = padToWidth(line, width);
				return this.customBgFn ? this.customBgFn(padded) : padded;
			};
			const blank = fill("");
			for (let i = 0; i < this.paddingY; i++) lines.push(blank);
			for (const line of wrapTextWithAnsi(this.text.replace(/\t/g, "   "), contentWidth)) {
				lines.push(this.customBgFn ? fill(margin + line + margin) : margin + line + margin);
			}
			for (let i = 0; i < this.paddingY; i++) lines.push(blank);
		}
		this.cache = { width, lines };
		return lines;
	}
}

/** A single line, cut to the width (pi-tui's TruncatedText). */
export class TruncatedText {
	constructor(
		private text: string,
		private paddingX = 0,
		private paddingY = 0,
	) {}

	setText(text: string): void {
		this.text = text;
	}

	invalidate(): void {}

	render(width: number): string[] {
		const margin = " ".repeat(this.paddingX);
		const line =
			margin + truncate(this.text.split("\n")[0] ?? "", Math.max(1, width - this.paddingX * 2), "...") + margin;
		const blank = Array.from({ length: this.paddingY }, () => "");
		return [...blank, line, ...blank];
	}
}

/** pi-tui's key id of an input sequence ("ctrl+c", "shift+enter", "a"); undefined for unknown sequences. */
function keyId(data: string): string | undefined {
	// Our parser names keys as pi-tui does.
	return parseKey(data);
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

function truncateToWidth(text: string, maxWidth: number, ellipsis = "...", pad = false): string {
	const cut = truncate(text, maxWidth, ellipsis);
	return pad ? padToWidth(cut, maxWidth) : cut;
}

/** Kitty's key repeat events (event type 2): a held key. */
function isKeyRepeat(data: string): boolean {
	if (data.includes("\x1b[200~")) return false;
	// biome-ignore lint/suspicious/noControlCharactersInRegex: kitty key events start with ESC
	return /\x1b\[[\d:;]*:2[u~ABCDEFHPQRS]$/.test(data);
}

export function buildPiTuiModule(): Record<string, unknown> {
	return completeModule("pi-tui", {
		Text,
		TruncatedText,
		Box,
		Container,
		Spacer,
		Key,
		CURSOR_MARKER,
		isFocusable,
		matchesKey,
		parseKey: keyId,
		isKeyRelease,
		isKeyRepeat,
		truncateToWidth,
		visibleWidth,
		wrapTextWithAnsi,
		fuzzyFilter,
	});
}
