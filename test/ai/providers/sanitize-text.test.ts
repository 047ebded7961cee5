import { expect, test } from "bun:test";
import { sanitizeText } from "../../../src/ai/providers/options.ts";

test("sanitizeText drops lone surrogates only; well-formed text comes back as it is", () => {
	expect(sanitizeText("plain ascii")).toBe("plain ascii");
	expect(sanitizeText("emoji 😀 and ü")).toBe("emoji 😀 and ü");
	expect(sanitizeText("high \uD83D alone")).toBe("high  alone");
	expect(sanitizeText("low \uDE00 alone")).toBe("low  alone");
	expect(sanitizeText("\uDE00\uD83D😀\uD83D")).toBe("😀");
});
