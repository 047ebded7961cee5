import { afterEach, describe, expect, test } from "bun:test";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;

afterEach(async () => {
	await current?.close();
	current = undefined;
});

/** The footer's token totals line as drawn. */
function footerTotals(h: Harness): string | undefined {
	return h.screen().match(/↑\S+ ↓\S+/)?.[0];
}

describe("footer totals", () => {
	test("grow with each answer, and start over in a new session", async () => {
		// Each scripted answer reports 1,200 tokens in and 34 out.
		current = await startInteractive({
			turns: [{ chunks: ["first reply"] }, { chunks: ["second reply"] }, { chunks: ["third reply"] }],
		});
		const h = current;
		h.type("one\r");
		await h.waitFor("↑1.2k ↓34");
		await h.waitUntil(() => !h.session.isStreaming);
		h.type("two\r");
		await h.waitFor("↑2.4k ↓68");
		await h.waitUntil(() => !h.session.isStreaming);
		expect(h.session.getSessionStats().tokens.input).toBe(2400);
		h.type("/new\r");
		await h.waitFor("✓ New session started");
		await h.waitUntil(() => footerTotals(h) === undefined);
		h.type("three\r");
		await h.waitFor("third reply");
		await h.waitFor("↑1.2k ↓34");
		expect(footerTotals(h)).toBe("↑1.2k ↓34");
	});
});

describe("footer lines kept between frames", () => {
	test("are drawn again when what they show changes: the session name, the totals", async () => {
		current = await startInteractive({ turns: [{ chunks: ["first reply"] }] });
		const h = current;
		h.type("/name footer-check\r");
		await h.waitFor("• footer-check");
		h.type("one\r");
		await h.waitFor("↑1.2k ↓34");
		await h.waitUntil(() => !h.session.isStreaming);
		h.type("/name renamed\r");
		await h.waitFor("• renamed");
		expect(h.screen()).not.toContain("• footer-check");
		expect(footerTotals(h)).toBe("↑1.2k ↓34");
	});
});
