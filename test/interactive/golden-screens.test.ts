// Golden screens: the interactive UI's main screens rendered into @xterm/headless at 80×24 and 120×40 and compared
// with committed text + style snapshots (__snapshots__/golden-screens.test.ts.snap). A UI change updates its
// snapshot in the same commit: `npx bun test test/interactive/golden-screens.test.ts --update-snapshots`, then read
// the diff. Colours are the built-in dark theme's in truecolor, and the terminal shows no images, whatever terminal
// and environment the suite runs in (TERM_PROGRAM, KITTY_WINDOW_ID, ... would add /settings' image entries).
import { afterAll, afterEach, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createEditTool } from "../../src/tools/edit.ts";
import { setImageProtocol } from "../../src/tui/images/terminal-image.ts";
import { getColorMode, setColorMode } from "../../src/tui/theme.ts";
import { initTheme } from "../../src/tui/themes/manager.ts";
import { copyExample } from "../extensions/examples.ts";
import { startWithExtensions } from "../extensions/ui-host.ts";
import { screenSnapshot } from "../support/screen-snapshot.ts";
import { type Harness, type ScriptedTurn, startInteractive } from "./harness.ts";

const SIZES = [
	[80, 24],
	[120, 40],
] as const;

const initialMode = getColorMode();
beforeAll(() => {
	setColorMode("truecolor");
	setImageProtocol(null);
	initTheme("dark");
});
afterAll(() => {
	setColorMode(initialMode);
	setImageProtocol(undefined);
});

let current: Harness | undefined;
afterEach(async () => {
	await current?.close();
	current = undefined;
});

const ANSWER = [
	"## Where settings are merged\n\n",
	"The loader reads **global** settings first, then the project's, and merges them *key by key*:\n\n",
	"1. `~/.pi/agent/settings.json`\n2. `.pi/settings.json`\n\n",
	"> Nested objects merge one level deep.\n\n",
	"```\nmerge(global, project)\n```\n\nSee [the docs](https://example.com/settings).",
];

/** A tool call and the answer after it (a new list each time: the scripted stream consumes it). */
const toolTurns = (): ScriptedTurn[] => [
	{
		chunks: ["Let me check."],
		toolCalls: [{ type: "toolCall", id: "t1", name: "echo", arguments: { text: "hello from the tool" } }],
	},
	{ chunks: ["The tool answered."] },
];

async function start(columns: number, rows: number, turns: ScriptedTurn[], fullscreen = false): Promise<Harness> {
	current = await startInteractive({
		turns,
		columns,
		rows,
		interactive: fullscreen ? { tuiMode: "fullscreen" } : {},
	});
	return current;
}

/** The loader's spinner frames: which one shows depends on the moment of the snapshot. */
const SPINNER = /[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Working\.\.\./;

/**
 * The screen once it stopped changing (two reads in a row agree), with the temp folders (and `more`, e.g. an
 * extension's folder) named and the spinner's frame replaced.
 */
async function snapshot(h: Harness, more: ReadonlyArray<[string | RegExp, string]> = []): Promise<string> {
	const replacements: Array<[string | RegExp, string]> = [
		[h.cwd, "<cwd>"],
		[h.sessionDir, "<sessions>"],
		...more,
		[SPINNER, "<spinner> Working..."],
	];
	let previous = "";
	for (let i = 0; i < 200; i++) {
		await h.terminal.flush();
		await Bun.sleep(15);
		const now = screenSnapshot(h.terminal, replacements);
		if (now === previous) break;
		previous = now;
	}
	return previous;
}

/** Starts with the real edit tool beside the echo tool. */
async function startWith(columns: number, rows: number, turns: ScriptedTurn[]): Promise<Harness> {
	current = await startInteractive({ turns, columns, rows, tools: (cwd) => [createEditTool(cwd)] });
	return current;
}

async function idle(h: Harness): Promise<void> {
	await h.waitUntil(() => !h.session.isStreaming, 10_000);
}

for (const [columns, rows] of SIZES) {
	describe(`golden screens ${columns}×${rows}`, () => {
		test("startup", async () => {
			const h = await start(columns, rows, []);
			await h.waitFor("fake-model");
			expect(await snapshot(h)).toMatchSnapshot();
		});

		test("a markdown answer", async () => {
			const h = await start(columns, rows, [{ chunks: ANSWER }]);
			h.type("where are settings merged?\r");
			await h.waitFor("the docs");
			await idle(h);
			expect(await snapshot(h)).toMatchSnapshot();
		});

		test("a tool block, collapsed then expanded", async () => {
			const h = await start(columns, rows, toolTurns());
			h.type("use the tool\r");
			await h.waitFor("The tool answered.");
			await idle(h);
			expect(await snapshot(h)).toMatchSnapshot();
			h.type("\x0f"); // ctrl+o
			await h.waitFor('"text": "hello from the tool"');
			expect(await snapshot(h)).toMatchSnapshot();
		});

		test("an answer while it streams", async () => {
			let release = () => {};
			const gate = new Promise<void>((resolve) => (release = resolve));
			const h = await start(columns, rows, [{ chunks: ANSWER.slice(0, 3), gate }]);
			h.type("where are settings merged?\r");
			await h.waitFor(".pi/settings.json");
			await h.waitFor("Working...");
			expect(await snapshot(h)).toMatchSnapshot();
			release();
			await idle(h);
		});

		test("an edit's diff", async () => {
			const h = await startWith(columns, rows, [
				{
					chunks: ["Renaming it."],
					toolCalls: [
						{
							type: "toolCall",
							id: "e1",
							name: "edit",
							arguments: { path: "notes.txt", edits: [{ oldText: "two\nthree", newText: "2\n3\nthree and a half" }] },
						},
					],
				},
				{ chunks: ["Done."] },
			]);
			writeFileSync(join(h.cwd, "notes.txt"), "one\ntwo\nthree\nfour\n");
			h.type("rename\r");
			await h.waitFor("Done.");
			await idle(h);
			expect(await snapshot(h)).toMatchSnapshot();
		});

		test("an extension's overlays, stacked over the transcript", async () => {
			const h = await startWithExtensions([copyExample("1.6.0", "overlay-qa-tests.ts")], { columns, rows });
			current = h;
			h.type("/overlay-stack");
			await h.waitForVisible("Test stacked overlays");
			h.type("\r");
			await h.waitForVisible("front (blue border)", 10_000);
			// The footer's folder, cut by the overlays at a place that depends on its length.
			expect(await snapshot(h, [[/^\/[^\s│]*/, "<path>"]])).toMatchSnapshot();
			for (const layer of ["front", "middle", "back"]) {
				h.type("\x1b");
				await h.waitForGone(`${layer} (`);
			}
		});

		test("the /model selector", async () => {
			const h = await start(columns, rows, []);
			h.type("/model");
			await h.waitFor("/model");
			h.type("\r");
			await h.waitFor("fake-model");
			await h.waitFor(/Only showing models|Scope|search/i);
			expect(await snapshot(h)).toMatchSnapshot();
		});

		test("/settings", async () => {
			const h = await start(columns, rows, []);
			h.type("/settings\r");
			await h.waitFor("Settings");
			expect(await snapshot(h)).toMatchSnapshot();
		});

		test("/tree", async () => {
			const h = await start(columns, rows, [{ chunks: ["answer one"] }, { chunks: ["answer two"] }]);
			h.type("question one\r");
			await h.waitFor("answer one");
			await idle(h);
			h.type("question two\r");
			await h.waitFor("answer two");
			await idle(h);
			h.type("/tree\r");
			await h.waitFor("› • assistant: answer two");
			expect(await snapshot(h)).toMatchSnapshot();
		});

		test("a dialog: /login's first question", async () => {
			const h = await start(columns, rows, []);
			h.type("/login\r");
			await h.waitFor("Use an API key");
			expect(await snapshot(h)).toMatchSnapshot();
		});

		test("fullscreen: scrollbar, then transcript search", async () => {
			const answers = 6;
			const turns = Array.from({ length: answers }, (_, n) => ({
				chunks: ANSWER.map((part) => part.replace("##", `## ${n}.`)),
			}));
			const h = await start(columns, rows, turns, true);
			for (let n = 0; n < answers; n++) {
				h.type(`question ${n}\r`);
				await h.waitUntil(() => h.session.messages.filter((m) => m.role === "assistant").length > n, 10_000);
				await idle(h);
			}
			await h.waitFor("5. Where settings are merged");
			expect(await snapshot(h)).toMatchSnapshot();
			h.type("\x1b[102;6u"); // ctrl+shift+f
			await h.waitFor("┌");
			h.type("project");
			await h.waitFor(/\d+\/\d+/);
			expect(await snapshot(h)).toMatchSnapshot();
			h.type("\x1b");
			// Closed before the teardown's Ctrl+C, which would otherwise arrive as Alt+Ctrl+C right after the Escape.
			await h.waitUntil(() => !h.terminal.getViewport().some((line) => line.includes("┌")));
		});
	});
}
