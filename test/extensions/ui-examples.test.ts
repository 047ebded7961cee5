/**
 * pi's example extensions that draw their own UI, unchanged from the npm packages, on a headless terminal: their
 * components render in our renderer, keys reach them through our input path, overlays composite over the
 * transcript, and the editor comes back with focus afterwards — in both screen modes.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { copyExample } from "./examples.ts";
import { startWithExtensions, type UiHarness } from "./ui-host.ts";

const running: UiHarness[] = [];
afterEach(async () => {
	for (const harness of running.splice(0)) await harness.close();
});

async function start(...args: Parameters<typeof startWithExtensions>): Promise<UiHarness> {
	const harness = await startWithExtensions(...args);
	running.push(harness);
	return harness;
}

/** Types a slash command once the slash menu offers it (the extensions' commands are registered then), and runs it. */
async function runCommand(pi: UiHarness, name: string, description: string): Promise<void> {
	// The whole name would close the list (an exact match); one letter less keeps it open.
	pi.type(`/${name.slice(0, -1)}`);
	await pi.waitForVisible(description);
	pi.type(`${name.slice(-1)}\r`);
}

/** The editor is back: typed text shows up in it. */
async function editorWorks(pi: UiHarness, text = "still typing"): Promise<void> {
	pi.type(text);
	await pi.waitForVisible(text);
}

describe("pi's custom-UI examples on the screen", () => {
	for (const [tuiMode, keys] of [
		["regular", { escape: "\x1b", down: "\x1b[B" }],
		// The kitty keyboard protocol's forms (as our terminal setup asks for them: Escape disambiguated, key events).
		["fullscreen", { escape: "\x1b[27u", down: "\x1b[1;1B" }],
	] as const) {
		test(`snake (${tuiMode}): the game takes the editor's place, reads arrow keys, Escape brings the editor back`, async () => {
			const pi = await start([copyExample("1.6.0", "snake.ts")], { tuiMode });
			await runCommand(pi, "snake", "Play Snake!");
			await pi.waitForVisible("SNAKE");
			expect(pi.visible()).toContain("ESC pause");
			// Down, then Escape: the game saves its state (with the new direction) into the session and closes.
			pi.type(keys.down);
			pi.type(keys.escape);
			await pi.waitForGone("SNAKE");
			const saved = pi.session.sessionManager.getEntries().findLast((entry) => entry.type === "custom");
			expect(JSON.stringify(saved)).toContain('"nextDirection":"down"');
			await editorWorks(pi);
			// Back in the game it starts paused; q quits.
			pi.type("\x15");
			await runCommand(pi, "snake", "Play Snake!");
			await pi.waitForVisible("PAUSED");
			pi.type("q");
			await pi.waitForGone("PAUSED");
			await editorWorks(pi, "back again");
		}, 20_000);
	}

	for (const tuiMode of ["regular", "fullscreen"] as const) {
		test(`overlay-test (${tuiMode}): an overlay drawn over the transcript takes the keys; its answer comes back; the editor too`, async () => {
			const pi = await start([copyExample("1.6.0", "overlay-test.ts")], { rows: 40, tuiMode });
			pi.type("typed before");
			await pi.waitForVisible("typed before");
			pi.type("\x15");
			await runCommand(pi, "overlay-test", "Test overlay rendering");
			await pi.waitForVisible("Overlay Test");
			const screen = pi.terminal.getViewport();
			// Composited, not placed in the transcript: the startup listing is still on screen around it.
			expect(screen.join("\n")).toContain("[Extensions]");
			const top = screen.findIndex((row) => row.includes("╭"));
			const bottom = screen.findIndex((row) => row.includes("╰"));
			expect(bottom - top).toBeGreaterThan(10);
			// Centered, 70 wide, borders aligned on every row (wide characters and emoji included).
			const left = screen[top]?.indexOf("╭") ?? -1;
			expect(left).toBe(15);
			for (const row of screen.slice(top + 1, bottom)) expect(row.indexOf("│")).toBe(left);
			pi.type("abc");
			await pi.waitForVisible("Search: abc");
			pi.type("\r");
			await pi.waitForGone("Overlay Test");
			await pi.waitForVisible('Search: "abc"');
			await editorWorks(pi);
		});
	}

	for (const tuiMode of ["regular", "fullscreen"] as const) {
		test(`modal-editor (${tuiMode}): a CustomEditor replaces the prompt editor; its modes take keys first, the app's keys still work`, async () => {
			const pi = await start([copyExample("1.6.0", "modal-editor.ts")], { turns: [{ chunks: ["got it"] }], tuiMode });
			await pi.waitForVisible(" INSERT ");
			pi.type("hello");
			await pi.waitForVisible("hello");
			// Escape switches to normal mode (not the app's interrupt); h moves left, x deletes, i types again.
			pi.type("\x1b");
			await pi.waitForVisible(" NORMAL ");
			pi.type("h");
			pi.type("x");
			await pi.waitForVisible(/hell\s/);
			pi.type("i");
			await pi.waitForVisible(" INSERT ");
			pi.type("p");
			await pi.waitForVisible("hellp");
			// Enter still submits through the app.
			pi.type("\r");
			await pi.waitFor("got it");
			expect(JSON.stringify(pi.contexts[0]?.messages.at(-1))).toContain("hellp");
			// Ctrl+C clears (an app action the CustomEditor hands back to the app).
			pi.type("again");
			await pi.waitForVisible("again");
			pi.type("\x03");
			await pi.waitForGone("again");
			await pi.waitForVisible(" INSERT ");
		});
	}

	test("rainbow-editor: the extension's editor draws its own colours over the text", async () => {
		const pi = await start([copyExample("1.6.0", "rainbow-editor.ts")]);
		pi.type("please ultrathink now");
		await pi.waitForVisible("please ultrathink now");
		const screen = pi.terminal.getViewport();
		const row = screen.findIndex((line) => line.includes("please ultrathink now"));
		const col = screen[row]?.indexOf("ultrathink") ?? -1;
		const cell = pi.terminal.getCell(row, col);
		// The first letter in the rainbow's coral (233,137,115) or brighter: a truecolour foreground.
		expect(cell?.isFgRGB()).toBe(true);
		expect(pi.terminal.getCell(row, screen[row]?.indexOf("please") ?? 0)?.isFgRGB()).toBe(false);
	});

	for (const version of ["1.6.0", "0.73.1"] as const) {
		test(`todo (${version}): the tool row is drawn by renderCall/renderResult; /todos shows a component; Escape closes it`, async () => {
			const pi = await start([copyExample(version, "todo.ts")], {
				turns: [
					{ toolCalls: [{ type: "toolCall", id: "t1", name: "todo", arguments: { action: "add", text: "buy milk" } }] },
					{ chunks: ["Added."] },
				],
			});
			pi.type("remember milk\r");
			await pi.waitFor("Added.");
			// renderCall: "todo add "buy milk""; renderResult: "✓ Added #1 buy milk".
			await pi.waitFor('todo add "buy milk"');
			await pi.waitFor("✓ Added #1 buy milk");
			await runCommand(pi, "todos", "Show all todos");
			await pi.waitForVisible("0/1 completed");
			expect(pi.visible()).toContain("○ #1 buy milk");
			pi.type("\x1b");
			await pi.waitForGone("Press Escape to close");
			await editorWorks(pi);
		});
	}

	test("custom-header and custom-footer: the header and footer are replaced and restored by commands", async () => {
		const pi = await start([copyExample("1.6.0", "custom-header.ts"), copyExample("1.6.0", "custom-footer.ts")]);
		await pi.waitForVisible("shitty coding agent");
		expect(pi.visible()).not.toContain("escape interrupt");
		await runCommand(pi, "footer", "Toggle custom footer");
		await pi.waitForVisible(/↑0 ↓0 \$0\.000\s+fake-model/);
		expect(pi.visible()).not.toContain("(auto)");
		await runCommand(pi, "footer", "Toggle custom footer");
		await pi.waitForVisible("(auto)");
		await runCommand(pi, "builtin-header", "Restore built-in header");
		await pi.waitForVisible("escape interrupt");
		expect(pi.visible()).not.toContain("shitty coding agent");
		await editorWorks(pi);
	});

	test("message-renderer: a custom message is drawn by the extension's renderer, expanded with Ctrl+O", async () => {
		const pi = await start([copyExample("1.6.0", "message-renderer.ts")]);
		pi.type("/statu");
		await pi.waitForVisible("Send a status message");
		pi.type("s warn disk almost full\r");
		await pi.waitForVisible("[WARN] disk almost full");
		expect(pi.visible()).not.toContain("[status-update]");
		pi.type("\x0f");
		await pi.waitForVisible(/at \d/);
	});

	test("widget-placement: text widgets above and below the editor", async () => {
		const pi = await start([copyExample("1.6.0", "widget-placement.ts")]);
		await pi.waitForVisible("Below editor widget");
		const screen = pi.terminal.getViewport();
		const above = screen.findIndex((row) => row.includes("Above editor widget"));
		const below = screen.findIndex((row) => row.includes("Below editor widget"));
		const editorTop = screen.findIndex((row, index) => index > above && row.startsWith("───"));
		expect(above).toBeGreaterThan(0);
		expect(editorTop).toBeGreaterThan(above);
		expect(below).toBeGreaterThan(editorTop);
	});

	test("overlay-qa-tests: panels an overlay opens itself (nonCapturing, focused by handle) take typing; Escape returns to the editor", async () => {
		const pi = await start([copyExample("1.6.0", "overlay-qa-tests.ts")]);
		await runCommand(pi, "overlay-focus", "Test focus cycling");
		await pi.waitForVisible("Focus + Input Demo");
		// The controller has focus; Tab hands it to the first panel, which then gets the typing.
		pi.type("\t");
		await pi.waitForVisible(/Current focus: \w/);
		pi.type("x");
		await pi.waitForVisible('"x"');
		pi.type("\x03");
		await pi.waitForGone("Focus + Input Demo");
		await editorWorks(pi);
	});
});
