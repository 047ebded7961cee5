/** Model and thinking-level rules (src/agent/session/model-selection.ts) and how AgentSession applies them. */
import { describe, expect, test } from "bun:test";
import {
	nextCycleCandidate,
	nextThinkingLevel,
	thinkingLevelForModelSwitch,
} from "../../src/agent/session/model-selection.ts";
import type { Model } from "../../src/ai/types.ts";
import { createSession, TEST_MODEL } from "../interactive/harness.ts";

const a: Model = { ...TEST_MODEL, id: "a" };
const b: Model = { ...TEST_MODEL, id: "b" };
const c: Model = { ...TEST_MODEL, id: "c", reasoning: false };

describe("model cycling", () => {
	const scoped = [{ model: a }, { model: b, thinkingLevel: "high" as const }, { model: c }];

	test("steps forward and backward with wrap-around", () => {
		expect(nextCycleCandidate(scoped, a, "forward")?.model.id).toBe("b");
		expect(nextCycleCandidate(scoped, c, "forward")?.model.id).toBe("a");
		expect(nextCycleCandidate(scoped, a, "backward")?.model.id).toBe("c");
	});

	test("an unknown current model counts as the first; one candidate is nothing to cycle", () => {
		expect(nextCycleCandidate(scoped, undefined, "forward")?.model.id).toBe("b");
		expect(nextCycleCandidate([{ model: a }], b, "forward")).toBeUndefined();
	});
});

describe("thinking level on a model switch", () => {
	test("pi 1.6.0: explicit, then the model's own (modelThinkingLevels), then the default setting, then kept", () => {
		expect(thinkingLevelForModelSwitch({ level: "low" }, "high", "minimal", "xhigh")).toBe("high");
		expect(thinkingLevelForModelSwitch({ level: "low" }, undefined, "minimal", "xhigh")).toBe("xhigh");
		expect(thinkingLevelForModelSwitch({ level: "off" }, undefined, "minimal")).toBe("minimal");
		expect(thinkingLevelForModelSwitch({ level: "off" }, undefined, undefined)).toBe("off");
	});

	test("Shift+Tab order wraps around", () => {
		expect(nextThinkingLevel(["off", "low", "high"], "low")).toBe("high");
		expect(nextThinkingLevel(["off", "low", "high"], "high")).toBe("off");
	});
});

describe("AgentSession model switching", () => {
	test("cycleModel applies the scoped level and records the model in the session; settings only with persist", async () => {
		const { session } = createSession({ turns: [] });
		session.setScopedModels([{ model: TEST_MODEL }, { model: { ...TEST_MODEL, id: "other" }, thinkingLevel: "high" }]);
		const result = await session.cycleModel("forward");
		expect(result).toEqual({ model: { ...TEST_MODEL, id: "other" }, thinkingLevel: "high", isScoped: true });
		// pi 1.6.0: the SDK and RPC do not change the saved default unless asked to.
		expect(session.settings.getGlobalSettings().defaultModel).toBeUndefined();
		await session.cycleModel("forward", { persist: true });
		expect(session.settings.getGlobalSettings().defaultModel).toBe(TEST_MODEL.id);
		const last = session.sessionManager
			.getEntries()
			.filter((e) => e.type === "model_change")
			.at(-1);
		expect(last).toMatchObject({ provider: TEST_MODEL.provider, modelId: TEST_MODEL.id });
	});
});
