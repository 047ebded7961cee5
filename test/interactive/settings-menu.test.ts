/** /settings (pi-spec §9.3): pi's entries, Enter cycles a value and saves it, submenus for thinking level. */
import { afterEach, describe, expect, test } from "bun:test";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;
afterEach(async () => {
	// A list left open takes the keys; Escape closes it so Ctrl+D can quit.
	current?.type("\x1b");
	await Bun.sleep(20);
	if (current) await current.quit();
	current = undefined;
});

async function openSettings(h: Harness, filter: string): Promise<void> {
	h.type("/settings");
	h.type("\r");
	await h.waitFor("Auto-compact");
	h.type(filter);
}

describe("/settings", () => {
	test("lists pi's settings in pi's order", async () => {
		const h = await startInteractive({ turns: [] });
		current = h;
		h.type("/settings");
		h.type("\r");
		await h.waitFor("Auto-compact");
		const screen = h.screen();
		const order = ["Auto-compact", "Auto-resize images", "Block images", "Skill commands", "Show hardware cursor"];
		const positions = order.map((label) => screen.indexOf(label));
		expect(positions.every((p) => p >= 0)).toBe(true);
		expect([...positions].sort((a, b) => a - b)).toEqual(positions);
		// The rest is reached by typing a filter.
		for (const label of ["Autocomplete max items", "Tree filter mode", "Double-escape action", "Transport"]) {
			for (let i = 0; i < 30; i++) h.type("\x7f"); // clear the previous filter
			h.type(label.toLowerCase());
			await h.waitFor(label);
		}
	});

	test("enter cycles a value and saves it to the settings", async () => {
		const h = await startInteractive({ turns: [] });
		current = h;
		expect(h.session.settings.getBlockImages()).toBe(false);
		await openSettings(h, "block");
		await h.waitFor(/Block images\s+false/);
		h.type("\r");
		await h.waitFor(/Block images\s+true/);
		expect(h.session.settings.getBlockImages()).toBe(true);
		h.type("\x1b");
		await h.waitUntil(() => !h.screen().includes("Block images"));

		await openSettings(h, "double");
		await h.waitFor(/Double-escape action\s+tree/);
		h.type("\r");
		await h.waitFor(/Double-escape action\s+fork/);
		expect(h.session.settings.getDoubleEscapeAction()).toBe("fork");
	});

	test("TUI mode switches the running screen and is saved; the fullscreen entries apply at once", async () => {
		const h = await startInteractive({ turns: [] });
		current = h;
		const buffer = () => h.terminal.xterm.buffer.active.type;
		expect(buffer()).toBe("normal");
		await openSettings(h, "tui mode");
		await h.waitFor(/TUI mode\s+regular/);
		h.type("\r");
		await h.waitUntil(() => buffer() === "alternate");
		await h.waitFor(/TUI mode\s+fullscreen/);
		expect(h.session.settings.getTuiMode()).toBe("fullscreen");
		for (let i = 0; i < 30; i++) h.type("\x7f");
		h.type("fullscreen scrollbar");
		await h.waitFor(/Fullscreen scrollbar\s+auto/);
		h.type("\r");
		await h.waitFor(/Fullscreen scrollbar\s+always/);
		expect(h.session.settings.getFullscreenScrollbar()).toBe("always");
		for (let i = 0; i < 30; i++) h.type("\x7f");
		h.type("tui mode");
		await h.waitFor(/TUI mode\s+fullscreen/);
		h.type("\r");
		await h.waitUntil(() => buffer() === "normal");
		expect(h.session.settings.getTuiMode()).toBe("regular");
	});

	test("autocomplete max items changes how many commands the / list shows", async () => {
		const h = await startInteractive({ turns: [] });
		current = h;
		await openSettings(h, "autocomplete");
		await h.waitFor(/Autocomplete max items\s+5/);
		h.type("\r");
		await h.waitFor(/Autocomplete max items\s+7/);
		h.type("\x1b");
		await h.waitUntil(() => !h.screen().includes("Autocomplete max items"));
		h.type("/");
		await h.waitFor(/\(1\/\d+\)/);
		const rows = h.screen().split("\n");
		const counter = rows.findIndex((row) => /\(1\/\d+\)/.test(row));
		const commandRows = rows.slice(0, counter).filter((row) => /^\s*(→ | {2})[a-z-]+\s{2,}\S/.test(row));
		expect(commandRows).toHaveLength(7);
		h.type("\x1b");
		h.type("\x7f"); // an empty editor again, so Ctrl+D quits
	});

	test("thinking level opens the model's levels; the choice applies to the session", async () => {
		const h = await startInteractive({ turns: [] });
		current = h;
		await openSettings(h, "thinking level");
		await h.waitFor(/Thinking level\s+medium/);
		h.type("\r");
		await h.waitFor("Select reasoning depth");
		h.type("high");
		h.type("\r");
		await h.waitFor(/Thinking level\s+high/);
		expect(h.session.thinkingLevel).toBe("high");
	});
});
