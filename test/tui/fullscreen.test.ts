import { describe, expect, test } from "bun:test";
import type { Component } from "../../src/tui/component.ts";
import { Container } from "../../src/tui/container.ts";
import type { AltScreenOptions } from "../../src/tui/screens/alt-screen.ts";
import { TUI } from "../../src/tui/tui.ts";
import { settleUntil, VirtualTerminal } from "../support/virtual-terminal.ts";

/** A leaf of fixed lines that counts how often it is rendered. */
class Block implements Component {
	renders = 0;
	promptMark?: boolean;
	private cache: string[];
	constructor(lines: string[], prompt = false) {
		this.cache = lines;
		if (prompt) this.promptMark = true;
	}
	set(lines: string[]): void {
		this.cache = lines;
	}
	render(): string[] {
		this.renders++;
		return this.cache;
	}
}

const mouse = (button: number, x: number, y: number, release = false) =>
	`\x1b[<${button};${x + 1};${y + 1}${release ? "m" : "M"}`;

function setup(messages: number, options: AltScreenOptions = {}, columns = 40, rows = 12) {
	const terminal = new VirtualTerminal(columns, rows);
	const tui = new TUI(terminal, { mode: "fullscreen", fullscreen: { scrollbar: "hidden", ...options } });
	const chat = new Container();
	const blocks: Block[] = [];
	for (let i = 0; i < messages; i++) {
		const block = new Block([`message ${i} first`, `message ${i} second`], i % 10 === 0);
		blocks.push(block);
		chat.addChild(block);
	}
	tui.addChild(chat);
	tui.dock.addChild(new Block(["─".repeat(columns), "editor", "footer"]));
	tui.start();
	return { terminal, tui, chat, blocks };
}

describe("fullscreen mode", () => {
	test("alternate screen with the transcript's end above the pinned dock; scrollback untouched", async () => {
		const { terminal, tui } = setup(100);
		await terminal.settle();
		expect(terminal.xterm.buffer.active.type).toBe("alternate");
		const view = terminal.getViewport();
		expect(view.slice(-3)).toEqual(["─".repeat(40), "editor", "footer"]);
		expect(view.slice(0, 9)).toEqual([
			"message 95 second",
			"message 96 first",
			"message 96 second",
			"message 97 first",
			"message 97 second",
			"message 98 first",
			"message 98 second",
			"message 99 first",
			"message 99 second",
		]);
		tui.stop();
		await terminal.flush();
		expect(terminal.xterm.buffer.active.type).toBe("normal");
		// Mouse tracking is switched off again.
		expect(terminal.writes.join("")).toContain("\x1b[?1000l");
	});

	test("only the components on screen are rendered, however long the transcript", async () => {
		const { terminal, blocks } = setup(10_000);
		await terminal.settle();
		const rendered = blocks.filter((block) => block.renders > 0).length;
		expect(rendered).toBeLessThanOrEqual(6);
		expect(blocks.at(-1)?.renders).toBeGreaterThan(0);
		expect(blocks[0]?.renders).toBe(0);
	});

	test("page keys scroll, the jump-to-latest label shows, ctrl+end follows the end again", async () => {
		const { terminal, tui, blocks } = setup(100);
		await terminal.settle();
		terminal.sendInput("\x1b[5~"); // page up: 9 rows minus the overlap of 4
		await settleUntil(terminal, () => terminal.getViewport()[0] === "message 93 first");
		expect(terminal.getViewport()[8]).toContain("Jump to latest message");
		// New output does not move a scrolled view.
		blocks[99]?.set(["message 99 first", "message 99 second", "message 99 third"]);
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport()[0]).toBe("message 93 first");
		terminal.sendInput("\x1b[1;5F"); // ctrl+end
		await settleUntil(terminal, () => terminal.getViewport()[8] === "message 99 third");
		// Top and bottom.
		terminal.sendInput("\x1b[1;5H"); // ctrl+home
		await settleUntil(terminal, () => terminal.getViewport()[0] === "message 0 first");
	});

	test("the mouse wheel scrolls; previous/next prompt jump between marked messages", async () => {
		const { terminal } = setup(100, { wheelLines: 3 });
		await terminal.settle();
		terminal.sendInput(mouse(64, 5, 3));
		await settleUntil(terminal, () => terminal.getViewport()[0] === "message 94 first");
		terminal.sendInput(mouse(65, 5, 3));
		await settleUntil(terminal, () => terminal.getViewport()[0] === "message 95 second");
		terminal.sendInput("\x1b[1;6A"); // ctrl+shift+up: the prompt above the view (message 90)
		await settleUntil(terminal, () => terminal.getViewport()[0] === "message 90 first");
		terminal.sendInput("\x1b[1;6A");
		await settleUntil(terminal, () => terminal.getViewport()[0] === "message 80 first");
		terminal.sendInput("\x1b[1;6B");
		await settleUntil(terminal, () => terminal.getViewport()[0] === "message 90 first");
	});

	test("search finds text in the whole transcript, shows n/m, moves between matches and closes", async () => {
		const { terminal } = setup(100, {}, 60, 14);
		await terminal.settle();
		terminal.sendInput("\x1b[102;6u"); // ctrl+shift+f (kitty encoding)
		await settleUntil(terminal, () => terminal.getViewport().some((line) => line.includes("┌")));
		terminal.sendInput("message 1 ");
		await settleUntil(terminal, () => terminal.getViewport().some((line) => line.includes("1/2")));
		// The view moved to the first match, far above the end.
		expect(terminal.getViewport().join("\n")).toContain("message 1 first");
		terminal.sendInput("\r");
		await settleUntil(terminal, () => terminal.getViewport().some((line) => line.includes("2/2")));
		terminal.sendInput("\x1b");
		await settleUntil(terminal, () => !terminal.getViewport().some((line) => line.includes("┌")));
	});

	test("dragging selects text; releasing copies it (copy on select)", async () => {
		const copied: string[] = [];
		const { terminal } = setup(100, { copy: (text) => void copied.push(text) });
		await terminal.settle();
		terminal.sendInput(mouse(0, 0, 1));
		terminal.sendInput(mouse(32, 9, 2));
		terminal.sendInput(mouse(0, 9, 2, true));
		await settleUntil(terminal, () => copied.length === 1);
		expect(copied[0]).toBe("message 96 first\nmessage 9");
		// The selection is drawn in reverse video.
		expect(terminal.getCell(1, 0)?.isInverse()).toBeTruthy();
	});

	test("a double click selects a word; a scrollbar in 'always' mode takes the last column", async () => {
		const copied: string[] = [];
		const { terminal } = setup(100, { copy: (text) => void copied.push(text), scrollbar: "always" });
		await terminal.settle();
		expect(terminal.getViewport()[0]?.at(-1)).toMatch(/[│┃]/);
		terminal.sendInput(mouse(0, 2, 1));
		terminal.sendInput(mouse(0, 2, 1, true));
		terminal.sendInput(mouse(0, 2, 1));
		terminal.sendInput(mouse(0, 2, 1, true));
		await settleUntil(terminal, () => copied.at(-1) === "message");
	});

	test("on exit the transcript can be printed into the normal screen", async () => {
		const { terminal, tui } = setup(30);
		await terminal.settle();
		tui.stop({ printTranscript: true });
		await terminal.flush();
		expect(terminal.xterm.buffer.active.type).toBe("normal");
		const all = terminal.getAllLines();
		expect(all).toContain("message 0 first");
		expect(all).toContain("message 29 second");
		expect(all.filter((line) => line === "message 12 first")).toHaveLength(1);
	});

	test("switching to regular mode and back keeps both screens right", async () => {
		const { terminal, tui } = setup(5);
		await terminal.settle();
		tui.setMode("regular");
		await terminal.settle();
		expect(terminal.xterm.buffer.active.type).toBe("normal");
		expect(terminal.getAllLines()).toContain("message 4 second");
		tui.setMode("fullscreen");
		await terminal.settle();
		expect(terminal.xterm.buffer.active.type).toBe("alternate");
		expect(terminal.getViewport()).toContain("message 4 second");
	});
});
