/**
 * Keys as pi 1.6.0 reads them: every sequence of a broad corpus (legacy xterm, rxvt, Linux console, SS3, CSI with
 * modifiers including super, modifyOtherKeys, kitty CSI u with alternate/base keys and event types, keypad keys),
 * with and without the kitty protocol, gets the same key id, matches the same key specs and types the same text
 * as in pi's own pi-tui (run side by side through test/compat/pi-tui/driver.mjs). Skipped without pi 1.6.0.
 */
import { describe, expect, test } from "bun:test";
import { matchesKey, parseKey, printableText, setKittyProtocolActive } from "../../src/tui/keys.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { type KeyCase, runPiTui } from "./pi-tui/run.ts";

function corpus(): string[] {
	const out: string[] = [];
	for (let c = 0; c < 128; c++) out.push(String.fromCharCode(c), `\x1b${String.fromCharCode(c)}`);
	out.push("\x1b\x1b[A", "\x1b\x1bOA", "\x1b\x1b\x1b", "\x1b[Z", "\x1b[[5~", "\x1b[[6~");
	for (const final of "ABCDHFPQRSE") {
		out.push(`\x1b[${final}`, `\x1bO${final}`);
		for (let m = 1; m <= 16; m++) out.push(`\x1b[1;${m}${final}`, `\x1b[1;${m}:2${final}`);
	}
	for (const final of "abcdMEeXj") out.push(`\x1bO${final}`, `\x1b[${final}`);
	for (let n = 1; n <= 26; n++) {
		out.push(`\x1b[${n}~`, `\x1b[${n}$`, `\x1b[${n}^`, `\x1b[${n}@`);
		for (let m = 1; m <= 16; m++) out.push(`\x1b[${n};${m}~`);
	}
	for (const final of "ABCDE") out.push(`\x1b[[${final}`);
	const symbols = [..."`-=[]\\;',./!@#$%^&*()_+{}|:\"<>?~"].map((ch) => ch.charCodeAt(0));
	const codes = [9, 13, 27, 32, 127, 8, ...range(97, 122), ...range(48, 57), ...symbols];
	codes.push(57399, 57409, 57414, ...range(57417, 57426), 57441, 57442, 1089, 252, 0x1f600);
	// Plain, shift, alt, shift+alt, ctrl, ctrl+shift, ctrl+alt, super, ctrl+super.
	for (const code of codes) {
		for (const m of [1, 2, 3, 4, 5, 6, 7, 9, 13]) out.push(`\x1b[${code};${m}u`, `\x1b[27;${m};${code}~`);
		out.push(`\x1b[${code};65u`, `\x1b[${code};129u`, `\x1b[${code};1:3u`);
	}
	out.push("\x1b[1089::99;5u", "\x1b[1074::100;5u", "\x1b[97:65;2u", "\x1b[49:33;2u", "\x1b[61:43;2u", "\x1b[97;1:2u");
	return out;
}

function range(from: number, to: number): number[] {
	return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const NAMES = [
	..."abcdefghijklmnopqrstuvwxyz0123456789",
	..."`-=[]\\;',./+?",
	"enter",
	"tab",
	"escape",
	"space",
	"backspace",
	"delete",
	"insert",
	"home",
	"end",
	"pageUp",
	"pageDown",
	"up",
	"down",
	"left",
	"right",
	"clear",
	...range(1, 12).map((n) => `f${n}`),
];
const MODIFIERS = ["", "shift+", "ctrl+", "alt+", "ctrl+shift+", "ctrl+alt+", "shift+alt+", "super+", "ctrl+super+"];
const SPECS = NAMES.flatMap((name) => MODIFIERS.map((modifier) => modifier + name));

const cases: KeyCase[] = [false, true].flatMap((kitty) => corpus().map((data) => ({ data, kitty })));

describe.skipIf(!referencePi160())("keys side by side with pi 1.6.0's pi-tui", () => {
	const pi = runPiTui({ keys: cases, matches: cases, specs: SPECS });

	test("the same key id for every sequence", () => {
		const differing = cases.flatMap((c, i) => {
			setKittyProtocolActive(c.kitty);
			const ours = parseKey(c.data) ?? null;
			const theirs = pi?.keys[i]?.id ?? null;
			return ours === theirs ? [] : [{ ...c, ours, theirs }];
		});
		setKittyProtocolActive(false);
		expect(differing).toEqual([]);
	});

	test("the same key specs match every sequence", () => {
		const differing = cases.flatMap((c, i) => {
			setKittyProtocolActive(c.kitty);
			const ours = SPECS.filter((spec) => matchesKey(c.data, spec));
			const theirs = pi?.matches[i] ?? [];
			return JSON.stringify(ours) === JSON.stringify(theirs) ? [] : [{ ...c, ours, theirs }];
		});
		setKittyProtocolActive(false);
		expect(differing).toEqual([]);
		// Thousands of sequences × every spec: slow when the machine is busy.
	}, 30_000);

	test("kitty keys type the same text (none for ctrl, alt, super or functional keys)", () => {
		const differing = cases.flatMap((c, i) => {
			if (!c.data.endsWith("u") || !c.data.startsWith("\x1b[")) return [];
			const ours = printableText(c.data) ?? null;
			const theirs = pi?.keys[i]?.printable ?? null;
			return ours === theirs ? [] : [{ ...c, ours, theirs }];
		});
		expect(differing).toEqual([]);
	});
});
