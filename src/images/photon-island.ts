// Photon's JavaScript (wasm-bindgen glue), on its own: the binary carries it as an island, JavaScript outside the
// bytecode, imported when the first image is processed (src/util/embedded-asset.ts, PHOTON_JS; photon.ts).
export * from "@silvia-odwyer/photon-node";
