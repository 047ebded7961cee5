/**
 * The grammars shiki may load, packed by shiki-grammar-pack-build.ts: the binary's embedded copy, or packed on first
 * use when running from the sources. Imported lazily by shiki-highlight.ts on the first code block; each grammar is
 * decompressed when its language is first needed.
 */
import { join } from "node:path";
import type { LanguageRegistration } from "shiki/core";
import { embeddedBytes, SHIKI_GRAMMAR_PACK } from "../../util/embedded-asset.ts";
import type { PackHeader } from "./shiki-grammar-pack-build.ts";

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

/** The registrations shiki's `loadLanguage` takes for a language id of SHIKI_GRAMMAR_IDS. */
export async function grammarRegistrations(id: string): Promise<LanguageRegistration[]> {
	const { header, body } = await loadPack();
	const names = header.languages[id];
	if (!names) throw new Error(`no grammar is packed for ${id}`);
	return names.map((name) => {
		const place = header.grammars[name];
		if (place === undefined) throw new Error(`the grammar ${name} (for ${id}) is missing from the pack`);
		const json = Bun.zstdDecompressSync(body.subarray(place[0], place[0] + place[1]));
		return JSON.parse(new TextDecoder().decode(json));
	});
}
