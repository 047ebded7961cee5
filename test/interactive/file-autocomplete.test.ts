import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
	extractAtPrefix,
	extractPathPrefix,
	fuzzyFileSuggestions,
	pathSuggestions,
} from "../../src/modes/interactive/file-autocomplete.ts";
import { type Harness, startInteractive } from "./harness.ts";

let current: Harness | undefined;
afterEach(async () => {
	await current?.close();
	current = undefined;
});

function project(): string {
	const cwd = mkdtempSync(join(tmpdir(), "pi-files-"));
	mkdirSync(join(cwd, "src/utils"), { recursive: true });
	mkdirSync(join(cwd, "node_modules/dep"), { recursive: true });
	mkdirSync(join(cwd, "my docs"));
	writeFileSync(join(cwd, ".gitignore"), "node_modules/\n*.log\n");
	writeFileSync(join(cwd, "src/utils/parser.ts"), "");
	writeFileSync(join(cwd, "src/main.ts"), "");
	writeFileSync(join(cwd, "node_modules/dep/parser.js"), "");
	writeFileSync(join(cwd, "debug-parser.log"), "");
	writeFileSync(join(cwd, "my docs/guide.md"), "");
	writeFileSync(join(cwd, "README.md"), "");
	return cwd;
}

describe("file reference parsing", () => {
	test("@ tokens and path prefixes before the cursor", () => {
		expect(extractAtPrefix("look at @src/ma")).toBe("@src/ma");
		expect(extractAtPrefix("email a@b")).toBeUndefined();
		expect(extractAtPrefix('see @"my do')).toBe('@"my do');
		expect(extractAtPrefix("no reference")).toBeUndefined();
		expect(extractPathPrefix("cat ./src/u")).toBe("./src/u");
		expect(extractPathPrefix("word ")).toBe("");
	});

	test("fuzzy search respects .gitignore, ranks name matches first, quotes paths with spaces", async () => {
		const cwd = project();
		const found = await fuzzyFileSuggestions(cwd, "@parser");
		expect(found.map((s) => s.value)).toEqual(["@src/utils/parser.ts"]);
		const folder = await fuzzyFileSuggestions(cwd, "@util");
		expect(folder[0]).toMatchObject({ value: "@src/utils/", label: "utils/", isDirectory: true });
		const scoped = await fuzzyFileSuggestions(cwd, "@src/ma");
		expect(scoped.map((s) => s.value)).toEqual(["@src/main.ts"]);
		const spaced = await fuzzyFileSuggestions(cwd, "@guide");
		expect(spaced.map((s) => s.value)).toEqual(['@"my docs/guide.md"']);
	});

	test("tab completion lists the folder, folders first", () => {
		const cwd = project();
		expect(pathSuggestions(cwd, "src/").map((s) => s.value)).toEqual(["src/utils/", "src/main.ts"]);
		expect(pathSuggestions(cwd, "./src/m").map((s) => s.value)).toEqual(["./src/main.ts"]);
		expect(pathSuggestions(cwd, "RE").map((s) => s.value)).toEqual(["README.md"]);
		expect(pathSuggestions(cwd, "nothing/here")).toEqual([]);
	});
});

describe("file references in the editor", () => {
	test("@ shows matching files; tab inserts the path and a space", async () => {
		const cwd = project();
		current = await startInteractive({ turns: [], cwd });
		const h = current;
		h.type("read @pars");
		await h.waitFor("parser.ts");
		expect(h.screen()).toContain("src/utils/parser.ts");
		expect(h.screen()).not.toContain("parser.js");
		h.type("\t");
		h.type("now");
		await h.waitFor("read @src/utils/parser.ts now");
	});

	test("tab completes a unique path directly; escape closes the list", async () => {
		const cwd = project();
		current = await startInteractive({ turns: [], cwd });
		const h = current;
		h.type("look in sr");
		h.type("\t");
		await h.waitFor("look in src/");
		h.type("\t");
		await h.waitFor("main.ts");
		await h.waitFor("utils/");
		h.type("\x1b");
		await h.waitUntil(() => !h.screen().includes("main.ts"));
		h.type("x");
		await h.waitFor("look in src/x");
	});
});

describe("slash autocomplete with resources", () => {
	test("prompt templates follow the built-in commands, with their source tag", async () => {
		current = await startInteractive({ turns: [] });
		const h = current;
		h.session.setResources({
			skills: [],
			templates: [
				{
					name: "review",
					description: "Review the diff",
					content: "Review $1",
					filePath: "/p/review.md",
					sourceInfo: { path: "/p/review.md", source: "auto", scope: "user", origin: "top-level" },
				},
			],
			skillDiagnostics: [],
			templateDiagnostics: [],
			warnings: [],
			enableSkillCommands: true,
		});
		h.type("/rev");
		await h.waitFor("[u] Review the diff");
		expect(h.screen()).toMatch(/→ review +\[u\] Review the diff/);
		h.type("\t");
		await h.waitUntil(() => !h.screen().includes("Review the diff"));
		h.type("x");
		await h.waitFor("/review x");
	});
});
