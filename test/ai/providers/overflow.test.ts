import { describe, expect, test } from "bun:test";
import { isContextOverflow } from "../../../src/ai/overflow.ts";
import { type AssistantMessage, emptyUsage, type StopReason } from "../../../src/ai/types.ts";

function message(stopReason: StopReason, errorMessage?: string, input = 0, output = 0): AssistantMessage {
	return {
		role: "assistant",
		content: [],
		api: "anthropic-messages",
		provider: "anthropic",
		model: "m",
		usage: { ...emptyUsage(), input, output },
		stopReason,
		errorMessage,
		timestamp: 0,
	};
}

describe("isContextOverflow", () => {
	test.each([
		"prompt is too long: 213462 tokens > 200000 maximum",
		'413 {"error":{"type":"request_too_large","message":"Request exceeds the maximum size"}}',
		"400 Your input exceeds the context window of this model",
		"The input token count (1196265) exceeds the maximum number of tokens allowed (1048575)",
		"This model's maximum prompt length is 131072 but the request contains 537812 tokens",
		"This endpoint's maximum context length is 200000 tokens. However, you requested about 250000 tokens",
		"400 status code (no body)",
		"prompt too long; exceeded max context length by 100 tokens",
	])("recognises %s", (text) => {
		expect(isContextOverflow(message("error", text))).toBe(true);
	});

	test("rate limits and ordinary errors are not overflow", () => {
		expect(isContextOverflow(message("error", "ThrottlingException: Too many tokens, rate limit"))).toBe(false);
		expect(isContextOverflow(message("error", "429 Too many requests: too many tokens"))).toBe(false);
		expect(isContextOverflow(message("error", "500 Internal server error"))).toBe(false);
		expect(isContextOverflow(message("stop", "prompt is too long"))).toBe(false);
	});

	test("silent overflow needs the context window", () => {
		expect(isContextOverflow(message("stop", undefined, 1200))).toBe(false);
		expect(isContextOverflow(message("stop", undefined, 1200), 1000)).toBe(true);
		expect(isContextOverflow(message("stop", undefined, 900), 1000)).toBe(false);
		expect(isContextOverflow(message("length", undefined, 995, 0), 1000)).toBe(true);
		expect(isContextOverflow(message("length", undefined, 995, 3), 1000)).toBe(false);
	});
});
