// A .wasm file imported `with { type: "file" }` is embedded by `bun build --compile`; the import is its path.
declare module "*.wasm" {
	const path: string;
	export default path;
}
