/**
 * The prompt editor as pi 1.6.0's: each session of key presses (the cases of pi-tui's own editor tests and the
 * differences found side by side) leaves the same text, cursor, submissions and rendered rows in our Editor as in
 * pi's (run through test/compat/pi-tui/driver.mjs). Skipped without pi 1.6.0.
 */
import { describe, expect, test } from "bun:test";
import { CURSOR_MARKER } from "../../src/tui/component.ts";
import { Editor } from "../../src/tui/components/editor.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { type EditorCase, type EditorResult, type EditorStep, runPiTui } from "./pi-tui/run.ts";

const ENTER = "\r";
const LEFT = "\x1b[D";
const RIGHT = "\x1b[C";
const UP = "\x1b[A";
const DOWN = "\x1b[B";
const HOME = "\x1b[H";
const END = "\x1b[F";
const BACKSPACE = "\x7f";
const DELETE = "\x1b[3~";
const CTRL_A = "\x01";
const CTRL_E = "\x05";
const CTRL_K = "\x0b";
const CTRL_U = "\x15";
const CTRL_W = "\x17";
const CTRL_Y = "\x19";
const ALT_Y = "\x1by";
const ALT_D = "\x1bd";
const UNDO = "\x1f";
const JUMP = "\x1d";
const JUMP_BACK = "\x1b\x1d";
const WORD_LEFT = "\x1b[1;5D";
const WORD_RIGHT = "\x1b[1;5C";

/** Each character typed as its own key. */
const type = (text: string): EditorStep[] => [...text].map((key) => ({ key }));
const keys = (...list: string[]): EditorStep[] => list.map((key) => ({ key }));
const history = (...entries: string[]): EditorStep[] => entries.map((entry) => ({ history: entry }));
const paste = (text: string): EditorStep => ({ key: `\x1b[200~${text}\x1b[201~` });

const BIG = Array.from({ length: 12 }, (_, i) => `pasted line ${i}`).join("\n");

const CASES: EditorCase[] = [
	{ name: "enter submits", steps: [...type("hello"), ...keys(ENTER)] },
	{ name: "LF is enter", steps: [...type("hello"), ...keys("\n")] },
	{
		name: "shift+enter (kitty) and alt+enter add lines",
		steps: [...type("a"), ...keys("\x1b[13;2u"), ...type("b"), ...keys("\x1b\r"), ...type("c")],
	},
	{ name: "backslash then enter is a new line", steps: [...type("a\\"), ...keys(ENTER), ...type("b")] },
	{ name: "backslash inside text then enter submits", steps: [...type("a\\b"), ...keys(ENTER)] },
	{
		name: "ESC b/f move by words",
		steps: [...type("hello big world"), ...keys("\x1bb", "\x1bb"), ...type("X"), ...keys("\x1bf"), ...type("Y")],
	},
	{
		name: "ESC p/n move between lines",
		steps: [
			...type("one"),
			...keys("\x1b\r"),
			...type("two"),
			...keys("\x1bp"),
			...type("X"),
			...keys("\x1bn"),
			...type("Y"),
		],
	},
	{ name: "ESC ESC types nothing", steps: [...type("abc"), ...keys("\x1b\x1b"), ...type("d")] },
	{
		name: "rxvt and Linux console keys",
		steps: [
			...type("abc def"),
			...keys("\x1b[7~"),
			...type("<"),
			...keys("\x1b[8~"),
			...type(">"),
			...keys("\x1bOd"),
			...type("|"),
			...keys("\x1b[1~", "\x1b[4~", "\x1b[[A"),
		],
	},
	{
		name: "super-modified kitty keys type nothing",
		steps: [...type("ab"), ...keys("\x1b[99;9u", "\x1b[118;9u", "\x1b[97;13u")],
	},
	{
		name: "kitty printable keys and shifted keys",
		steps: keys("\x1b[97u", "\x1b[97:65;2u", "\x1b[49:33;2u", "\x1b[1089u"),
	},
	{ name: "history: up on empty recalls newest", steps: [...history("first", "second"), ...keys(UP, UP, DOWN)] },
	{
		name: "history: down after browsing returns to empty",
		steps: [...history("first", "second"), ...keys(UP, DOWN, DOWN)],
	},
	{
		name: "history: typing leaves history mode",
		steps: [...history("first", "second"), ...keys(UP), ...type("x"), ...keys(UP)],
	},
	{
		name: "history: setText leaves history mode",
		steps: [...history("first", "second"), ...keys(UP), { setText: "fresh" }, ...keys(UP, UP)],
	},
	{
		name: "history: no empty or consecutive duplicate entries",
		steps: [...history("a", "a", "", "b", "a"), ...keys(UP, UP, UP, UP)],
	},
	{
		name: "history: up inside a multi-line entry moves the cursor",
		steps: [...history("older", "line one\nline two\nline three"), ...keys(UP, UP, UP), ...type("X")],
	},
	{
		name: "history: down inside a multi-line entry then newer",
		steps: [...history("a\nb\nc", "newest"), ...keys(UP, UP, DOWN, DOWN, DOWN), ...type("X")],
	},
	{
		name: "history: up with content moves the cursor, not history",
		steps: [...history("old"), ...type("one"), ...keys("\x1b\r"), ...type("two"), ...keys(UP), ...type("X")],
	},
	{ name: "kill ring: ctrl+w then ctrl+y", steps: [...type("one two three"), ...keys(CTRL_W, CTRL_Y)] },
	{
		name: "kill ring: consecutive kills accumulate",
		steps: [...type("one two three"), ...keys(CTRL_W, CTRL_W, END, CTRL_Y)],
	},
	{
		name: "kill ring: alt+y rotates",
		steps: [
			...type("alpha beta"),
			...keys(CTRL_W),
			...type(" gamma"),
			...keys(HOME, CTRL_K, CTRL_Y, ALT_Y, ALT_Y, ALT_Y),
		],
	},
	{ name: "kill ring: alt+y without yank does nothing", steps: [...type("one two"), ...keys(CTRL_W, ALT_Y)] },
	{
		name: "kill ring: multi-line yank-pop",
		steps: [
			...type("first"),
			...keys("\x1b\r"),
			...type("second"),
			...keys(CTRL_U, UP, END, "\x1b\r", CTRL_U),
			...type("x y"),
			...keys(CTRL_W, CTRL_Y, ALT_Y, ALT_Y),
		],
	},
	{
		name: "kill ring: ctrl+u and ctrl+k across lines",
		steps: [...type("ab"), ...keys("\x1b\r"), ...type("cd"), ...keys(CTRL_A, CTRL_U, CTRL_U, CTRL_Y)],
	},
	{
		name: "kill ring: alt+d forward word",
		steps: [...type("one two three"), ...keys(HOME, ALT_D, ALT_D, END, CTRL_Y)],
	},
	{ name: "undo: words are units", steps: [...type("hello world again"), ...keys(UNDO)] },
	{ name: "undo: spaces one at a time", steps: [...type("a  b"), ...keys(UNDO, UNDO)] },
	{
		name: "undo: cursor movement starts a new unit",
		steps: [...type("abc"), ...keys(LEFT), ...type("d"), ...keys(RIGHT), ...type("e"), ...keys(UNDO)],
	},
	{
		name: "undo: no empty steps for no-op deletes",
		steps: [...type("ab"), ...keys(HOME, BACKSPACE, BACKSPACE, END, DELETE, UNDO)],
	},
	{
		name: "undo: after ctrl+w, ctrl+k, yank",
		steps: [...type("one two"), ...keys(CTRL_W, UNDO, HOME, CTRL_K, UNDO, CTRL_Y, UNDO)],
	},
	{
		name: "undo leaves history browsing",
		steps: [...history("from history"), ...type("typed"), ...keys(CTRL_U, UP, UNDO, UP)],
	},
	{ name: "undo: paste is one unit", steps: [...type("x"), paste("pasted text"), ...keys(UNDO)] },
	{ name: "jump: ctrl+] then a character", steps: [...type("abcabc"), ...keys(HOME, JUMP, "c"), ...type("X")] },
	{ name: "jump: backwards", steps: [...type("abcabc"), ...keys(JUMP_BACK, "a"), ...type("X")] },
	{ name: "jump: a second ctrl+] cancels", steps: [...type("abcabc"), ...keys(HOME, JUMP, JUMP), ...type("c")] },
	{ name: "jump: escape cancels", steps: [...type("abc"), ...keys(HOME, JUMP, "\x1b"), ...type("x")] },
	{ name: "jump: not found stays", steps: [...type("abc"), ...keys(HOME, JUMP, "z"), ...type("x")] },
	{
		name: "sticky column through a shorter line",
		steps: [
			...type("long line here"),
			...keys("\x1b\r"),
			...type("ab"),
			...keys("\x1b\r"),
			...type("another long one"),
			...keys(UP, UP, DOWN, DOWN),
			...type("X"),
		],
	},
	{
		name: "sticky column reset by horizontal moves",
		steps: [
			...type("long line here"),
			...keys("\x1b\r"),
			...type("ab"),
			...keys("\x1b\r"),
			...type("another long"),
			...keys(UP, LEFT, UP),
			...type("X"),
		],
	},
	{
		name: "sticky column reset by typing and ctrl+a/e",
		steps: [
			...type("long line here"),
			...keys("\x1b\r"),
			...type("ab"),
			...keys(CTRL_E, UP),
			...type("X"),
			...keys(CTRL_A, DOWN),
			...type("Y"),
		],
	},
	{
		name: "up/down through wrapped lines",
		width: 12,
		steps: [
			...type("a long line that wraps a few times here"),
			...keys(UP, UP),
			...type("X"),
			...keys(DOWN),
			...type("Y"),
		],
	},
	{
		name: "word moves",
		steps: [
			...type("foo.bar baz-qux  end"),
			...keys(WORD_LEFT, WORD_LEFT),
			...type("|"),
			...keys(WORD_RIGHT),
			...type("^"),
		],
	},
	{ name: "word delete with punctuation", steps: [...type("path/to/file.ts done"), ...keys(CTRL_W, CTRL_W, CTRL_W)] },
	{ name: "large paste becomes a marker", steps: [...type("before "), paste(BIG), ...type(" after")] },
	{
		name: "paste marker is one unit for arrows",
		steps: [paste(BIG), ...type("x"), ...keys(LEFT, LEFT), ...type("<"), ...keys(RIGHT, RIGHT), ...type(">")],
	},
	{
		name: "paste marker is one unit for backspace and delete",
		steps: [...type("a"), paste(BIG), ...type("b"), ...keys(LEFT, BACKSPACE), ...keys(HOME, RIGHT, DELETE)],
	},
	{
		name: "paste marker is one word",
		steps: [...type("a "), paste(BIG), ...type(" b"), ...keys(WORD_LEFT, WORD_LEFT), ...type("|"), ...keys(CTRL_W)],
	},
	{ name: "paste marker submitted expanded", steps: [paste(BIG), ...keys(ENTER)] },
	{ name: "marker-like typed text is plain text", steps: [...type("[paste #1 +12 lines]"), ...keys(LEFT, BACKSPACE)] },
	{ name: "multi-line paste normalizes line endings", steps: [paste("a\r\nb\rc"), ...type("!")] },
	{
		name: "unicode: emoji and umlauts are single steps",
		steps: [...type("äö😀x"), ...keys(LEFT, LEFT, BACKSPACE), ...type("ü")],
	},
	{ name: "rendered rows are padded to the width", width: 20, steps: type("short") },
	{ name: "rendered wrap of wide characters", width: 10, steps: type("中文字符测试更多文字") },
];

const WIDTH = 40;

function ours(testCase: EditorCase): EditorResult {
	const editor = new Editor({ terminalRows: () => 24 });
	editor.focused = true;
	const submitted: string[] = [];
	editor.onSubmit = (text) => submitted.push(text);
	for (const step of testCase.steps) {
		if ("key" in step) editor.handleInput(step.key);
		else if ("history" in step) editor.addToHistory(step.history);
		else editor.setText(step.setText);
	}
	return {
		text: editor.getText(),
		cursor: editor.getCursor(),
		submitted,
		lines: editor.render(testCase.width ?? WIDTH),
	};
}

/** Rows as seen on screen: styles and cursor markers removed. */
function screen(lines: string[]): string[] {
	return lines.map((line) =>
		stripAnsi(
			line
				.split(CURSOR_MARKER)
				.join("")
				// biome-ignore lint/suspicious/noControlCharactersInRegex: pi's fake-cursor markers
				.replace(/\x1b_pi:\/?fc\x07/g, ""),
		),
	);
}

describe.skipIf(!referencePi160())("the editor side by side with pi 1.6.0's", () => {
	const cases = CASES.map((c) => ({ ...c, width: c.width ?? WIDTH }));
	const pi = runPiTui({ editors: cases });
	for (const [index, testCase] of cases.entries()) {
		test(testCase.name, () => {
			const theirs = pi?.editors[index];
			const mine = ours(testCase);
			expect({ ...mine, lines: screen(mine.lines) }).toEqual({
				text: theirs?.text ?? "",
				cursor: theirs?.cursor ?? { line: 0, col: 0 },
				submitted: theirs?.submitted ?? [],
				lines: screen(theirs?.lines ?? []),
			});
		});
	}
});
