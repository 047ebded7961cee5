/**
 * Property test: random trees of entries (appends of every type, branching, leaf resets, compactions) written to
 * disk, re-opened, and rebuilt: same entries, same leaf, same context — and the same context pi computes.
 */
import { expect, test } from "bun:test";
import type { ThinkingLevel } from "../../src/ai/types.ts";
import { SessionManager } from "../../src/session/session-manager.ts";
import { assistant, tempDir, user } from "./helpers.ts";
import { callMethod, hasPi } from "./pi-ref.ts";

/** Deterministic PRNG (mulberry32) so a failure names a reproducible seed. */
function rng(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const LEVELS: ThinkingLevel[] = ["off", "minimal", "low", "medium", "high", "xhigh"];

function randomSession(seed: number): SessionManager {
	const random = rng(seed);
	const pick = <T>(items: readonly T[]): T => {
		const item = items[Math.floor(random() * items.length)];
		if (item === undefined) throw new Error("empty");
		return item;
	};
	const manager = SessionManager.create("/prop", tempDir());
	manager.appendMessage(user(`seed ${seed}`));
	manager.appendMessage(assistant("first answer"));
	const steps = 20 + Math.floor(random() * 60);
	for (let i = 0; i < steps; i++) {
		const ids = manager.getEntries().map((entry) => entry.id);
		const roll = random();
		if (roll < 0.25) manager.appendMessage(user(`u${i}`, i));
		else if (roll < 0.45) manager.appendMessage(assistant(`a${i}`, { provider: `p${i % 3}`, model: `m${i}` }));
		else if (roll < 0.5)
			manager.appendMessage({
				role: "bashExecution",
				command: `c${i}`,
				output: "o",
				exitCode: 0,
				cancelled: false,
				truncated: false,
				timestamp: i,
				...(random() < 0.5 ? { excludeFromContext: true } : {}),
			});
		else if (roll < 0.55) manager.appendThinkingLevelChange(pick(LEVELS));
		else if (roll < 0.6) manager.appendModelChange(`prov${i}`, `model${i}`);
		else if (roll < 0.65) manager.appendCustomMessage(`t${i}`, `custom ${i}`, random() < 0.5, { i });
		else if (roll < 0.68) manager.appendCustomEntry(`s${i}`, { i });
		else if (roll < 0.71) manager.appendLabel(pick(ids), random() < 0.7 ? `label${i}` : undefined);
		else if (roll < 0.73) manager.appendSessionInfo(`name ${i}`);
		else if (roll < 0.78) {
			const path = manager.getBranch();
			const kept = path.length > 0 ? pick(path).id : pick(ids);
			manager.appendCompaction(`summary ${i}`, random() < 0.9 ? kept : "missing-id", i * 10);
		} else if (roll < 0.83)
			manager.appendBranchSummary(random() < 0.9 ? pick(ids) : null, random() < 0.8 ? `bs${i}` : "");
		else if (roll < 0.95) manager.branch(pick(ids));
		else manager.resetLeaf();
	}
	// make the final leaf durable: on reload the leaf is the last line
	manager.appendMessage(user("final"));
	return manager;
}

test("random trees round-trip through the file and rebuild the same context", async () => {
	const piClass: unknown = hasPi ? await (await import("./pi-ref.ts")).piSessionManagerClass() : undefined;
	for (let seed = 1; seed <= 60; seed++) {
		const written = randomSession(seed);
		const path = written.getSessionFile() ?? "";
		const reopened = SessionManager.open(path);
		expect(reopened.warnings).toEqual([]);
		expect(reopened.getEntries()).toEqual(written.getEntries());
		expect(reopened.getLeafId()).toBe(written.getLeafId());
		expect(reopened.buildSessionContext()).toEqual(written.buildSessionContext());
		expect(reopened.getName()).toBe(written.getName());
		for (const entry of written.getEntries()) expect(reopened.getLabel(entry.id)).toBe(written.getLabel(entry.id));
		if (piClass) {
			const theirs = callMethod(piClass, "open", path);
			const ours: unknown = reopened.buildSessionContext();
			expect(ours).toEqual(callMethod(theirs, "buildSessionContext"));
			const someId = written.getEntries()[seed % written.getEntries().length]?.id ?? "";
			callMethod(theirs, "branch", someId);
			reopened.branch(someId);
			const oursBranched: unknown = reopened.buildSessionContext();
			expect(oursBranched).toEqual(callMethod(theirs, "buildSessionContext"));
			const ourTree: unknown = JSON.parse(JSON.stringify(reopened.getTree()));
			expect(ourTree).toEqual(JSON.parse(JSON.stringify(callMethod(theirs, "getTree"))));
		}
	}
});
