/**
 * pi-ai's transcript helpers as extensions get them (`import { getCurrentSystemPrompt } from "@earendil-works/pi-ai"`):
 * the replay is the agent's own (src/ai/transcript.ts), fed with whatever an extension's request carries.
 */
import { describe, expect, test } from "bun:test";
import { loadProvidedModule } from "../../src/extensions/modules/register.ts";

type Fn = (...args: unknown[]) => unknown;

async function piAi(): Promise<Record<string, Fn>> {
	const module = await loadProvidedModule("@earendil-works/pi-ai");
	const named: Record<string, Fn> = {};
	for (const [name, value] of Object.entries(module)) if (typeof value === "function") named[name] = value as Fn;
	return named;
}

describe("pi-ai transcript helpers for extensions", () => {
	test("a pi 0.73-style request (systemPrompt + tools) reads as its leading system message", async () => {
		const ai = await piAi();
		const tool = { name: "read", description: "Read a file", parameters: { type: "object" } };
		const transcript = ai.normalizeContext?.({ systemPrompt: "Be brief.", tools: [tool], messages: [] });
		const messages = (transcript as { messages: { role: string }[] }).messages;
		expect(ai.getCurrentSystemPrompt?.(messages)).toBe("Be brief.");
		expect(ai.getCurrentTools?.(messages)).toEqual([tool]);
	});

	test("system messages replay: sections patched by name, tools added and removed", async () => {
		const ai = await piAi();
		const a = { name: "a", description: "A", parameters: {} };
		const b = { name: "b", description: "B", parameters: {} };
		const messages = [
			{ role: "system", content: "Base.", sections: { rules: "Rule 1." }, toolsAdded: [a, b], timestamp: 1 },
			{ role: "user", content: "hi", timestamp: 2 },
			{ role: "system", content: [], sections: { rules: "Rule 2." }, toolsRemoved: [{ name: "a" }], timestamp: 3 },
		];
		expect(ai.getCurrentSystemPrompt?.(messages)).toBe("Base.\n\nRule 2.");
		expect(ai.getCurrentTools?.(messages)).toEqual([b]);
	});

	test("contentText takes whatever it is given: text blocks joined, anything else empty", async () => {
		const ai = await piAi();
		expect(ai.contentText?.(undefined)).toBe("");
		expect(ai.contentText?.({ not: "content" })).toBe("");
		expect(ai.contentText?.([{ type: "text", text: "a" }, { type: "image" }, null, { type: "text", text: "b" }])).toBe(
			"a\nb",
		);
		expect(
			ai.contentText?.(
				[
					{ type: "text", text: "a" },
					{ type: "text", text: "b" },
				],
				" ",
			),
		).toBe("a b");
	});
});
