/**
 * Runs when pi is bundled (a Bun macro: shiki-grammar-pack.ts imports it `with { type: "macro" }`), never in the
 * binary. It packs the grammars of SHIKI_GRAMMAR_IDS as data: each grammar once (markdown and cpp embed others),
 * as zstd-compressed JSON in base64. As shiki's own modules the grammars were 2.7 MB of JavaScript, which the
 * compiled binary held twice (source and bytecode): 5.5 MB; packed they are 0.39 MB, twice. zstd level 9, not 19:
 * 19 packs 6 % smaller (22 KB) but takes ~1 s instead of ~0.16 s, paid by every process that highlights while
 * running from the sources (the tests).
 */
import * as v from "valibot";
import { SHIKI_GRAMMAR_IDS } from "./shiki-grammar-ids.ts";

export interface PackedGrammars {
	/** shiki language id → the names of the grammars to load for it, in shiki's order (embedded ones first). */
	languages: Record<string, string[]>;
	/** grammar name → base64 of the zstd-compressed JSON of its LanguageRegistration. */
	grammars: Record<string, string>;
}

const GrammarModuleSchema = v.object({ default: v.array(v.looseObject({ name: v.string() })) });

export function packShikiGrammars(): PackedGrammars {
	const packed: PackedGrammars = { languages: {}, grammars: {} };
	for (const id of SHIKI_GRAMMAR_IDS) {
		const registrations = v.parse(GrammarModuleSchema, import.meta.require(`shiki/langs/${id}.mjs`)).default;
		packed.languages[id] = registrations.map((registration) => registration.name);
		for (const registration of registrations) {
			packed.grammars[registration.name] ??= Buffer.from(
				Bun.zstdCompressSync(JSON.stringify(registration), { level: 9 }),
			).toString("base64");
		}
	}
	return packed;
}
