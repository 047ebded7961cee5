// Markdown imported `with { type: "text" }` is embedded by the bundler as a string (the CHANGELOG), `with { type:
// "file" }` as a file whose path the import is (the README).
declare module "*.md" {
	const textOrPath: string;
	export default textOrPath;
}
