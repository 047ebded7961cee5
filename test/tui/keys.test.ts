import { describe, expect, test } from "bun:test";
import { splitInput } from "../../src/tui/input-split.ts";
import {
	isKeyRelease,
	matchesKey,
	parseKey,
	printableText,
	rememberedPerKey,
	setKittyProtocolActive,
} from "../../src/tui/keys.ts";

const legacy: Array<[string, string]> = [
	["\x03", "ctrl+c"],
	["\x04", "ctrl+d"],
	["\x01", "ctrl+a"],
	["\x05", "ctrl+e"],
	["\x0b", "ctrl+k"],
	["\x15", "ctrl+u"],
	["\x17", "ctrl+w"],
	["\x10", "ctrl+p"],
	["\x0c", "ctrl+l"],
	["\x0f", "ctrl+o"],
	["\x14", "ctrl+t"],
	["\x1f", "ctrl+-"],
	["\x1d", "ctrl+]"],
	["\x00", "ctrl+space"],
	["\x1b", "escape"],
	["\x1b", "esc"],
	["\r", "enter"],
	["\r", "return"],
	["\n", "enter"],
	["\n", "ctrl+j"],
	["\x1b\r", "alt+enter"],
	["\t", "tab"],
	["\x1b[Z", "shift+tab"],
	["\x7f", "backspace"],
	["\x1b\x7f", "alt+backspace"],
	["\x1b[A", "up"],
	["\x1b[B", "down"],
	["\x1b[C", "right"],
	["\x1b[D", "left"],
	["\x1bOA", "up"],
	["\x1b[1;5C", "ctrl+right"],
	["\x1b[1;5D", "ctrl+left"],
	["\x1b[1;3D", "alt+left"],
	["\x1b[1;3A", "alt+up"],
	["\x1bp", "alt+up"],
	["\x1bb", "alt+left"],
	["\x1b[a", "shift+up"],
	["\x1bOd", "ctrl+left"],
	["\x1b[[A", "f1"],
	["\x1b[7^", "ctrl+home"],
	["\x1b[1;2A", "shift+up"],
	["\x1b[H", "home"],
	["\x1b[F", "end"],
	["\x1bOH", "home"],
	["\x1b[1~", "home"],
	["\x1b[4~", "end"],
	["\x1b[3~", "delete"],
	["\x1b[3;3~", "alt+delete"],
	["\x1b[5~", "pageUp"],
	["\x1b[6~", "pageDown"],
	["\x1b[6~", "pagedown"],
	["\x1b[2~", "insert"],
	["\x1bOP", "f1"],
	["\x1b[24~", "f12"],
	["\x1bb", "alt+b"],
	["\x1bf", "alt+f"],
	["\x1bd", "alt+d"],
	["\x1by", "alt+y"],
	["a", "a"],
	["A", "shift+a"],
	[" ", "space"],
	["/", "/"],
	["\x1b[27;5;99~", "ctrl+c"],
	["\x1b[27;2;13~", "shift+enter"],
];

const kitty: Array<[string, string]> = [
	["\x1b[99;5u", "ctrl+c"],
	["\x1b[100;5u", "ctrl+d"],
	["\x1b[112;6u", "shift+ctrl+p"],
	["\x1b[112;6u", "ctrl+shift+p"],
	["\x1b[13u", "enter"],
	["\x1b[13;2u", "shift+enter"],
	["\x1b[13;3u", "alt+enter"],
	["\x1b[27u", "escape"],
	["\x1b[9;2u", "shift+tab"],
	["\x1b[127;5u", "ctrl+backspace"],
	["\x1b[127;3u", "alt+backspace"],
	["\x1b[45;5u", "ctrl+-"],
	["\x1b[93;5u", "ctrl+]"],
	["\x1b[97:65;2u", "shift+a"],
	["\x1b[99;5:1u", "ctrl+c"],
	["\x1b[1089::99;5u", "ctrl+c"],
	["\x1b[57414u", "enter"],
	["\x1b[1;5A", "ctrl+up"],
	["\x1b[1;1:2A", "up"],
	["\x1b[3;5~", "ctrl+delete"],
];

describe("parseKey / matchesKey", () => {
	test.each(legacy)("legacy %j is %s", (data, spec) => {
		expect(matchesKey(data, spec)).toBe(true);
	});

	test.each(kitty)("kitty %j is %s", (data, spec) => {
		expect(matchesKey(data, spec)).toBe(true);
	});

	test("modifiers must match exactly", () => {
		expect(matchesKey("\r", "shift+enter")).toBe(false);
		expect(matchesKey("\x1b[13;2u", "enter")).toBe(false);
		expect(matchesKey("\x1b[1;5C", "right")).toBe(false);
		expect(matchesKey("a", "shift+a")).toBe(false);
		expect(matchesKey("\x03", "ctrl+d")).toBe(false);
		expect(matchesKey("\x1b[99;5u", "ctrl+shift+c")).toBe(false);
	});

	test("key ids, as pi names them", () => {
		expect(parseKey("\x1b[1;6D")).toBe("shift+ctrl+left");
		expect(parseKey("\x1b[99;9u")).toBe("super+c");
		expect(parseKey("\x1b\x1b")).toBe("ctrl+alt+[");
		expect(parseKey("\x1b[200~x\x1b[201~")).toBeUndefined();
		expect(parseKey("\x1b[999z")).toBeUndefined();
	});

	test("super-modified kitty keys are keys, never text", () => {
		expect(matchesKey("\x1b[99;9u", "super+c")).toBe(true);
		expect(matchesKey("\x1b[99;9u", "c")).toBe(false);
		expect(printableText("\x1b[99;9u")).toBeUndefined();
	});

	test("with the kitty protocol on, LF and ESC CR are shift+enter (terminal mappings)", () => {
		// Asked before the switch too: a remembered answer must not outlive the protocol change.
		expect(matchesKey("\n", "enter")).toBe(true);
		expect(matchesKey("\n", "shift+enter")).toBe(false);
		setKittyProtocolActive(true);
		try {
			expect(matchesKey("\n", "shift+enter")).toBe(true);
			expect(matchesKey("\n", "enter")).toBe(false);
			expect(matchesKey("\x1b\r", "shift+enter")).toBe(true);
		} finally {
			setKittyProtocolActive(false);
		}
		expect(matchesKey("\n", "enter")).toBe(true);
	});

	test("a keymap lookup remembered per input is asked again after the kitty protocol switches", () => {
		const asked: string[] = [];
		const lookup = rememberedPerKey((data) => {
			asked.push(data);
			return matchesKey(data, "shift+enter");
		});
		expect(lookup("\n")).toBe(false);
		expect(lookup("\n")).toBe(false);
		expect(asked).toEqual(["\n"]);
		setKittyProtocolActive(true);
		try {
			expect(lookup("\n")).toBe(true);
		} finally {
			setKittyProtocolActive(false);
		}
		expect(lookup("\n")).toBe(false);
		expect(asked).toEqual(["\n", "\n", "\n"]);
	});

	test("key releases are recognised", () => {
		expect(isKeyRelease("\x1b[97;1:3u")).toBe(true);
		expect(isKeyRelease("\x1b[1;1:3A")).toBe(true);
		expect(isKeyRelease("\x1b[97;1:1u")).toBe(false);
		expect(isKeyRelease("\x1b[97u")).toBe(false);
	});

	test("printable text from plain and kitty keys", () => {
		expect(printableText("é")).toBe("é");
		// Without the reported shifted key, shift+a types its base key, as in pi.
		expect(printableText("\x1b[97;2u")).toBe("a");
		expect(printableText("\x1b[97:65;2u")).toBe("A");
		expect(printableText("\x1b[99;5u")).toBeUndefined();
		expect(printableText("\x03")).toBeUndefined();
	});
});

describe("splitInput", () => {
	test("separates keys, sequences and paste blocks", () => {
		expect(splitInput("ab\x1b[A\x1b[1;5Cc")).toEqual(["a", "b", "\x1b[A", "\x1b[1;5C", "c"]);
		expect(splitInput("x\x1b[200~line1\r\nline2\x1b[201~\r")).toEqual(["x", "\x1b[200~line1\r\nline2\x1b[201~", "\r"]);
		expect(splitInput("\x1bb\x1b\x7f")).toEqual(["\x1bb", "\x1b\x7f"]);
		// ESC ESC is one key, unless a sequence starts at the second ESC.
		expect(splitInput("\x1b\x1b")).toEqual(["\x1b\x1b"]);
		expect(splitInput("\x1b\x1b[A")).toEqual(["\x1b", "\x1b[A"]);
		expect(splitInput("\r\n")).toEqual(["\r", "\n"]);
		expect(splitInput("👍🏽中")).toEqual(["👍🏽", "中"]);
		expect(splitInput("\x1b[99;5u\x1b[97:65;2u")).toEqual(["\x1b[99;5u", "\x1b[97:65;2u"]);
		expect(splitInput("\x1bOA\x1b")).toEqual(["\x1bOA", "\x1b"]);
	});
});
