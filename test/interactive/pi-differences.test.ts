/**
 * Interactive details pi 1.6.0 users notice when they try both side by side: the subscription hints, the context
 * figure after /compact, markdown.codeBlockIndent, /model completion, /changelog and What's New, /debug.
 */
import { afterEach, describe, expect, test } from "bun:test";
import type { InteractiveUi } from "../../src/modes/interactive/ui-host.ts";
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
