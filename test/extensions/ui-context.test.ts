/**
 * The rest of `ctx.ui` in interactive mode, with pi's examples where they exist and a small extension of ours where
 * they do not: the working loader (message, visibility, indicator frames), the hidden-thinking label, autocomplete
 * providers stacked on ours, pasting into the editor, raw terminal input, tool expansion and themes.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { currentThemeName, setTheme } from "../../src/tui/themes/manager.ts";
import { copyExample } from "./examples.ts";
import { startWithExtensions, type UiHarness } from "./ui-host.ts";

const running: UiHarness[] = [];
afterEach(async () => {
	for (const harness of running.splice(0)) await harness.close();
	// The theme is the process's: put pi's default back for the next test.
	setTheme("dark");
});

async function start(...args: Parameters<typeof startWithExtensions>): Promise<UiHarness> {
	const harness = await startWithExtensions(...args);
	running.push(harness);
	return harness;
}

/** An extension of ours (pi's examples do not cover these): commands that call each ctx.ui method. */
function uiExtension(): string {
	const file = join(mkdtempSync(join(tmpdir(), "pi-ui-ext-")), "ui.ts");
	writeFileSync(
		file,
		`export default function (pi) {
	let swallowed = 0;
	pi.registerCommand("busy-text", { handler: async (_args, ctx) => ctx.ui.setWorkingMessage("Crunching numbers") });
	pi.registerCommand("busy-hide", { handler: async (_args, ctx) => ctx.ui.setWorkingVisible(false) });
	pi.registerCommand("paste-big", { handler: async (_args, ctx) => ctx.ui.pasteToEditor(Array.from({ length: 20 }, (_, i) => "line " + i).join("\\n")) });
	pi.registerCommand("expand", { handler: async (_args, ctx) => ctx.ui.setToolsExpanded(!ctx.ui.getToolsExpanded()) });
	pi.registerCommand("light", { handler: async (_args, ctx) => {
		const names = ctx.ui.getAllThemes().map((t) => t.name).join(",");
		const light = ctx.ui.getTheme("light");
		const result = ctx.ui.setTheme("light");
		ctx.ui.notify("themes " + names + " ok=" + result.success + " has-fg=" + (typeof light?.fg === "function"));
	} });
	pi.registerCommand("releases", { handler: async (_args, ctx) => {
		const seen = [];
		await ctx.ui.custom((tui, _theme, _kb, done) => ({
			wantsKeyRelease: true,
			render: () => ["keys: " + seen.join(" ")],
			invalidate() {},
			handleInput(data) {
				if (data === "q") return done(undefined);
				seen.push(data.endsWith(":3u") ? "release" : "press");
				tui.requestRender();
			},
		}));
	} });
	pi.registerCommand("swallow-x", { handler: async (_args, ctx) => {
		const off = ctx.ui.onTerminalInput((data) => (data === "x" ? (swallowed++, { consume: true }) : undefined));
		ctx.ui.notify("swallowing x");
		pi.registerCommand("swallowed", { handler: async (_a, c) => { off(); c.ui.notify("swallowed " + swallowed); } });
	} });
	pi.on("session_start", (_event, ctx) => {
		ctx.ui.addAutocompleteProvider((current) => ({
			triggerCharacters: ["#"],
			getSuggestions(lines, line, col, options) {
				const before = (lines[line] ?? "").slice(0, col);
				const match = before.match(/(?:^|\\s)#(\\w*)$/);
				if (!match) return current.getSuggestions(lines, line, col, options);
				return Promise.resolve({
					prefix: "#" + match[1],
					items: [{ value: "#2983", label: "#2983", description: "Extension API for autocomplete" }],
				});
			},
			applyCompletion: (lines, line, col, item, prefix) => current.applyCompletion(lines, line, col, item, prefix),
		}));
	});
}
`,
	);
	return file;
}

describe("ctx.ui in interactive mode", () => {
	test("working-indicator: the extension's frames and message replace pi's spinner while the agent works", async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		const pi = await start([copyExample("1.6.0", "working-indicator.ts"), uiExtension()], {
			turns: [{ gate, chunks: ["answered"] }],
		});
		pi.type("/working-indicator dot\r");
		await pi.waitForVisible("static dot");
		pi.type("/busy-text\r");
		pi.type("go\r");
		await pi.waitForVisible("● Crunching numbers");
		expect(pi.visible()).not.toContain("⠋");
		release();
		await pi.waitFor("answered");
		await pi.waitForGone("Crunching numbers");
	});

	test("setWorkingVisible(false) hides the loader row", async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => (release = resolve));
		const pi = await start([uiExtension()], { turns: [{ gate, chunks: ["answered"] }] });
		pi.type("/busy-hide\r");
		pi.type("go\r");
		await pi.waitForVisible("go");
		await pi.terminal.settle();
		expect(pi.visible()).not.toContain("Working...");
		release();
		await pi.waitFor("answered");
	});

	test("hidden-thinking-label: hidden thinking blocks show the extension's label", async () => {
		const pi = await start([copyExample("1.6.0", "hidden-thinking-label.ts")], {
			settings: { hideThinkingBlock: true },
			turns: [{ thinking: "secret reasoning", chunks: ["the answer"] }],
		});
		pi.type("why?\r");
		await pi.waitFor("the answer");
		await pi.waitForVisible("Pondering...");
		expect(pi.screen()).not.toContain("secret reasoning");
		pi.type("/thinking-label Musing\r");
		await pi.waitForVisible("Musing");
	});

	test("an autocomplete provider stacked on pi's: # completes issues, / still completes commands", async () => {
		const pi = await start([uiExtension()]);
		pi.type("fix #29");
		await pi.waitForVisible("Extension API for autocomplete");
		pi.type("\t");
		await pi.waitForVisible("fix #2983");
		pi.type("\x15/expa");
		await pi.waitForVisible("→ expand");
	}, 15_000);

	test("pasteToEditor pastes (a large paste collapses into a marker); onTerminalInput can swallow keys", async () => {
		const pi = await start([uiExtension()]);
		pi.type("/paste-big\r");
		await pi.waitForVisible("[paste #1 +20 lines]");
		pi.type("\x15/swallow-x\r");
		await pi.waitForVisible("swallowing x");
		pi.type("axbx");
		await pi.waitForVisible("ab");
		expect(pi.visible()).not.toContain("axbx");
		pi.type("\x15/swallowed\r");
		await pi.waitForVisible("swallowed 2");
	});

	test("setTheme switches and saves the theme; getAllThemes and getTheme see pi's themes", async () => {
		const pi = await start([uiExtension()]);
		pi.type("/light\r");
		await pi.waitForVisible("ok=true has-fg=true");
		expect(pi.visible()).toContain("themes dark,light");
		expect(currentThemeName()).toBe("light");
		expect(pi.session.settings.settings.theme).toBe("light");
	});

	test("entry-renderer: an entry the extension appends is drawn by its entry renderer (not sent to the model)", async () => {
		const pi = await start([copyExample("1.6.0", "entry-renderer.ts")], { turns: [{ chunks: ["ok"] }] });
		pi.type("/status-card deploy finished\r");
		await pi.waitForVisible("[status] deploy finished");
		const entry = pi.session.sessionManager.getEntries().findLast((candidate) => candidate.type === "custom");
		expect(JSON.stringify(entry)).toContain("deploy finished");
		pi.type("next\r");
		await pi.waitFor("ok");
		expect(JSON.stringify(pi.contexts.at(-1)?.messages)).not.toContain("deploy finished");
	});

	test("kitty key releases reach a component that asks for them (wantsKeyRelease), and only that one", async () => {
		const pi = await start([uiExtension()]);
		pi.type("/releases\r");
		await pi.waitForVisible("keys:");
		// a pressed and released under the kitty protocol (flag 2: event types).
		pi.type("\x1b[97u");
		pi.type("\x1b[97;1:3u");
		await pi.waitForVisible("keys: press release");
		pi.type("q");
		await pi.waitForGone("keys:");
		// The editor does not want releases: a released key types nothing.
		pi.type("\x1b[98;1:3u");
		pi.type("z");
		await pi.waitForVisible("z");
		expect(pi.visible()).not.toContain("bz");
	});
});
