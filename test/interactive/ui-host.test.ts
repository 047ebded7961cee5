import { describe, expect, test } from "bun:test";
import type { InteractiveUi } from "../../src/modes/interactive/ui-host.ts";
import { type Harness, startInteractive } from "./harness.ts";

/** Starts the interactive mode and hands back the InteractiveUi it exposes to extensions. */
async function start(
	turns: Parameters<typeof startInteractive>[0]["turns"] = [],
): Promise<{ h: Harness; ui: InteractiveUi }> {
	let ui: InteractiveUi | undefined;
	const h = await startInteractive({ turns, interactive: { onReady: (value) => (ui = value) } });
	if (!ui) throw new Error("onReady was not called");
	return { h, ui };
}

describe("the UI host extensions and commands build on", () => {
	test("a registered command runs with its arguments and shows in the autocomplete", async () => {
		const { h, ui } = await start();
		const seen: string[] = [];
		expect(
			ui.commands.register({
				name: "greet",
				description: "Say hello",
				run: (args, host) => {
					seen.push(args);
					host.notify(`hello ${args}`);
				},
			}),
		).toBe(true);
		// A taken name is refused.
		expect(ui.commands.register({ name: "tree", description: "", run: () => {} })).toBe(false);
		h.type("/gree");
		await h.waitFor("Say hello");
		h.type("\t");
		h.type("world\r");
		await h.waitFor("hello world");
		expect(seen).toEqual(["world"]);
		expect(h.contexts).toHaveLength(0);
		await h.close();
	});

	test("pi's commands never reach the model by accident", async () => {
		const { h } = await start();
		h.type("/settings please\r");
		await h.waitFor("/settings takes no arguments");
		h.type("/share\r");
		await h.waitFor("/share is not available in this build");
		expect(h.contexts).toHaveLength(0);
		await h.close();
	});

	test("dialogs take the editor's place, stack, and resolve with the answer", async () => {
		const { h, ui } = await start();
		const choice = ui.dialogs.select("Pick a colour", ["red", "green", "blue"]);
		await h.waitFor("Pick a colour");
		// A second dialog covers the first; answering it shows the first again.
		const confirmed = ui.dialogs.confirm("Really?", "This cannot be undone");
		await h.waitFor("This cannot be undone");
		h.type("\r");
		expect(await confirmed).toBe(true);
		await h.waitFor("Pick a colour");
		h.type("\x1b[B\r");
		expect(await choice).toBe("green");
		const name = ui.dialogs.input("Your name", "type it");
		await h.waitFor("Your name");
		h.type("Ada\r");
		expect(await name).toBe("Ada");
		// Back at the editor: typing goes there.
		h.type("after");
		await h.waitFor("after");
		await h.close();
	});

	test("a dialog is dismissed by its signal or its timeout (counted down in the title)", async () => {
		const { h, ui } = await start();
		const controller = new AbortController();
		const aborted = ui.dialogs.input("Wait here", "", { signal: controller.signal });
		await h.waitFor("Wait here");
		controller.abort();
		expect(await aborted).toBeUndefined();
		const timed = ui.dialogs.confirm("Quick", "answer soon", { timeout: 1500 });
		await h.waitFor(/Quick \(\ds\)/);
		expect(await timed).toBe(false);
		await h.close();
	});

	test("widgets above and below the editor, statuses in the footer, shortcuts before the app's keys", async () => {
		const { h, ui } = await start();
		ui.setWidget("todo", ["1. write tests", "2. land"]);
		ui.setWidget("below", ["under the editor"], "belowEditor");
		ui.setStatus("b-git", "clean");
		ui.setStatus("a-build", "build ok");
		await h.waitFor("under the editor");
		const screen = h.screen().split("\n");
		const widgetRow = screen.findIndex((line) => line.includes("1. write tests"));
		const belowRow = screen.findIndex((line) => line.includes("under the editor"));
		const borderRows = screen.flatMap((line, index) => (/^─{10}/.test(line) ? [index] : []));
		expect(widgetRow).toBeLessThan(borderRows[0] ?? -1);
		expect(belowRow).toBeGreaterThan(borderRows.at(-1) ?? Number.MAX_SAFE_INTEGER);
		expect(h.screen()).toContain("build ok clean");
		let pressed = 0;
		ui.shortcuts.register({ key: "ctrl+shift+k", handler: () => void pressed++ });
		h.type("\x1b[107;6u");
		await h.waitUntil(() => pressed === 1);
		ui.setWidget("todo", undefined);
		ui.setStatus("a-build", undefined);
		await h.waitUntil(() => !h.screen().includes("write tests") && !h.screen().includes("build ok"));
		await h.close();
	});
});
