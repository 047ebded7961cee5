/** The grammars packed at build time are shiki's own, unchanged, for every language pi offers. */
import { expect, test } from "bun:test";
import { SHIKI_GRAMMAR_IDS } from "../../src/tui/components/shiki-grammar-ids.ts";
import { grammarRegistrations } from "../../src/tui/components/shiki-grammar-pack.ts";

test("every offered language unpacks to exactly the registrations shiki's module exports", async () => {
	expect(SHIKI_GRAMMAR_IDS.length).toBeGreaterThan(40);
	for (const id of SHIKI_GRAMMAR_IDS) {
		const shikis = (await import(`shiki/langs/${id}.mjs`)) as { default: unknown[] };
		expect(await grammarRegistrations(id)).toEqual(JSON.parse(JSON.stringify(shikis.default)));
	}
});

test("a language that is not offered is an error, not an empty grammar", async () => {
	await expect(grammarRegistrations("brainfuck")).rejects.toThrow("no grammar is packed for brainfuck");
});
