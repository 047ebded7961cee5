import { describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import type { Component } from "../../src/tui/component.ts";
import { Box } from "../../src/tui/components/box.ts";
import { Editor } from "../../src/tui/components/editor.ts";
import { Text } from "../../src/tui/components/text.ts";
import { ProcessTerminal, type TerminalInput, type TerminalOutput } from "../../src/tui/terminal.ts";
import { stripAnsi, visibleWidth } from "../../src/tui/text-utils.ts";
import { bgColor } from "../../src/tui/theme.ts";
import { TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

describe("focus reports", () => {
	test("ESC[I / ESC[O reach onInput as focus_in / focus_out and are never typed into the editor", async () => {
		const terminal = new VirtualTerminal(40, 10);
		const tui = new TUI(terminal);
		const editor = new Editor({ terminalRows: () => terminal.rows });
		tui.addChild(editor);
		const keys: string[] = [];
		const changes: boolean[] = [];
		tui.onInput = (key) => {
			keys.push(key);
			return false;
		};
		tui.onFocusChange = (focused) => changes.push(focused);
		tui.start();
		tui.setFocus(editor);
		terminal.sendInput("a\x1b[Ob");
		terminal.sendInput("\x1b[I");
		await terminal.settle();
		expect(keys).toEqual(["a", "focus_out", "b", "focus_in"]);
		expect(changes).toEqual([false, true]);
		expect(tui.terminalFocused).toBe(true);
		expect(editor.getText()).toBe("ab");
		tui.stop();
	});

	test("ProcessTerminal turns focus reporting on at start and off at stop", () => {
		const input = Object.assign(new EventEmitter(), {
			isTTY: false,
			setEncoding() {},
			resume() {},
			pause() {},
		}) satisfies TerminalInput;
		const output = Object.assign(new EventEmitter(), {
			written: "",
			write(data: string) {
				output.written += data;
				return true;
			},
		}) satisfies TerminalOutput;
		const terminal = new ProcessTerminal(input, output, false);
		terminal.start(
			() => {},
			() => {},
		);
		expect(output.written).toContain("\x1b[?1004h");
		expect(output.written).not.toContain("\x1b[?1004l");
		terminal.stop();
		expect(output.written.endsWith("\x1b[?25h")).toBe(true);
		expect(output.written).toContain("\x1b[?1004l");
	});
});

describe("synchronized output", () => {
	test("PI_NO_SYNC_OUTPUT=1 keeps frames unwrapped even on a terminal that has the mode", async () => {
		const saved = process.env.PI_NO_SYNC_OUTPUT;
		process.env.PI_NO_SYNC_OUTPUT = "1";
		try {
			const terminal = new VirtualTerminal(20, 5);
			const tui = new TUI(terminal);
			const text = new Text("one", 0);
			tui.addChild(text);
			tui.start();
			await terminal.settle();
			await terminal.settle();
			text.setText("two");
			tui.requestRender();
			await terminal.settle();
			expect(tui.synchronizedOutput).toBe(false);
			expect(terminal.writes.join("")).not.toContain("\x1b[?2026h");
			expect(terminal.getViewport()[0]).toBe("two");
			tui.stop();
		} finally {
			if (saved === undefined) delete process.env.PI_NO_SYNC_OUTPUT;
			else process.env.PI_NO_SYNC_OUTPUT = saved;
		}
	});
});

describe("resize", () => {
	test("a burst of resize events is waited out, then drawn once with the final size", async () => {
		const terminal = new VirtualTerminal(40, 10);
		const tui = new TUI(terminal);
		const seen: number[] = [];
		const counter: Component = {
			render: (width) => {
				seen.push(width);
				return [`width ${width}`];
			},
		};
		tui.addChild(counter);
		tui.start();
		await terminal.settle();
		seen.length = 0;
		for (let columns = 39; columns >= 30; columns--) terminal.resize(columns, 10);
		await terminal.settle();
		const deadline = Date.now() + 3000;
		while (!terminal.getViewport().includes("width 30") && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 10));
			await terminal.settle();
		}
		expect(terminal.getViewport()[0]).toBe("width 30");
		// No frame was drawn for the sizes in between.
		expect(seen.filter((width) => width !== 30)).toEqual([]);
		tui.stop();
	});
});

describe("Box", () => {
	const background = (text: string) => bgColor("#203040", text);

	test("padding around the children, every line filled to the width with the background", () => {
		const box = new Box(2, 1, background);
		box.addChild(new Text("hello world", 0));
		const lines = box.render(12);
		expect(lines.map(stripAnsi)).toEqual(["            ", "  hello     ", "  world     ", "            "]);
		for (const line of lines) {
			expect(visibleWidth(line)).toBe(12);
			expect(line.startsWith("\x1b[48;2;32;48;64m")).toBe(true);
		}
	});

	test("a reset inside a child's line does not end the background early", () => {
		const box = new Box(0, 0, background);
		box.addChild(new Text("\x1b[1mbold\x1b[0m rest", 0));
		const [line] = box.render(10);
		expect(line).toContain("\x1b[0m\x1b[48;2;32;48;64m rest");
	});

	test("no children: nothing; a new background redraws even though the children did not change", () => {
		const box = new Box(1, 0, background);
		expect(box.render(10)).toEqual([]);
		box.addChild(new Text("x", 0));
		const first = box.render(10);
		box.setBackground((text) => bgColor("#ff0000", text));
		const second = box.render(10);
		expect(second[0]).not.toBe(first[0]);
		expect(second[0]).toContain("\x1b[48;2;255;0;0m");
		box.setBackground(undefined);
		expect(box.render(10)).toEqual([" x        "]);
	});
});
