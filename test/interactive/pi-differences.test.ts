/**
 * Interactive details pi 1.6.0 users notice when they try both side by side: the subscription hints, the context
 * figure after /compact, markdown.codeBlockIndent, /model completion, /changelog and What's New, /debug.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { agentPaths } from "../../src/config/paths.ts";
import type { InteractiveUi } from "../../src/modes/interactive/ui-host.ts";
import { VERSION } from "../../src/version.ts";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;
afterEach(async () => {
	await current?.close();
	current = undefined;
});

async function start(options: Parameters<typeof startInteractive>[0]): Promise<{ h: Harness; ui: InteractiveUi }> {
	let ui: InteractiveUi | undefined;
	const h = await startInteractive({
		...options,
		interactive: { ...options.interactive, onReady: (value) => (ui = value) },
	});
	current = h;
	if (!ui) throw new Error("onReady was not called");
	return { h, ui };
}

const OAUTH = { type: "oauth" as const, access: "sk-ant-oat-x", refresh: "r", expires: Date.now() + 3_600_000 };
const WARNING = "Anthropic subscription auth is active.";

describe("subscription hints", () => {
	test("an Anthropic subscription login: (sub) after the cost and the extra-usage warning, once", async () => {
		const { h, ui } = await start({ turns: [] });
		expect(h.screen()).not.toContain("(sub)");
		h.auth.set("anthropic", OAUTH);
		ui.modelChanged();
		await h.waitFor(WARNING);
		await h.waitFor("$0.000 (sub)");
		ui.modelChanged();
		await Bun.sleep(50);
		expect(h.screen().split(WARNING).length - 1).toBe(1);
	});

	test("warnings.anthropicExtraUsage: false keeps the warning away; the footer still says (sub)", async () => {
		const { h, ui } = await start({ turns: [], settings: { warnings: { anthropicExtraUsage: false } } });
		h.auth.set("anthropic", OAUTH);
		ui.modelChanged();
		await h.waitFor("(sub)");
		await Bun.sleep(50);
		expect(h.screen()).not.toContain(WARNING);
	});
});

describe("markdown.codeBlockIndent", () => {
	test("code block lines start with the configured indent", async () => {
		const { h } = await start({
			turns: [{ chunks: ["Here:\n\n```\nlet answer = 42\n```\n"] }],
			settings: { markdown: { codeBlockIndent: "    " } },
		});
		h.type("show code\r");
		await h.waitFor("let answer = 42");
		const line =
			h
				.screen()
				.split("\n")
				.find((row) => row.includes("let answer = 42")) ?? "";
		// One column of message padding, then the indent.
		expect(line.startsWith(`     let answer`)).toBe(true);
	});
});

describe("/changelog, What's New and /debug", () => {
	test("/changelog shows our CHANGELOG.md under What's New", async () => {
		const { h } = await start({ turns: [] });
		h.type("/changelog\r");
		await h.waitFor("What's New");
		await h.waitFor(/\[0\.1\.0\]/);
	});

	test("after an update, a new session starts with the entries since the version last seen; then it is recorded", async () => {
		const { h } = await start({ turns: [], settings: { lastChangelogVersion: "0.0.9" } });
		await h.waitFor("What's New");
		expect(h.screen()).toMatch(/\[0\.1\.0\]/);
		expect(h.session.settings.settings.lastChangelogVersion).toBe(VERSION);
	});

	test("collapseChangelog shows one line; a fresh install shows nothing and records the version", async () => {
		const collapsed = await start({
			turns: [],
			settings: { lastChangelogVersion: "0.0.9", collapseChangelog: true },
		});
		await collapsed.h.waitFor("Updated to v0.1.0. Use /changelog to view full changelog.");
		await current?.close();
		const fresh = await start({ turns: [] });
		await Bun.sleep(50);
		expect(fresh.h.screen()).not.toContain("What's New");
		expect(fresh.h.session.settings.settings.lastChangelogVersion).toBe(VERSION);
	});

	test("/debug writes the screen's lines and the messages to pi-debug.log; it is not in the autocomplete", async () => {
		const { h } = await start({ turns: [{ chunks: ["debug me"] }] });
		h.type("hello\r");
		await h.waitFor("debug me");
		h.type("/deb");
		await Bun.sleep(30);
		expect(h.screen()).not.toMatch(/→ debug/);
		h.type("ug\r");
		await h.waitFor("✓ Debug log written");
		const dump = readFileSync(agentPaths.debugLog(), "utf8");
		expect(dump).toContain("=== All rendered lines with visible widths ===");
		expect(dump).toMatch(/\(w=\d+\) ".*debug me/);
		expect(dump).toContain('"role":"user"');
	});
});
