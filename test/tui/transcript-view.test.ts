import { describe, expect, test } from "bun:test";
import type { Component } from "../../src/tui/component.ts";
import { Container } from "../../src/tui/container.ts";
import { TranscriptView } from "../../src/tui/screens/transcript-view.ts";

/** A leaf of fixed lines that can say how many rows it would take before it is rendered. */
class Block implements Component {
	estimate: number | undefined;
	constructor(
		private lines: string[],
		estimate?: number,
	) {
		this.estimate = estimate;
	}
	render(): string[] {
		return this.lines;
	}
	estimateHeight(): number | undefined {
		return this.estimate;
	}
}

const block = (name: string, rows = 2) =>
	new Block(
		Array.from({ length: rows }, (_, i) => `${name} ${i}`),
		rows,
	);
/** The rows on screen without the reset each fitted line ends with. */
const shown = (view: TranscriptView, rows: number) =>
	view.window(rows).lines.map((line) => line.replaceAll("\x1b[0m", ""));

function setup(count: number) {
	const root = new Container();
	const chat = new Container();
	root.addChild(chat);
	for (let i = 0; i < count; i++) chat.addChild(block(`m${i}`));
	const view = new TranscriptView();
	view.refresh(root, 40);
	return { root, chat, view };
}

describe("TranscriptView after the tree changes", () => {
	test("leaves added at the end are read; a held view stays on the same text", () => {
		const { root, chat, view } = setup(20);
		expect(shown(view, 6).at(-1)).toBe("m19 1");
		view.scrollTo(11, 6);
		expect(shown(view, 6)[0]).toBe("m5 1");
		chat.addChild(block("new", 3));
		view.refresh(root, 40);
		expect(view.leafCount).toBe(21);
		expect(view.total()).toBe(43);
		expect(shown(view, 6)[0]).toBe("m5 1");
		view.follow();
		expect(shown(view, 6).slice(-3)).toEqual(["new 0", "new 1", "new 2"]);
	});

	test("a leaf inserted or removed before the end is read as well", () => {
		const { root, chat, view } = setup(5);
		expect(shown(view, 20)).toHaveLength(10);
		const first = chat.children[0];
		chat.insertChild(2, block("inserted", 1));
		view.refresh(root, 40);
		expect(shown(view, 20).slice(4, 6)).toEqual(["inserted 0", "m2 0"]);
		if (first) chat.removeChild(first);
		view.refresh(root, 40);
		expect(view.leafCount).toBe(5);
		expect(shown(view, 20)[0]).toBe("m1 0");
	});

	test("a change outside the transcript's containers keeps what is known; estimates of unrendered leaves are asked again", () => {
		const root = new Container();
		const chat = new Container();
		root.addChild(chat);
		const far = new Block(["far 0", "far 1", "far 2", "far 3"], 10);
		chat.addChild(far);
		for (let i = 0; i < 10; i++) chat.addChild(block(`m${i}`));
		const view = new TranscriptView();
		view.refresh(root, 40);
		view.window(4);
		// The first leaf is off screen, never rendered: its estimate counts.
		expect(view.total()).toBe(30);
		far.estimate = 6;
		new Container().addChild(block("elsewhere"));
		view.refresh(root, 40);
		expect(view.total()).toBe(26);
		// Rendered, its real height replaces the estimate and stays.
		view.scrollTo(1, 4);
		expect(shown(view, 4)[0]).toBe("far 1");
		expect(view.total()).toBe(24);
		far.estimate = 1;
		chat.addChild(block("last"));
		view.refresh(root, 40);
		expect(view.total()).toBe(26);
	});
});
