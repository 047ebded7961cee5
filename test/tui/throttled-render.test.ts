import { describe, expect, test } from "bun:test";
import { Text } from "../../src/tui/components/text.ts";
import { TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

/** Waits (polling, generous limit) until `done` holds. */
async function waitFor(done: () => boolean): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (!done()) {
		if (Date.now() > deadline) throw new Error("condition not reached");
		await Bun.sleep(5);
	}
}

/** A started TUI showing one Text, its first frame drawn. */
async function started() {
	const terminal = new VirtualTerminal(40, 6);
	const tui = new TUI(terminal);
	const text = new Text("start");
	tui.addChild(text);
	tui.start();
	await terminal.settle();
	return { terminal, tui, text };
}

describe("throttled frames (streamed deltas)", () => {
	test("deltas on separate ticks are drawn at most once per 16 ms, and the last one is drawn", async () => {
		const { terminal, tui, text } = await started();
		expect(terminal.getViewport().join("\n")).toContain("start");
		terminal.resetCounters();
		// Deltas on separate ticks, as a model streams them: without throttling each would be a frame of its own.
		const begun = performance.now();
		for (let i = 1; i <= 50; i++) {
			text.setText(`delta ${i}`);
			tui.requestThrottledRender();
			await new Promise((resolve) => setImmediate(resolve));
		}
		const elapsed = performance.now() - begun;
		const framesSoFar = terminal.writes.length;
		// At most one frame per 16 ms (plus the one that may start the stretch); bounded by the time it really took.
		expect(framesSoFar).toBeLessThanOrEqual(Math.floor(elapsed / 16) + 1);
		// The last change is still drawn, once the interval has passed.
		await waitFor(() => terminal.getViewport().join("\n").includes("delta 50"));
		tui.stop();
	});

	test("an ordinary request overtakes a throttled frame still waiting: drawn at the end of the tick", async () => {
		const { terminal, tui, text } = await started();
		terminal.resetCounters();
		text.setText("streamed");
		tui.requestThrottledRender();
		text.setText("typed");
		tui.requestRender();
		await terminal.settle();
		expect(terminal.getViewport().join("\n")).toContain("typed");
		expect(terminal.writes.length).toBe(1);
		tui.stop();
	});
});
