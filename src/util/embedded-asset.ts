/**
 * Large things that only some runs use, which the compiled binary carries as plain embedded files (`bun build
 * --asset`, see build.ts) instead of bundling them: the WebAssembly of Photon and QuickJS, the model catalog and the
 * README zstd-compressed, shiki's grammar pack, and "islands" — modules kept as JavaScript outside the bytecode. From
 * the sources they are read or imported as they are.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface WasmAsset {
	/** The file as a package exports it, resolved from node_modules when running from the sources. */
	specifier: string;
	/** Its zstd-compressed copy's name among the binary's embedded files. */
	embeddedName: string;
}

export const PHOTON_WASM: WasmAsset = {
	specifier: "@silvia-odwyer/photon-node/photon_rs_bg.wasm",
	embeddedName: "photon_rs_bg.wasm.zst",
};

export const QUICKJS_WASM: WasmAsset = { specifier: "quickjs-wasi/quickjs.wasm", embeddedName: "quickjs.wasm.zst" };

/** What build.ts embeds with --asset, zstd-compressed. */
export const WASM_ASSETS: readonly WasmAsset[] = [PHOTON_WASM, QUICKJS_WASM];

/** A file of ours (path relative to src/) that build.ts embeds zstd-compressed, cheap enough to decompress at startup. */
export interface ZstdAsset {
	source: string;
	embeddedName: string;
}

/**
 * The model catalog: 0.78 MB of JSON, 30 KB at zstd level 19, decompressed in ~0.3 ms when a provider's models are
 * first needed (catalog spans are offsets into the decompressed text, the same bytes as the file).
 */
export const MODEL_CATALOG: ZstdAsset = { source: "ai/catalog/models.json", embeddedName: "models.json.zst" };

/**
 * The README the system prompt points the model at (src/docs/readme.ts writes it out): 84 KB, 28 KB at zstd
 * level 19, decompressed in ~0.1 ms when a prompt is first built.
 */
export const README: ZstdAsset = { source: "../README.md", embeddedName: "README.md.zst" };

/** What build.ts embeds with --asset, zstd-compressed. */
export const ZSTD_ASSETS: readonly ZstdAsset[] = [MODEL_CATALOG, README];

/** The embedded name of shiki's grammars, packed at build time (src/tui/components/shiki-grammar-pack-build.ts). */
export const SHIKI_GRAMMAR_PACK = "shiki-grammars.bin";

function embeddedFile(name: string): Blob | undefined {
	return Bun.embeddedFiles.find((file) => (file as Blob & { name?: string }).name === name);
}

/** The bytes of one of the binary's embedded files, or undefined when there is none by that name (the sources). */
export async function embeddedBytes(name: string): Promise<Uint8Array<ArrayBuffer> | undefined> {
	return embeddedFile(name)?.bytes();
}

/**
 * The path Bun gives an embedded file (forward slashes on every system: B:/~BUN/root/… on Windows), from the main
 * thread: a worker's Bun.main is its own entry, in a folder below.
 */
function embeddedPath(name: string): string {
	return `${dirname(Bun.main).replaceAll("\\", "/")}/${name}`;
}

/** The file's bytes, synchronously: the binary's embedded copy decompressed, or the file itself from the sources. */
export function readZstdAssetSync(asset: ZstdAsset): Buffer {
	if (embeddedFile(asset.embeddedName) === undefined) return readFileSync(join(import.meta.dir, "..", asset.source));
	return Buffer.from(Bun.zstdDecompressSync(readFileSync(embeddedPath(asset.embeddedName))));
}

/** The file's bytes: the binary's embedded copy decompressed, or the package's file when running from the sources. */
export async function readWasmAsset(asset: WasmAsset): Promise<Uint8Array> {
	const embedded = await embeddedBytes(asset.embeddedName);
	if (embedded) return Bun.zstdDecompressSync(embedded);
	return readFileSync(Bun.resolveSync(asset.specifier, import.meta.dir));
}

/**
 * A module (path below src/) that build.ts bundles on its own as Bun's CommonJS and embeds zstd-compressed,
 * without bytecode: code few runs use costs ~0.25 bytes of binary per byte of JavaScript instead of ~3.3 (source
 * plus bytecode, measured when build.ts compiled to depth 2; depth 1 now holds less bytecode). Its first import decompresses and compiles it (see ISLANDS for what that costs).
 */
export interface Island {
	source: string;
	embeddedName: string;
}

/**
 * The AWS SDK of the Bedrock provider: ~0.5 MB of JavaScript that bytecode would turn into ~1.7 MB for a provider
 * few runs use; the first Bedrock request of a process compiles it from source instead (~25 ms CPU, once).
 */
export const BEDROCK_SDK: Island = { source: "ai/providers/bedrock-sdk.ts", embeddedName: "bedrock-sdk.js.zst" };

/** highlight.js for the HTML export: ~0.15 MB of JavaScript, ~0.4 MB with its bytecode. */
export const HIGHLIGHT_JS: Island = { source: "export/highlight-js.ts", embeddedName: "highlight-js.js.zst" };

/**
 * The converter of Oniguruma patterns to JavaScript (oniguruma-to-es, ~57 KB minified) for the few patterns shiki's
 * packed regex tables cannot hold (shiki-regex-engine.ts); loaded on the first such pattern.
 */
export const SHIKI_REGEX_CONVERTER: Island = {
	source: "tui/components/shiki-regex.ts",
	embeddedName: "shiki-regex.js.zst",
};

/**
 * @google/genai and google-auth-library for the Gemini and Vertex AI providers: ~0.6 MB of JavaScript, ~1.7 MB
 * with its bytecode.
 */
export const GOOGLE_SDK: Island = { source: "ai/providers/google-sdk.ts", embeddedName: "google-sdk.js.zst" };

/** The MCP SDK with zod and ajv: ~0.3 MB of JavaScript, ~1.2 MB with its bytecode; only with MCP servers. */
export const MCP_SDK: Island = { source: "mcp/mcp-sdk.ts", embeddedName: "mcp-sdk.js.zst" };

/** Photon's JavaScript (its WebAssembly is PHOTON_WASM): ~34 KB, ~0.13 MB with its bytecode; only for images. */
export const PHOTON_JS: Island = { source: "images/photon-island.ts", embeddedName: "photon.js.zst" };

/** What build.ts bundles and embeds as islands. */
export const ISLANDS: readonly Island[] = [
	BEDROCK_SDK,
	HIGHLIGHT_JS,
	SHIKI_REGEX_CONVERTER,
	GOOGLE_SDK,
	MCP_SDK,
	PHOTON_JS,
];

/** Each island's exports once evaluated: a process compiles an island once. */
const evaluatedIslands = new Map<string, unknown>();

/** Bun's CommonJS output is one function expression taking what a CommonJS module sees. */
type CommonJsWrapper = (
	exports: unknown,
	require: NodeJS.Require,
	module: { exports: unknown },
	filename: string,
	dirname: string,
) => void;

/** Runs an island as build.ts wrote it (zstd-compressed CommonJS); returns its exports. */
export function evaluateIsland(compressed: Uint8Array, path: string): unknown {
	const source = Buffer.from(Bun.zstdDecompressSync(compressed)).toString("utf8");
	// Indirect eval (called by another name): the bundle runs in the global scope, like a module file would.
	// biome-ignore lint/security/noGlobalEval: the source is our own bundle, embedded at build time
	const indirectEval = globalThis.eval;
	const wrapper = indirectEval(source) as CommonJsWrapper;
	const module = { exports: {} as unknown };
	wrapper(module.exports, require, module, path, dirname(path));
	return module.exports;
}

// The callers name the island's module type: a computed import cannot be typed by the checker. From the sources the
// module itself is imported; its path is computed, so the bundler does not pull the island in.
export async function importIsland<Module>(island: Island): Promise<Module> {
	const name = island.embeddedName;
	const file = embeddedFile(name);
	if (file === undefined) return (await import(join(import.meta.dir, "..", island.source))) as Module;
	if (!evaluatedIslands.has(name)) {
		// Read through the embedded file, not its path: a worker's Bun.main is the worker's, in another folder.
		const bytes = await file.bytes();
		if (!evaluatedIslands.has(name)) evaluatedIslands.set(name, evaluateIsland(bytes, embeddedPath(name)));
	}
	return evaluatedIslands.get(name) as Module;
}

/** As importIsland, synchronously (an island without top-level await), on the main thread (see embeddedPath). */
export function requireIsland<Module>(island: Island): Module {
	const name = island.embeddedName;
	if (embeddedFile(name) === undefined) return require(join(import.meta.dir, "..", island.source)) as Module;
	if (!evaluatedIslands.has(name))
		evaluatedIslands.set(name, evaluateIsland(readFileSync(embeddedPath(name)), embeddedPath(name)));
	return evaluatedIslands.get(name) as Module;
}
