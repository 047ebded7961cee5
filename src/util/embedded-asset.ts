/**
 * Large files that only some features read (the WebAssembly of Photon and QuickJS). The compiled binary carries
 * them gzip-compressed as plain embedded files (`bun build --asset`, see build.ts): not imported, so the bundler
 * neither embeds them raw nor turns them into JavaScript. From the sources they are read from node_modules.
 */
import { readFileSync } from "node:fs";

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

function embeddedFile(name: string): Blob | undefined {
	return Bun.embeddedFiles.find((file) => (file as Blob & { name?: string }).name === name);
}

/** The file's bytes: the binary's embedded copy decompressed, or the package's file when running from the sources. */
export async function readGzipAsset(asset: GzipAsset): Promise<Uint8Array> {
	const embedded = embeddedFile(asset.embeddedName);
	if (embedded) return Bun.gunzipSync(await embedded.bytes());
	return readFileSync(Bun.resolveSync(asset.specifier, import.meta.dir));
}
