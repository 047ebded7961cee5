/** The grammars packed at build time are shiki's own, unchanged, for every language pi offers. */
import { expect, test } from "bun:test";
import { SHIKI_GRAMMAR_IDS } from "../../src/tui/components/shiki-grammar-ids.ts";
import { grammarRegistrations } from "../../src/tui/components/shiki-grammar-pack.ts";
import { buildShikiGrammarPack, type PackHeader } from "../../src/tui/components/shiki-grammar-pack-build.ts";
import { convertPattern } from "../../src/tui/components/shiki-regex.ts";
import { askedPatterns, packTable } from "../../src/tui/components/shiki-regex-table.ts";

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

test("the binary's pack carries each grammar's regex table, converted at build time", async () => {
	const pack = buildShikiGrammarPack({ precompile: true, ids: ["typescript", "html"] });
	const headerLength = new DataView(pack.buffer, pack.byteOffset, 4).getUint32(0, true);
	const header = JSON.parse(new TextDecoder().decode(pack.subarray(4, 4 + headerLength))) as PackHeader;
	const body = pack.subarray(4 + headerLength);
	const unpack = ([offset, length]: [number, number]) =>
		JSON.parse(new TextDecoder().decode(Bun.zstdDecompressSync(body.subarray(offset, offset + length))));
	expect(Object.keys(header.languages)).toEqual(["typescript", "html"]);
	// html embeds other grammars (css, javascript); every packed grammar has its table.
	expect(Object.keys(header.regexes).sort()).toEqual(Object.keys(header.grammars).sort());
	for (const [name, place] of Object.entries(header.grammars)) {
		const grammar = unpack(place);
		const place2 = header.regexes[name];
		expect(place2).toBeDefined();
		const table = place2 ? unpack(place2) : [];
		expect(table).toEqual(JSON.parse(JSON.stringify(packTable(askedPatterns(grammar), convertPattern))));
	}
	expect(Object.keys(header.grammars).length).toBeGreaterThan(3);
}, 60_000);

test("the pack built from the sources has no tables: patterns are converted at first use", () => {
	const pack = buildShikiGrammarPack({ ids: ["json"] });
	const headerLength = new DataView(pack.buffer, pack.byteOffset, 4).getUint32(0, true);
	const header = JSON.parse(new TextDecoder().decode(pack.subarray(4, 4 + headerLength))) as PackHeader;
	expect(header.regexes).toEqual({});
	expect(header.languages.json).toEqual(["json"]);
});
