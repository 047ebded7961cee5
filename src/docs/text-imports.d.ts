// Markdown imported `with { type: "text" }` is embedded by the bundler as a string (used for the README).
declare module "*.md" {
	const text: string;
	export default text;
}
