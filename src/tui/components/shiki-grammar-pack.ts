/**
 * The grammars shiki may load, embedded as data when pi is bundled (shiki-grammar-pack.macro.ts says how and
 * why). Imported lazily by shiki-highlight.ts on the first code block; each grammar is decompressed when its
 * language is first needed.
 */
import type { LanguageRegistration } from "shiki/core";
import { packShikiGrammars } from "./shiki-grammar-pack.macro.ts" with { type: "macro" };

const PACKED = packShikiGrammars();

/** The registrations shiki's `loadLanguage` takes for a language id of SHIKI_GRAMMAR_IDS. */
export function grammarRegistrations(id: string): LanguageRegistration[] {
	const names = PACKED.languages[id];
	if (!names) throw new Error(`no grammar is packed for ${id}`);
	return names.map((name) => {
		const data = PACKED.grammars[name];
		if (data === undefined) throw new Error(`the grammar ${name} (for ${id}) is missing from the pack`);
		// Our own build-time output, JSON of shiki's registrations: trusted as such, not re-validated.
		return JSON.parse(new TextDecoder().decode(Bun.zstdDecompressSync(Buffer.from(data, "base64"))));
	});
}
