/**
 * Packs the grammars of SHIKI_GRAMMAR_IDS into one file: build.ts embeds it in the binary (an asset, outside the
 * bytecode); running from the sources, shiki-grammar-pack.ts builds it on first use (~0.16 s). Each grammar is
 * packed once (markdown and cpp embed others) as zstd-compressed JSON of its LanguageRegistration. As shiki's own
 * modules the grammars were 2.7 MB of JavaScript, which the binary held twice (source and bytecode); as base64
 * strings in a module 0.39 MB, twice; as this file 0.29 MB, once. zstd level 9, not 19: 19 packs 6 % smaller but
 * takes ~1 s instead of ~0.16 s.
 *
 * Layout: a little-endian u32 header length, the header (JSON: PackHeader), then the compressed grammars.
 */
import * as v from "valibot";
import { SHIKI_GRAMMAR_IDS } from "./shiki-grammar-ids.ts";

export interface PackHeader {
	/** shiki language id → the names of the grammars to load for it, in shiki's order (embedded ones first). */
	languages: Record<string, string[]>;
	/** grammar name → [offset, length] of its compressed JSON after the header. */
	grammars: Record<string, [number, number]>;
}

const GrammarModuleSchema = v.object({ default: v.array(v.looseObject({ name: v.string() })) });

export function buildShikiGrammarPack(): Uint8Array {
	const header: PackHeader = { languages: {}, grammars: {} };
	const blobs: Uint8Array[] = [];
	let offset = 0;
	for (const id of SHIKI_GRAMMAR_IDS) {
		const registrations = v.parse(GrammarModuleSchema, import.meta.require(`shiki/langs/${id}.mjs`)).default;
		header.languages[id] = registrations.map((registration) => registration.name);
		for (const registration of registrations) {
			if (header.grammars[registration.name]) continue;
			const blob = Bun.zstdCompressSync(JSON.stringify(registration), { level: 9 });
			header.grammars[registration.name] = [offset, blob.length];
			offset += blob.length;
			blobs.push(blob);
		}
	}
	const headerBytes = new TextEncoder().encode(JSON.stringify(header));
	const length = new Uint8Array(4);
	new DataView(length.buffer).setUint32(0, headerBytes.length, true);
	return Buffer.concat([length, headerBytes, ...blobs]);
}
