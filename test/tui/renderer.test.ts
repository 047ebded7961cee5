import { describe, expect, test } from "bun:test";
import { type Component, CURSOR_MARKER, type Focusable } from "../../src/tui/component.ts";
import { Text } from "../../src/tui/components/text.ts";
import { Container, TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

/** A component whose lines the test controls directly. */
class Lines implements Component {
	constructor(public lines: string[] = []) {}
	render(): string[] {
		return this.lines;
	}
}

function setup(columns = 40, rows = 10) {
	const terminal = new VirtualTerminal(columns, rows);
	const tui = new TUI(terminal);
	const body = new Lines();
	tui.addChild(body);
	tui.start();
	return { terminal, tui, body };
}

describe("differential renderer", () => {
	test("1,000 appended lines then a resize: every line present exactly once, in order", async () => {
		const { terminal, tui, body } = setup(40, 10);
		const expected: string[] = [];
		for (let batch = 0; batch < 100; batch++) {
			for (let i = 0; i < 10; i++) expected.push(`line ${batch * 10 + i}`);
			body.lines = [...expected];
			tui.requestRender();
			await terminal.settle();
		}
		expect(terminal.getAllLines()).toEqual(expected);
		terminal.resize(30, 7);
		await terminal.settle();
		expect(terminal.getAllLines()).toEqual(expected);
		expect(terminal.getViewport()).toEqual(expected.slice(-7));
	});

	test("shrinking content blanks the rows that are no longer used", async () => {
		const { terminal, tui, body } = setup(20, 10);
		body.lines = ["a", "b", "c", "d"];
		tui.requestRender();
		await terminal.settle();
		body.lines = ["a", "x"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport().slice(0, 4)).toEqual(["a", "x", "", ""]);
		body.lines = ["a", "x", "y", "z", "w"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport().slice(0, 6)).toEqual(["a", "x", "y", "z", "w", ""]);
	});

	test("only changed lines are rewritten", async () => {
		const { terminal, tui, body } = setup(80, 24);
		const transcript = Array.from({ length: 200 }, (_, i) => `message line ${i} with some text`);
		body.lines = [...transcript, "streaming: hel"];
		tui.requestRender();
		await terminal.settle();
		terminal.resetCounters();
		body.lines = [...transcript, "streaming: hello"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.writes.length).toBe(1);
		expect(terminal.writes[0]).toContain("streaming: hello");
		expect(terminal.writes[0]).not.toContain("message line");
		expect(terminal.bytesWritten).toBeLessThan(80);
		expect(terminal.getViewport().at(-1)).toBe("streaming: hello");
	});

	test("no change writes nothing; once the terminal reports synchronized output, frames are wrapped in it", async () => {
		const { terminal, tui, body } = setup();
		// The terminal's answer to the mode query arrives with the first frame.
		await terminal.settle();
		await terminal.settle();
		expect(tui.synchronizedOutput).toBe(true);
		body.lines = ["one", "two"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.writes.at(-1)?.startsWith("\x1b[?2026h")).toBe(true);
		expect(terminal.writes.at(-1)?.endsWith("\x1b[?2026l")).toBe(true);
		terminal.resetCounters();
		tui.requestRender();
		await terminal.settle();
		expect(terminal.bytesWritten).toBe(0);
	});

	test("a terminal that does not answer the query gets no synchronized-output markers", async () => {
		const terminal = new VirtualTerminal(20, 5);
		terminal.answerQueries = false;
		const tui = new TUI(terminal);
		const body = new Lines(["one"]);
		tui.addChild(body);
		tui.start();
		await terminal.settle();
		await terminal.settle();
		body.lines = ["two"];
		tui.requestRender();
		await terminal.settle();
		expect(tui.synchronizedOutput).toBe(false);
		expect(terminal.writes.join("")).not.toContain("\x1b[?2026h");
		expect(terminal.getViewport()[0]).toBe("two");
	});

	test("renders requested in one tick are coalesced into one frame", async () => {
		const { terminal, tui, body } = setup();
		await terminal.settle();
		terminal.resetCounters();
		for (let i = 0; i < 5; i++) {
			body.lines = [`frame ${i}`];
			tui.requestRender();
		}
		await terminal.settle();
		expect(terminal.writes.length).toBe(1);
		expect(terminal.getViewport()[0]).toBe("frame 4");
	});

	test("a change above the screen never touches the scrollback; the screen continues after its last row", async () => {
		const { terminal, tui, body } = setup(20, 5);
		const original = Array.from({ length: 12 }, (_, i) => `row ${i}`);
		body.lines = original;
		tui.requestRender();
		await terminal.settle();
		// A row in the scrollback changes: nothing on screen changes, nothing is written.
		terminal.resetCounters();
		body.lines = original.map((line, i) => (i === 1 ? "row 1 edited" : line));
		tui.requestRender();
		await terminal.settle();
		expect(terminal.bytesWritten).toBe(0);
		expect(terminal.getAllLines()).toEqual(original);
		// A row appears above the screen: the screen keeps showing what followed the scrollback; no row is repeated.
		const redraws = tui.fullRedraws;
		body.lines = [...original.slice(0, 2), "inserted", ...original.slice(2), "row 12"];
		tui.requestRender();
		await terminal.settle();
		expect(tui.fullRedraws).toBe(redraws + 1);
		expect(terminal.getAllLines()).toEqual([...original, "row 12"]);
		// Rows appended later still follow in order.
		body.lines = [...body.lines, "row 13", "row 14"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getAllLines()).toEqual([...original, "row 12", "row 13", "row 14"]);
	});

	test("starting below existing shell output: shell lines scroll away first, nothing is lost or duplicated", async () => {
		const terminal = new VirtualTerminal(20, 10);
		terminal.write("$ shell 1\r\n$ shell 2\r\n$ shell 3\r\n$ shell 4\r\n$ pi\r\n");
		const tui = new TUI(terminal);
		const body = new Lines();
		tui.addChild(body);
		tui.start();
		// 8 lines from screen row 5 on a 10-row screen: three shell lines scroll off, all content stays visible.
		body.lines = Array.from({ length: 8 }, (_, i) => `row ${i}`);
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport()).toEqual(["$ shell 4", "$ pi", ...body.lines]);
		const redraws = tui.fullRedraws;
		body.lines = body.lines.map((line, i) => (i === 0 ? "row 0 edited" : line));
		tui.requestRender();
		await terminal.settle();
		expect(tui.fullRedraws).toBe(redraws);
		expect(terminal.getViewport()).toEqual(["$ shell 4", "$ pi", ...body.lines]);
		body.lines = [...body.lines, "row 8", "row 9", "row 10"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport()).toEqual(body.lines.slice(1));
		// Row 1 (top of the screen) is still editable in place.
		body.lines = body.lines.map((line, i) => (i === 1 ? "row 1 edited" : line));
		tui.requestRender();
		await terminal.settle();
		expect(tui.fullRedraws).toBe(redraws);
		const shell = ["$ shell 1", "$ shell 2", "$ shell 3", "$ shell 4", "$ pi"];
		expect(terminal.getAllLines()).toEqual([...shell, ...body.lines]);
	});

	test("lines wider than the terminal are truncated; wide characters stay aligned", async () => {
		const { terminal, tui, body } = setup(10, 5);
		body.lines = ["0123456789ABCDEF", "中文字符测试更多", "😀😀x", "ab|"];
		tui.requestRender();
		await terminal.settle();
		const view = terminal.getViewport();
		expect(view[0]).toBe("0123456789");
		expect(view[1]).toBe("中文字符测");
		expect(view[2]).toBe("😀😀x");
		// The column after two emoji (4 cells) holds the x.
		expect(terminal.getCell(2, 4)?.getChars()).toBe("x");
		expect(view[3]).toBe("ab|");
		expect(terminal.getAllLines().length).toBe(5);
	});

	test("newlines and tabs inside a line cannot break the row bookkeeping", async () => {
		const { terminal, tui, body } = setup(20, 5);
		body.lines = ["a\nb", "c\td", "e"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport().slice(0, 4)).toEqual(["a b", "c   d", "e", ""]);
	});

	test("styles are closed at the end of every line", async () => {
		const { terminal, tui, body } = setup(20, 5);
		body.lines = ["\x1b[1;31mred bold never closed", "plain"];
		tui.requestRender();
		await terminal.settle();
		const red = terminal.getCell(0, 0);
		expect(red?.isBold()).toBeTruthy();
		const plain = terminal.getCell(1, 0);
		expect(plain?.isBold()).toBe(0);
		expect(plain?.isFgDefault()).toBe(true);
	});

	test("the hardware cursor is moved to the cursor marker and the marker is not printed", async () => {
		const { terminal, tui, body } = setup(20, 5);
		tui.showHardwareCursor = true;
		body.lines = ["header", `ab中${CURSOR_MARKER}cd`, "footer"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport().slice(0, 3)).toEqual(["header", "ab中cd", "footer"]);
		expect(terminal.getCursor()).toEqual({ row: 1, col: 4 });
		// Next frame starts from the cursor row and still lands correctly.
		body.lines = ["header", `ab中${CURSOR_MARKER}cd`, "footer", "more"];
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport().slice(0, 4)).toEqual(["header", "ab中cd", "footer", "more"]);
		expect(terminal.getCursor()).toEqual({ row: 1, col: 4 });
		terminal.resetCounters();
		tui.requestRender();
		await terminal.settle();
		expect(terminal.bytesWritten).toBe(0);
	});

	test("stop leaves the cursor below the content", async () => {
		const { terminal, tui, body } = setup(20, 10);
		body.lines = ["a", `b${CURSOR_MARKER}`, "c"];
		tui.requestRender();
		await terminal.settle();
		tui.stop();
		await terminal.flush();
		expect(terminal.getCursor()).toEqual({ row: 3, col: 0 });
		expect(terminal.cursorHidden).toBe(false);
	});
});

describe("input routing and overlays", () => {
	class Recorder implements Component, Focusable {
		focused = false;
		received: string[] = [];
		constructor(private label: string) {}
		render(): string[] {
			return [this.label];
		}
		handleInput(data: string): void {
			this.received.push(data);
		}
	}

	test("input is split into keys and goes to the focused component; onInput can consume", async () => {
		const terminal = new VirtualTerminal(20, 5);
		const tui = new TUI(terminal);
		const editor = new Recorder("editor");
		tui.addChild(editor);
		tui.start();
		tui.setFocus(editor);
		expect(editor.focused).toBe(true);
		tui.onInput = (data) => data === "\x03";
		terminal.sendInput("ab\x1b[A\x03\r");
		expect(editor.received).toEqual(["a", "b", "\x1b[A", "\r"]);
	});

	test("split escape sequences are reassembled; kitty key releases are dropped", async () => {
		const terminal = new VirtualTerminal(20, 5);
		const tui = new TUI(terminal);
		const editor = new Recorder("editor");
		tui.addChild(editor);
		tui.start();
		tui.setFocus(editor);
		await terminal.settle();
		terminal.sendInput("\x1b[1;5");
		terminal.sendInput("C");
		terminal.sendInput("\x1b[97;1:3u");
		terminal.sendInput("\x1b[200~pasted");
		terminal.sendInput(" text\x1b[201~");
		expect(editor.received).toEqual(["\x1b[1;5C", "\x1b[200~pasted text\x1b[201~"]);
		terminal.sendInput("\x1b");
		await new Promise((resolve) => setTimeout(resolve, 30));
		expect(editor.received.at(-1)).toBe("\x1b");
	});

	test("an overlay is drawn over the rows it covers, takes focus, and hiding gives focus back", async () => {
		const terminal = new VirtualTerminal(20, 6);
		const tui = new TUI(terminal);
		const chat = new Container();
		chat.addChild(new Text("chat", 0));
		const editorArea = new Container();
		const editor = new Recorder("editor");
		editorArea.addChild(editor);
		tui.addChild(chat);
		tui.addChild(editorArea);
		tui.addChild(new Text("footer", 0));
		tui.start();
		tui.setFocus(editor);
		await terminal.settle();
		const selector = new Recorder("selector");
		const overlay = tui.showOverlay(selector, { anchor: "top-left", width: 8, row: 1 });
		await terminal.settle();
		// Drawn over the second row without moving anything; the rest of the row shows through.
		expect(terminal.getViewport().slice(0, 3)).toEqual(["chat", "selector", "footer"]);
		terminal.sendInput("x");
		expect(selector.received).toEqual(["x"]);
		expect(editor.focused).toBe(false);
		overlay.hide();
		await terminal.settle();
		expect(terminal.getViewport().slice(0, 3)).toEqual(["chat", "editor", "footer"]);
		expect(tui.getFocus()).toBe(editor);
		expect(editor.focused).toBe(true);
	});
});
