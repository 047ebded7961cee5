/** The highlighting language of a file, by its extension (tool output, and pi's getLanguageFromPath for extensions). */
import { extname } from "node:path";

const LANGUAGES: Readonly<Record<string, string>> = {
	ts: "typescript",
	tsx: "typescript",
	mts: "typescript",
	cts: "typescript",
	js: "javascript",
	jsx: "javascript",
	mjs: "javascript",
	cjs: "javascript",
	py: "python",
	rb: "ruby",
	rs: "rust",
	go: "go",
	java: "java",
	kt: "kotlin",
	swift: "swift",
	c: "c",
	h: "c",
	cpp: "cpp",
	cc: "cpp",
	hpp: "cpp",
	cs: "csharp",
	php: "php",
	sh: "bash",
	bash: "bash",
	zsh: "bash",
	json: "json",
	yaml: "yaml",
	yml: "yaml",
	toml: "ini",
	ini: "ini",
	xml: "xml",
	html: "xml",
	css: "css",
	scss: "scss",
	sql: "sql",
	md: "markdown",
	lua: "lua",
	dockerfile: "dockerfile",
};

export function languageFromPath(path: string): string | undefined {
	const ext = extname(path).slice(1).toLowerCase();
	if (ext) return LANGUAGES[ext];
	return path.toLowerCase().endsWith("dockerfile") ? "dockerfile" : undefined;
}
