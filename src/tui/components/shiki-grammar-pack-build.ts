/**
 * Packs the grammars of SHIKI_GRAMMAR_IDS into one file: build.ts embeds it in the binary (an asset, outside the
 * bytecode); running from the sources, shiki-grammar-pack.ts builds it on first use (~0.16 s). Each grammar is
 * packed once (markdown and cpp embed others) as zstd-compressed JSON of its LanguageRegistration. As shiki's own
 * modules the grammars were 2.7 MB of JavaScript, which the binary held twice (source and bytecode); as base64
 * strings in a module 0.39 MB, twice; as this file 0.29 MB, once. zstd level 9, not 19: 19 packs 6 % smaller but
 * takes ~1 s instead of ~0.16 s.
 *
 * With `precompile` (the binary's pack) each grammar also gets its regex table (shiki-regex-table.ts): its patterns
 * converted to JavaScript ahead, so the first code block does not run the converter (TypeScript: ~100 ms). Running
 * from the sources the pack is built without them (conversion of all grammars takes seconds) and patterns are
 * converted at first use instead, the same way.
 *
 * Layout: a little-endian u32 header length, the header (JSON: PackHeader), then the compressed grammars and tables.
 */
import * as v from "valibot";
import { SHIKI_GRAMMAR_IDS } from "./shiki-grammar-ids.ts";
import { convertPattern } from "./shiki-regex.ts";
import { askedPatterns, packTable } from "./shiki-regex-table.ts";

export interface PackHeader {
	/** shiki language id → the names of the grammars to load for it, in shiki's order (embedded ones first). */
	languages: Record<string, string[]>;
	/** grammar name → [offset, length] of its compressed JSON after the header. */
	grammars: Record<string, [number, number]>;
	/** grammar name → [offset, length] of its compressed regex table (JSON: PackedPattern[]), when precompiled. */
	regexes: Record<string, [number, number]>;
}

const GrammarModuleSchema = v.object({ default: v.array(v.looseObject({ name: v.string() })) });

/** `ids` packs only those languages (tests); `precompile` adds the regex tables (the binary's pack). */
export function buildShikiGrammarPack(options: { precompile?: boolean; ids?: readonly string[] } = {}): Uint8Array {
	const header: PackHeader = { languages: {}, grammars: {}, regexes: {} };
	const blobs: Uint8Array[] = [];
	let offset = 0;
	const add = (json: unknown): [number, number] => {
		const blob = Bun.zstdCompressSync(JSON.stringify(json), { level: 9 });
		blobs.push(blob);
		offset += blob.length;
		return [offset - blob.length, blob.length];
	};
	for (const id of options.ids ?? SHIKI_GRAMMAR_IDS) {
		const registrations = v.parse(GrammarModuleSchema, import.meta.require(`shiki/langs/${id}.mjs`)).default;
		header.languages[id] = registrations.map((registration) => registration.name);
		for (const registration of registrations) {
			if (header.grammars[registration.name]) continue;
			header.grammars[registration.name] = add(registration);
			if (options.precompile)
				header.regexes[registration.name] = add(packTable(askedPatterns(registration), convertPattern));
		}
	}
	const headerBytes = new TextEncoder().encode(JSON.stringify(header));
	const length = new Uint8Array(4);
	new DataView(length.buffer).setUint32(0, headerBytes.length, true);
	return Buffer.concat([length, headerBytes, ...blobs]);
}
