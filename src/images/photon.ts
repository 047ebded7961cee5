/**
 * Loads Photon (@silvia-odwyer/photon-node, Rust compiled to WebAssembly: decoding, Lanczos3 resizing, PNG and
 * JPEG encoding) — the library pi 1.6.0 uses, so resized images come out as pi's do. Imported only when an image is
 * processed; nothing at startup.
 *
 * The package's CommonJS entry reads `photon_rs_bg.wasm` next to itself with fs.readFileSync. Inside the compiled
 * binary that path is the build machine's, so that one read is answered with the bytes of the embedded copy
 * (zstd-compressed in the binary, src/util/embedded-asset.ts) while the module initialises.
 */
import fs from "node:fs";
import { debugLog } from "../util/debug-log.ts";
import { importIsland, PHOTON_JS, PHOTON_WASM, readWasmAsset } from "../util/embedded-asset.ts";
import { errorMessage } from "../util/errors.ts";

export type Photon = typeof import("@silvia-odwyer/photon-node");
export type PhotonImage = import("@silvia-odwyer/photon-node").PhotonImage;

const WASM_NAME = "photon_rs_bg.wasm";

let loading: Promise<Photon | undefined> | undefined;

function redirectWasmRead(wasm: Uint8Array): () => void {
	const original = fs.readFileSync;
	const patched = ((file: fs.PathOrFileDescriptor, options?: unknown) => {
		if (typeof file === "string" && file.endsWith(WASM_NAME)) return Buffer.from(wasm);
		return (original as (f: fs.PathOrFileDescriptor, o?: unknown) => string | Buffer)(file, options);
	}) as typeof fs.readFileSync;
	fs.readFileSync = patched;
	return () => {
		fs.readFileSync = original;
	};
}

/** Photon, or undefined when it cannot be loaded (then images are handled as pi does without it). */
export function loadPhoton(): Promise<Photon | undefined> {
	loading ??= (async () => {
		let restore = () => {};
		try {
			restore = redirectWasmRead(await readWasmAsset(PHOTON_WASM));
			return await importIsland<Photon>(PHOTON_JS);
		} catch (error) {
			debugLog("photon_load_failed", { error: errorMessage(error) });
			return undefined;
		} finally {
			restore();
		}
	})();
	return loading;
}
