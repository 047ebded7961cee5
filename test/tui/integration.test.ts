import { describe, expect, test } from "bun:test";
import { Editor } from "../../src/tui/components/editor.ts";
import { Markdown } from "../../src/tui/components/markdown.ts";
import { Text } from "../../src/tui/components/text.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";
import { Container, TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

/** What a rendered line looks like on screen (styles and the cursor marker are invisible). */
function screenText(line: string): string {
	return stripAnsi(line).trimEnd();
}

async function waitUntil(condition: () => boolean, terminal: VirtualTerminal): Promise<void> {
	const deadline = Date.now() + 3000;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Timed out. Screen:\n${terminal.getViewport().join("\n")}`);
		await new Promise((resolve) => setTimeout(resolve, 10));
		await terminal.settle();
	}
}

function app(columns: number, rows: number) {
	const terminal = new VirtualTerminal(columns, rows);
	const tui = new TUI(terminal);
	const chat = new Container();
	const editor = new Editor({ terminalRows: () => terminal.rows });
	tui.addChild(chat);
	tui.addChild(editor);
	tui.addChild(new Text("footer", 0));
	tui.showHardwareCursor = true;
	tui.start();
	tui.setFocus(editor);
	return { terminal, tui, chat, editor };
}

describe("TUI with editor and streamed markdown", () => {
	test("typing shows text inside the editor box and the hardware cursor follows it", async () => {
		const { terminal, editor } = app(30, 12);
		const submitted: string[] = [];
		editor.onSubmit = (text) => submitted.push(text);
		terminal.sendInput("hi 世界");
		await terminal.settle();
		const view = terminal.getViewport().map((line) => line.trimEnd());
		expect(view.slice(0, 4)).toEqual(["─".repeat(30), "hi 世界", "─".repeat(30), "footer"]);
		expect(terminal.getCursor()).toEqual({ row: 1, col: 7 });
		terminal.sendInput("\x1b[D\x1b[D");
		await terminal.settle();
		expect(terminal.getCursor()).toEqual({ row: 1, col: 3 });
		terminal.sendInput("\r");
		await terminal.settle();
		expect(submitted).toEqual(["hi 世界"]);
		expect(terminal.getViewport()[1]?.trim()).toBe("");
	});

	test("a long streamed answer above the editor: nothing duplicated or lost, also after a width change", async () => {
		const { terminal, tui, chat, editor } = app(40, 15);
		const answer = new Markdown("", 0, 0);
		chat.addChild(answer);
		let text = "";
		const words = Array.from({ length: 600 }, (_, i) => `w${i}`);
		for (let i = 0; i < words.length; i++) {
			text += `${words[i]}${i % 10 === 9 ? "\n\n" : " "}`;
			answer.setText(text);
			tui.requestRender();
			if (i % 7 === 0) await terminal.settle();
		}
		await terminal.settle();
		const expected = [...answer.render(40), ...editor.render(40), "footer"].map(screenText);
		expect(terminal.getAllLines().map((line) => line.trimEnd())).toEqual(expected);
		terminal.resize(33, 12);
		const bottom = ["─".repeat(33), "", "─".repeat(33), "footer"];
		// (The screen may end with a blank row: the redraw continues the scrollback, it does not repeat rows to fill it.)
		const lastRows = () => {
			const rows = terminal.getViewport().map((line) => line.trimEnd());
			while (rows.at(-1) === "") rows.pop();
			return JSON.stringify(rows.slice(-4));
		};
		await waitUntil(() => lastRows() === JSON.stringify(bottom), terminal);
		// The scrollback keeps the rows written at the old width (rewrapped by the terminal); the screen continues
		// at the new width right after the last of them: every word once, in order.
		const wordsSeen = terminal
			.getLogicalLines()
			.join(" ")
			.split(/\s+/)
			.filter((word) => /^w\d+$/.test(word));
		expect(wordsSeen).toEqual(words);
		// Streaming on after the resize goes on below, at the new width.
		answer.setText(`${text}\n\nafter the resize`);
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getLogicalLines().filter((line) => line.includes("after the resize"))).toHaveLength(1);
	});
});
