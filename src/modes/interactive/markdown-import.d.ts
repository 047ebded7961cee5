// CHANGELOG.md is embedded as text (`with { type: "text" }`) for /changelog and What's New.
declare module "*.md" {
	const text: string;
	export default text;
}
