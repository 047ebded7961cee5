import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { routeEditorKey } from "../../src/modes/interactive/editor-keymap.ts";
import {
	capitalizeKeys,
	Keybindings,
	migrateKeybindingsConfig,
	migrateKeybindingsFile,
	parseKeybindingsConfig,
} from "../../src/modes/interactive/keybindings.ts";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;
afterEach(async () => {
	await current?.close();
	current = undefined;
});

describe("keybindings table", () => {
	test("defaults match pi 0.73.1; user keys replace an action's defaults", () => {
		const kb = new Keybindings({ "app.model.select": ["ctrl+x", "alt+m"], "app.clear": "ctrl+q" });
		expect(kb.keys("app.tools.expand")).toEqual(["ctrl+o"]);
		expect(kb.keys("app.model.select")).toEqual(["ctrl+x", "alt+m"]);
		expect(kb.matches("\x18", "app.model.select")).toBe(true);
		expect(kb.matches("\x0c", "app.model.select")).toBe(false);
		expect(kb.effective()["app.clear"]).toBe("ctrl+q");
		expect(kb.effective()["tui.select.cancel"]).toEqual(["escape", "ctrl+c"]);
		expect(kb.effective()["app.session.new"]).toEqual([]);
	});

	test("legacy names migrate; a namespaced id wins over its legacy twin; order follows the table", () => {
		const { config, migrated } = migrateKeybindingsConfig({
			zzz: "ctrl+1",
			expandTools: "ctrl+e",
			cursorUp: "ctrl+k",
			"tui.editor.cursorUp": "alt+k",
		});
		expect(migrated).toBe(true);
		expect(config).toEqual({ "tui.editor.cursorUp": "alt+k", "app.tools.expand": "ctrl+e", zzz: "ctrl+1" });
		expect(Object.keys(config)).toEqual(["tui.editor.cursorUp", "app.tools.expand", "zzz"]);
		expect(migrateKeybindingsConfig({ "app.clear": "ctrl+q" }).migrated).toBe(false);
	});

	test("invalid values are ignored; the file is rewritten only when it used legacy names", () => {
		expect(parseKeybindingsConfig({ selectModel: "ctrl+x", "app.clear": 5, "app.exit": ["a", 1] })).toEqual({
			"app.model.select": "ctrl+x",
		});
		expect(parseKeybindingsConfig([1, 2])).toEqual({});
		const dir = mkdtempSync(join(tmpdir(), "pi-kb-"));
		const file = join(dir, "keybindings.json");
		writeFileSync(file, JSON.stringify({ selectModel: "ctrl+x" }));
		expect(migrateKeybindingsFile(file)).toBe(true);
		expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ "app.model.select": "ctrl+x" });
		expect(migrateKeybindingsFile(file)).toBe(false);
		writeFileSync(file, "{not json");
		expect(migrateKeybindingsFile(file)).toBe(false);
		expect(Keybindings.load(file).keys("app.model.select")).toEqual(["ctrl+l"]);
	});

	test("a keybindings.json starting with a byte-order mark is read (pi 1.6.0), legacy names included", () => {
		const file = join(mkdtempSync(join(tmpdir(), "pi-kb-")), "keybindings.json");
		writeFileSync(file, `\uFEFF${JSON.stringify({ "app.model.select": "ctrl+x" })}`);
		expect(Keybindings.load(file).keys("app.model.select")).toEqual(["ctrl+x"]);
		writeFileSync(file, `\uFEFF${JSON.stringify({ selectModel: "alt+x" })}`);
		expect(Keybindings.loadMigrating(file).keys("app.model.select")).toEqual(["alt+x"]);
		expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ "app.model.select": "alt+x" });
	});

	test("startup reads the file once: legacy names are rewritten and the table uses them", () => {
		const file = join(mkdtempSync(join(tmpdir(), "pi-kb-")), "keybindings.json");
		writeFileSync(file, JSON.stringify({ selectModel: "ctrl+x" }));
		expect(Keybindings.loadMigrating(file).keys("app.model.select")).toEqual(["ctrl+x"]);
		expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({ "app.model.select": "ctrl+x" });
	});

	test("editor keys: rebinding translates to the default key; a removed default does nothing", () => {
		const kb = new Keybindings({ "tui.editor.cursorLineStart": "alt+h" });
		expect(routeEditorKey("\x1bh", kb)).toEqual({ kind: "send", data: "\x1b[H" });
		expect(routeEditorKey("\x01", kb)).toEqual({ kind: "swallow" });
		expect(routeEditorKey("\x05", kb)).toEqual({ kind: "pass" });
		expect(routeEditorKey("x", kb)).toEqual({ kind: "pass" });
		expect(capitalizeKeys("shift+ctrl+p/alt+h")).toBe("Shift+Ctrl+P/Alt+H");
	});

	test("editor keys are routed by each table's own bindings, asked in turn (routes are remembered per table)", () => {
		const rebound = new Keybindings({ "tui.editor.cursorLineStart": "alt+h" });
		const defaults = new Keybindings();
		for (let round = 0; round < 2; round++) {
			expect(routeEditorKey("\x01", rebound)).toEqual({ kind: "swallow" });
			expect(routeEditorKey("\x01", defaults)).toEqual({ kind: "pass" });
			expect(routeEditorKey("\x1bh", rebound)).toEqual({ kind: "send", data: "\x1b[H" });
			expect(routeEditorKey("\x1bh", defaults)).toEqual({ kind: "pass" });
		}
	});
});

describe("keybindings in the interactive mode", () => {
	test("a rebound editor key moves the cursor; a rebound app key runs its action", async () => {
		const kb = new Keybindings({ "tui.editor.cursorLineStart": "alt+h", "app.model.select": "ctrl+x" });
		current = await startInteractive({ turns: [], keybindings: kb });
		const h = current;
		h.type("world");
		h.type("\x01"); // ctrl+a is no longer bound
		h.type("\x1bh");
		h.type("hello ");
		await h.waitUntil(() => h.session !== undefined);
		h.type("\x0c"); // ctrl+l: unbound now, must not open the selector
		h.type("\x18");
		await h.waitFor("Only showing models from configured providers");
		h.type("\x1b");
		await h.waitFor("hello world");
	});

	test("/hotkeys shows the effective bindings", async () => {
		const kb = new Keybindings({ "app.tools.expand": ["ctrl+x", "alt+o"] });
		// Tall enough that the header stays on screen (regular mode never redraws rows in the scrollback).
		current = await startInteractive({ turns: [], keybindings: kb, rows: 150 });
		const h = current;
		h.type("/hotkeys\r");
		await h.waitFor("Keyboard Shortcuts");
		await h.waitFor("Ctrl+X/Alt+O");
		expect(h.screen()).toContain("Toggle tool output expansion");
		expect(h.screen()).toContain("Shift+Tab");
		// The startup header's hints use the same table.
		expect(h.screen()).toContain("Press ctrl+x/alt+o to show full startup help");
		h.type("\x18");
		await h.waitFor("ctrl+x/alt+o to expand tools");
	});
});
