// The export page's styles are embedded as a string by the bundler (`with { type: "text" }`).
// (bun-types already declares "*.html" — as an HTMLBundle, which is what it is without the text attribute.)
declare module "*.css" {
	const text: string;
	export default text;
}
