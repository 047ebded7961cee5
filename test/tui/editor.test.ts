import { describe, expect, test } from "bun:test";
import { CURSOR_MARKER } from "../../src/tui/component.ts";
import { Editor } from "../../src/tui/components/editor.ts";
import { splitInput } from "../../src/tui/input-split.ts";
import { stripAnsi, visibleWidth } from "../../src/tui/text-utils.ts";

function type(editor: Editor, data: string): void {
	for (const key of splitInput(data)) editor.handleInput(key);
}

function newEditor(): { editor: Editor; submitted: string[] } {
	const editor = new Editor({ terminalRows: () => 24 });
	editor.focused = true;
	const submitted: string[] = [];
	editor.onSubmit = (text) => submitted.push(text);
	return { editor, submitted };
}

const LEFT = "\x1b[D";
const RIGHT = "\x1b[C";
const UP = "\x1b[A";
const DOWN = "\x1b[B";

describe("Editor", () => {
	test("typing, enter submits trimmed text and clears", () => {
		const { editor, submitted } = newEditor();
		const changes: string[] = [];
		editor.onChange = (text) => changes.push(text);
		type(editor, "  hello world ");
		expect(editor.getText()).toBe("  hello world ");
		type(editor, "\r");
		expect(submitted).toEqual(["hello world"]);
		expect(editor.getText()).toBe("");
		expect(changes.at(-1)).toBe("");
		expect(changes).toContain("  hello");
	});

	test("newline via shift+enter (kitty and legacy forms), alt+enter, LF and backslash-enter", () => {
		const { editor, submitted } = newEditor();
		type(editor, "a\x1b[13;2ub\x1b\rc\nd\\\re");
		expect(editor.getText()).toBe("a\nb\nc\nd\ne");
		expect(submitted).toEqual([]);
	});

	test("disableSubmit keeps the text", () => {
		const { editor, submitted } = newEditor();
		editor.disableSubmit = true;
		type(editor, "x\r");
		expect(submitted).toEqual([]);
		expect(editor.getText()).toBe("x");
	});

	test("cursor movement, home/end, insertion in the middle, wide characters", () => {
		const { editor } = newEditor();
		type(editor, "ac");
		type(editor, `${LEFT}b`);
		expect(editor.getText()).toBe("abc");
		type(editor, "\x01>"); // ctrl+a
		type(editor, "\x05<"); // ctrl+e
		expect(editor.getText()).toBe(">abc<");
		editor.setText("中👍🏽x");
		type(editor, `${LEFT}${LEFT}\x7f`);
		expect(editor.getText()).toBe("👍🏽x");
		type(editor, `${RIGHT}!`);
		expect(editor.getText()).toBe("👍🏽!x");
	});

	test("word moves and word deletion", () => {
		const { editor } = newEditor();
		type(editor, "foo bar.baz qux");
		type(editor, "\x17"); // ctrl+w
		expect(editor.getText()).toBe("foo bar.baz ");
		type(editor, "\x17");
		expect(editor.getText()).toBe("foo bar.");
		type(editor, "\x1bb"); // alt+b: before "." (punctuation is its own word)
		type(editor, "\x1bb");
		type(editor, "\x1b[1;3D"); // alt+left
		type(editor, "X");
		expect(editor.getText()).toBe("Xfoo bar.");
		type(editor, "\x1bd"); // alt+d deletes "foo"
		expect(editor.getText()).toBe("X bar.");
		type(editor, "\x1b[1;5C_"); // ctrl+right to end of "bar"
		expect(editor.getText()).toBe("X bar_.");
	});

	test("ctrl+k / ctrl+u kill, ctrl+y yanks, consecutive kills accumulate", () => {
		const { editor } = newEditor();
		type(editor, "one two three");
		type(editor, "\x17\x17"); // kills "three" then "two "
		type(editor, "\x19"); // ctrl+y
		expect(editor.getText()).toBe("one two three");
		type(editor, "\x01\x0b"); // ctrl+a, ctrl+k
		expect(editor.getText()).toBe("");
		type(editor, "\x19");
		expect(editor.getText()).toBe("one two three");
		type(editor, "\x15");
		expect(editor.getText()).toBe("");
	});

	test("undo restores previous states word by word", () => {
		const { editor } = newEditor();
		type(editor, "hello world");
		type(editor, "\x1f"); // ctrl+-
		expect(editor.getText()).toBe("hello");
		type(editor, "\x1f");
		expect(editor.getText()).toBe("");
		type(editor, "abc\x17");
		expect(editor.getText()).toBe("");
		type(editor, "\x1b[45;5u"); // kitty ctrl+-
		expect(editor.getText()).toBe("abc");
	});

	test("history: up on empty recalls newest first, down returns to empty", () => {
		const { editor } = newEditor();
		editor.addToHistory("first");
		editor.addToHistory("second");
		editor.addToHistory("second");
		type(editor, UP);
		expect(editor.getText()).toBe("second");
		type(editor, UP);
		expect(editor.getText()).toBe("first");
		type(editor, UP);
		expect(editor.getText()).toBe("first");
		type(editor, DOWN);
		expect(editor.getText()).toBe("second");
		type(editor, DOWN);
		expect(editor.getText()).toBe("");
		// A recalled prompt opens with the cursor at its start (so Up goes on browsing); editing it leaves browsing.
		type(editor, `${UP}\x05\x7f${DOWN}`);
		expect(editor.getText()).toBe("secon");
	});

	test("up/down move between lines when not browsing history", () => {
		const { editor } = newEditor();
		editor.addToHistory("old");
		type(editor, "abcdef\x1b[13;2u12");
		type(editor, `${UP}X`);
		expect(editor.getText()).toBe("abXcdef\n12");
		type(editor, `${DOWN}${DOWN}Y`);
		expect(editor.getText()).toBe("abXcdef\n12Y");
	});

	test("small pastes are inserted; large pastes become markers expanded on submit", () => {
		const { editor, submitted } = newEditor();
		type(editor, "\x1b[200~a\r\nb\tc\x1b[201~");
		expect(editor.getText()).toBe("a\nb    c");
		editor.setText("");
		const big = Array.from({ length: 12 }, (_, i) => `line ${i}`).join("\n");
		type(editor, `see \x1b[200~${big}\x1b[201~ end`);
		expect(editor.getText()).toBe("see [paste #1 +12 lines] end");
		type(editor, `\x1b[200~${"x".repeat(1500)}\x1b[201~`);
		expect(editor.getText()).toBe("see [paste #1 +12 lines] end[paste #2 1500 chars]");
		// The marker is deleted as a unit.
		type(editor, "\x7f");
		expect(editor.getText()).toBe("see [paste #1 +12 lines] end");
		type(editor, "\r");
		expect(submitted).toEqual([`see ${big} end`]);
	});

	test("pasted paths get a space after a word; csi-u encoded control bytes in pastes are decoded", () => {
		const { editor } = newEditor();
		type(editor, "look\x1b[200~/tmp/file.png\x1b[201~");
		expect(editor.getText()).toBe("look /tmp/file.png");
		editor.setText("");
		type(editor, "\x1b[200~a\x1b[106;5ub\x1b[201~");
		expect(editor.getText()).toBe("a\nb");
	});

	test("render: borders, cursor marker, wrapping to width, no line wider than width", () => {
		const { editor } = newEditor();
		type(editor, "hello 世界 this is a long line that wraps");
		const lines = editor.render(20);
		expect(stripAnsi(lines[0] ?? "")).toBe("─".repeat(20));
		expect(stripAnsi(lines.at(-1) ?? "")).toBe("─".repeat(20));
		for (const line of lines) expect(visibleWidth(line)).toBeLessThanOrEqual(20);
		const body = lines.slice(1, -1).map((line) => stripAnsi(line.replace(CURSOR_MARKER, "")).trimEnd());
		expect(body.join(" ").replace(/\s+/g, " ").trim()).toBe("hello 世界 this is a long line that wraps");
		expect(body.length).toBeGreaterThan(2);
		expect(lines.filter((line) => line.includes(CURSOR_MARKER)).length).toBe(1);
		editor.focused = false;
		expect(editor.render(20).some((line) => line.includes(CURSOR_MARKER))).toBe(false);
	});

	test("render scrolls with more-lines indicators", () => {
		const { editor } = newEditor();
		editor.setText(Array.from({ length: 20 }, (_, i) => `l${i}`).join("\n"));
		const lines = editor.render(30).map(stripAnsi);
		expect(lines.length).toBe(9); // max(5, 30% of 24 rows) = 7 + 2 borders
		expect(lines[0]).toContain("↑ 13 more");
		expect(lines.at(-2)?.replace(CURSOR_MARKER, "").trim()).toBe("l19");
	});

	test("ctrl+] jumps to the next occurrence of a character", () => {
		const { editor } = newEditor();
		type(editor, "abc:def");
		type(editor, "\x01\x1d:X");
		expect(editor.getText()).toBe("abcX:def");
	});
});
