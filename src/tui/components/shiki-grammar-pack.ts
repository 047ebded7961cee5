/**
 * The grammars shiki may load, packed by shiki-grammar-pack-build.ts: the binary's embedded copy, or packed on first
 * use when running from the sources. Imported lazily by shiki-highlight.ts on the first code block; each grammar is
 * decompressed when its language is first needed.
 */
import { join } from "node:path";
import type { LanguageRegistration } from "shiki/core";
import { embeddedBytes, SHIKI_GRAMMAR_PACK } from "../../util/embedded-asset.ts";
import type { PackHeader } from "./shiki-grammar-pack-build.ts";
import type { PackedPattern } from "./shiki-regex-table.ts";

interface GrammarPack {
	header: PackHeader;
	body: Uint8Array;
}

let loading: Promise<GrammarPack> | undefined;

function loadPack(): Promise<GrammarPack> {
	loading ??= (async () => {
		const bytes: Uint8Array = (await embeddedBytes(SHIKI_GRAMMAR_PACK)) ?? (await packFromSources());
		const headerLength = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
		// Our own build-time output: trusted as such, not re-validated.
		const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + headerLength))) as PackHeader;
		return { header, body: bytes.subarray(4 + headerLength) };
	})();
	return loading;
}

async function packFromSources(): Promise<Uint8Array> {
	// A computed path: the bundler must not pull the packer (and every grammar module) into the binary.
	const packer: typeof import("./shiki-grammar-pack-build.ts") = await import(
		join(import.meta.dir, "shiki-grammar-pack-build.ts")
	);
	return packer.buildShikiGrammarPack();
}

function unpack(body: Uint8Array, [offset, length]: [number, number]): unknown {
	return JSON.parse(new TextDecoder().decode(Bun.zstdDecompressSync(body.subarray(offset, offset + length))));
}

/** The registrations shiki's `loadLanguage` takes for a language id of SHIKI_GRAMMAR_IDS. */
export async function grammarRegistrations(id: string): Promise<LanguageRegistration[]> {
	const { header, body } = await loadPack();
	const names = header.languages[id];
	if (!names) throw new Error(`no grammar is packed for ${id}`);
	return names.map((name) => {
		const place = header.grammars[name];
		if (place === undefined) throw new Error(`the grammar ${name} (for ${id}) is missing from the pack`);
		return unpack(body, place) as LanguageRegistration;
	});
}

/**
 * The registrations of a language (as grammarRegistrations) with each grammar's regex table (shiki-regex-table.ts),
 * empty when the pack was built without them (from the sources; the binary's pack has them).
 */
export async function grammarsWithPatterns(
	id: string,
): Promise<Array<{ grammar: LanguageRegistration; patterns: PackedPattern[] }>> {
	const { header, body } = await loadPack();
	return (await grammarRegistrations(id)).map((grammar) => {
		const place = header.regexes[grammar.name];
		return { grammar, patterns: place ? (unpack(body, place) as PackedPattern[]) : [] };
	});
}
