// Regular mode in a terminal that keeps the cursor on its character when it reflows (tmux): while the transcript
// streams, the cursor rests at the start of the first row the next frame rewrites, so a frame the terminal reads
// after a reflow it was not drawn for starts on the right row (the resize itself: test/e2e/scrollback-tmux.test.ts).
import { describe, expect, test } from "bun:test";
import { type Component, CURSOR_MARKER } from "../../src/tui/component.ts";
import { TUI } from "../../src/tui/tui.ts";
import { settleUntil, VirtualTerminal } from "../support/virtual-terminal.ts";

class Lines implements Component {
	constructor(public lines: string[] = []) {}
	render(): string[] {
		return this.lines;
	}
}

/** An editor-like dock: full-width borders around the row with the cursor. */
class Dock implements Component {
	render(width: number): string[] {
		return ["⠋ Working...", "─".repeat(width), `> ${CURSOR_MARKER}`, "─".repeat(width), "footer"];
	}
}

class TmuxLikeTerminal extends VirtualTerminal {
	readonly reflowKeepsCursor = true;
}

function setup(terminal: VirtualTerminal) {
	const tui = new TUI(terminal);
	const body = new Lines();
	tui.addChild(body);
	const dock = new Dock();
	tui.dock.addChild(dock);
	tui.setFocus(dock);
	tui.start();
	return { tui, body };
}

describe("regular mode while the transcript streams", () => {
	test("frames start where the cursor rests, with no move up; the cursor goes back to the editor after", async () => {
		const terminal = new TmuxLikeTerminal(40, 12);
		const { tui, body } = setup(terminal);
		const lines: string[] = [];
		const frames: string[] = [];
		for (let i = 0; i < 30; i++) {
			lines.push(`line ${i} the quick brown fox`);
			body.lines = [...lines, `line ${i + 1} the`];
			terminal.resetCounters();
			tui.requestRender();
			await terminal.settle();
			frames.push(terminal.writes.join(""));
		}
		// From the second streamed frame on, each one begins at the row the cursor rests on (a move up first would be
		// counted in rows a reflow may have split), with autowrap off for the rows it goes back up over.
		for (const frame of frames.slice(2)) {
			const start = frame.startsWith("\x1b[?2026h") ? frame.slice("\x1b[?2026h".length) : frame;
			expect(/^\[\d+A/.test(start.slice(1)) && start.startsWith("\x1b")).toBe(false);
			// Nor anywhere before its first cleared row (behind a carriage return or a cursor-hide, say).
			// biome-ignore lint/suspicious/noControlCharactersInRegex: a cursor-up escape sequence
			expect(/\x1b\[\d*[AF]/.test(frame.split("\x1b[2K")[0] ?? "")).toBe(false);
			expect(frame).toContain("\x1b[?7l");
			expect(frame.endsWith("\x1b[?7h") || frame.endsWith("\x1b[?7h\x1b[?2026l")).toBe(true);
		}
		expect(terminal.getAllLines().filter((line) => line.startsWith("line "))).toEqual([...lines, "line 30 the"]);
		// The cursor rests on the first row the last frame changed, and is back after the editor's prompt once it stops.
		expect(terminal.getViewport()[terminal.getCursor().row]).toBe("line 29 the quick brown fox");
		await settleUntil(terminal, () => terminal.getViewport()[terminal.getCursor().row]?.trim() === ">");
		expect(terminal.getCursor().col).toBe(2);
		tui.stop();
	});

	test("other terminals (xterm.js moves the cursor in a reflow) keep the cursor at the editor", async () => {
		const terminal = new VirtualTerminal(40, 12);
		const { tui, body } = setup(terminal);
		for (let i = 0; i < 20; i++) {
			body.lines = Array.from({ length: i + 1 }, (_, n) => `line ${n}`);
			tui.requestRender();
			await terminal.settle();
			expect(terminal.getViewport()[terminal.getCursor().row]?.trim()).toBe(">");
		}
		tui.stop();
	});
});
