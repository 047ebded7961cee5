/** Steering and follow-up queue (src/agent/session/prompt-queue.ts): texts leave when the agent delivers them. */
import { describe, expect, test } from "bun:test";
import { PiError } from "../../src/util/errors.ts";
import { createSession } from "../interactive/harness.ts";

describe("AgentSession queue", () => {
	test("a steering message is shown until the agent delivers it, then sent in the next turn", async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const { session, contexts } = createSession({ turns: [{ chunks: ["working"], gate }, { chunks: ["steered"] }] });
		const updates: string[][] = [];
		session.subscribe((event) => {
			if (event.type === "queue_update") updates.push([...event.steering, ...event.followUp]);
		});
		const run = session.prompt("start");
		while (!session.isStreaming) await Bun.sleep(1);
		let accepted = false;
		await session.prompt("turn left", { streamingBehavior: "steer", onAccepted: () => (accepted = true) });
		expect(accepted).toBeTrue();
		expect(session.queuedSteering).toEqual(["turn left"]);
		expect(session.pendingMessageCount).toBe(1);
		release();
		await run;
		expect(updates).toEqual([["turn left"], []]);
		expect(session.pendingMessageCount).toBe(0);
		expect(JSON.stringify(contexts[1]?.messages.at(-1))).toContain("turn left");
	});

	test("prompting while streaming without a behaviour is refused", async () => {
		let release = () => {};
		const gate = new Promise<void>((resolve) => {
			release = resolve;
		});
		const { session } = createSession({ turns: [{ chunks: ["x"], gate }] });
		const run = session.prompt("start");
		while (!session.isStreaming) await Bun.sleep(1);
		await expect(session.prompt("again")).rejects.toBeInstanceOf(PiError);
		release();
		await run;
	});

	test("clearQueue hands back both queues and empties them", () => {
		const { session } = createSession({ turns: [] });
		session.steer("a");
		session.followUp("b");
		expect(session.clearQueue()).toEqual({ steering: ["a"], followUp: ["b"] });
		expect(session.pendingMessageCount).toBe(0);
		expect(session.queuedFollowUps).toEqual([]);
	});
});
