// quickjs.wasm imported `with { type: "file" }`: the bundler embeds it in the binary and the import is its path.
declare module "quickjs-wasi/quickjs.wasm" {
	const path: string;
	export default path;
}
