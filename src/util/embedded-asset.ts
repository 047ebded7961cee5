/**
 * Large things that only some runs use, which the compiled binary carries as plain embedded files (`bun build
 * --asset`, see build.ts) instead of bundling them: the WebAssembly of Photon and QuickJS gzip-compressed, and
 * "islands" — modules kept as JavaScript outside the bytecode. From the sources they are read or imported as they are.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface GzipAsset {
	/** The file as a package exports it, resolved from node_modules when running from the sources. */
	specifier: string;
	/** Its gzip-compressed copy's name among the binary's embedded files. */
	embeddedName: string;
}

export const PHOTON_WASM: GzipAsset = {
	specifier: "@silvia-odwyer/photon-node/photon_rs_bg.wasm",
	embeddedName: "photon_rs_bg.wasm.gz",
};

export const QUICKJS_WASM: GzipAsset = { specifier: "quickjs-wasi/quickjs.wasm", embeddedName: "quickjs.wasm.gz" };

/** What build.ts embeds with --asset, gzip-compressed. */
export const GZIP_ASSETS: readonly GzipAsset[] = [PHOTON_WASM, QUICKJS_WASM];

/** A file of ours (path below src/) that build.ts embeds zstd-compressed, cheap enough to decompress at startup. */
export interface ZstdAsset {
	source: string;
	embeddedName: string;
}

/**
 * The model catalog: 0.78 MB of JSON, 30 KB at zstd level 19, decompressed in ~0.3 ms when a provider's models are
 * first needed (catalog spans are offsets into the decompressed text, the same bytes as the file).
 */
export const MODEL_CATALOG: ZstdAsset = { source: "ai/catalog/models.json", embeddedName: "models.json.zst" };

/** What build.ts embeds with --asset, zstd-compressed. */
export const ZSTD_ASSETS: readonly ZstdAsset[] = [MODEL_CATALOG];

/** The embedded name of shiki's grammars, packed at build time (src/tui/components/shiki-grammar-pack-build.ts). */
export const SHIKI_GRAMMAR_PACK = "shiki-grammars.bin";

function embeddedFile(name: string): Blob | undefined {
	return Bun.embeddedFiles.find((file) => (file as Blob & { name?: string }).name === name);
}

/** The bytes of one of the binary's embedded files, or undefined when there is none by that name (the sources). */
export async function embeddedBytes(name: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
	return embeddedFile(name)?.bytes();
}

/** The path Bun gives an embedded file (forward slashes on every system: B:/~BUN/root/… on Windows). */
function embeddedPath(name: string): string {
	return `${dirname(Bun.main).replaceAll("\\", "/")}/${name}`;
}

/** The file's bytes, synchronously: the binary's embedded copy decompressed, or the file itself from the sources. */
export function readZstdAssetSync(asset: ZstdAsset): Buffer {
	if (embeddedFile(asset.embeddedName) === undefined) return readFileSync(join(import.meta.dir, "..", asset.source));
	return Buffer.from(Bun.zstdDecompressSync(readFileSync(embeddedPath(asset.embeddedName))));
}

/** The file's bytes: the binary's embedded copy decompressed, or the package's file when running from the sources. */
export async function readGzipAsset(asset: GzipAsset): Promise<Uint8Array> {
	const embedded = await embeddedBytes(asset.embeddedName);
	if (embedded) return Bun.gunzipSync(embedded);
	return readFileSync(Bun.resolveSync(asset.specifier, import.meta.dir));
}

/** A module (path below src/) that build.ts bundles on its own and embeds as JavaScript, without bytecode. */
export interface Island {
	source: string;
	embeddedName: string;
}

/**
 * The AWS SDK of the Bedrock provider: ~0.5 MB of JavaScript that bytecode would turn into ~1.7 MB for a provider
 * few runs use; the first Bedrock request of a process compiles it from source instead (~25 ms CPU, once).
 */
export const BEDROCK_SDK: Island = { source: "ai/providers/bedrock-sdk.ts", embeddedName: "bedrock-sdk.js" };

/** highlight.js for the HTML export: ~0.15 MB of JavaScript, ~0.4 MB with its bytecode. */
export const HIGHLIGHT_JS: Island = { source: "export/highlight-js.ts", embeddedName: "highlight-js.js" };

/**
 * The converter of Oniguruma patterns to JavaScript (oniguruma-to-es, ~57 KB minified) for the few patterns shiki's
 * packed regex tables cannot hold (shiki-regex-engine.ts); loaded on the first such pattern.
 */
export const SHIKI_REGEX_CONVERTER: Island = {
	source: "tui/components/shiki-regex.ts",
	embeddedName: "shiki-regex.js",
};

/** What build.ts bundles and embeds as islands. */
export const ISLANDS: readonly Island[] = [BEDROCK_SDK, HIGHLIGHT_JS, SHIKI_REGEX_CONVERTER];

/**
 * Where an island is: the binary's embedded copy (chunks and embedded files share the folder of Bun.main), or the
 * module itself when running from the sources. The path is computed, so the bundler does not pull the island in.
 */
function islandPath(island: Island): string {
	if (embeddedFile(island.embeddedName) === undefined) return join(import.meta.dir, "..", island.source);
	return embeddedPath(island.embeddedName);
}

// The callers name the island's module type: a computed import cannot be typed by the checker.
export async function importIsland<Module>(island: Island): Promise<Module> {
	return (await import(islandPath(island))) as Module;
}

/** As importIsland, synchronously (an island without top-level await). */
export function requireIsland<Module>(island: Island): Module {
	return require(islandPath(island)) as Module;
}
