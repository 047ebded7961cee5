import { afterEach, describe, expect, spyOn, test } from "bun:test";
import * as fs from "node:fs";
import { join } from "node:path";
import {
	expandPromptTemplate,
	loadTemplatesFromPaths,
	parseCommandArgs,
	substituteArgs,
} from "../../src/resources/prompt-templates.ts";
import { load, makeLayout, tempDir, writeTree } from "./helpers.ts";

const originalHome = process.env.HOME;
afterEach(() => {
	process.env.HOME = originalHome;
});

describe("arguments", () => {
	test('split on whitespace, quotes open an argument, \\" inside quotes, empty and unclosed quotes (pi 1.6.0)', () => {
		expect(parseCommandArgs(`a  "b c"\t'd "e"' f\\ g ""`)).toEqual(["a", "b c", 'd "e"', "f\\", "g", ""]);
		expect(parseCommandArgs("")).toEqual([]);
		expect(parseCommandArgs(`don't "say \\"hi\\"" 'open`)).toEqual(["don't", 'say "hi"', "'open"]);
		expect(parseCommandArgs("line\nbreak")).toEqual(["line", "break"]);
	});

	test("positional, sliced, whole-list and default placeholders are filled in, in one pass", () => {
		const args = ["one", "$2", "three", "$@"];
		// Positional values are never substituted again...
		expect(substituteArgs("1=$1 2=$2 9=[$9]", args)).toBe("1=one 2=$2 9=[]");
		// ...and neither is what a slice inserts: pi 1.6.0 fills every placeholder in one pass (0.73.1 replaced $@ again).
		// biome-ignore lint/suspicious/noTemplateCurlyInString: pi's slice placeholder, not a JS template
		expect(substituteArgs("${@:2} | ${@:2:2} | ${@:0:1}", args)).toBe("$2 three $@ | $2 three | one");
		// biome-ignore lint/suspicious/noTemplateCurlyInString: pi's default placeholders, not a JS template
		expect(substituteArgs("${1:-a} ${5:-b} ${@:-c}", [])).toBe("a b c");
		expect(substituteArgs("all=$ARGUMENTS / $@", ["x", "y"])).toBe("all=x y / x y");
		expect(substituteArgs("$@", ["$1", "$ARGUMENTS"])).toBe("$1 $ARGUMENTS");
	});
});

describe("template files", () => {
	test("name from the file, description from frontmatter or the first line (60 chars), argument-hint", () => {
		const dir = tempDir();
		const longLine = "x".repeat(61);
		writeTree(dir, {
			"review.md": '---\ndescription: Review code\nargument-hint: "<file>"\n---\nReview $1 carefully.\n',
			"plain.md": `\n\n${longLine}\nsecond\n`,
			"short.md": "Say hi to $@",
			"sub/nested.md": "not loaded: folders are not searched",
			"notes.txt": "not markdown",
		});
		const { templates, diagnostics } = loadTemplatesFromPaths([dir], {
			cwd: dir,
			userPromptsDir: "/nonexistent/u",
			projectPromptsDir: "/nonexistent/p",
		});
		expect(diagnostics).toEqual([]);
		const byName = new Map(templates.map((t) => [t.name, t]));
		expect([...byName.keys()].sort()).toEqual(["plain", "review", "short"]);
		expect(byName.get("review")).toEqual({
			name: "review",
			description: "Review code",
			argumentHint: "<file>",
			content: "Review $1 carefully.",
			sourceInfo: {
				path: join(dir, "review.md"),
				source: "local",
				scope: "temporary",
				origin: "top-level",
				baseDir: dir,
			},
			filePath: join(dir, "review.md"),
		});
		expect(byName.get("plain")?.description).toBe(`${"x".repeat(60)}...`);
		expect(byName.get("plain")?.content).toBe(`\n\n${longLine}\nsecond\n`);
		expect(byName.get("short")?.description).toBe("Say hi to $@");
	});

	test("expansion needs an exact name followed by a space or the end", () => {
		const dir = tempDir();
		// biome-ignore lint/suspicious/noTemplateCurlyInString: pi's slice placeholder, not a JS template
		writeTree(dir, { "fix.md": "Fix $1 in ${@:2}." });
		const { templates } = loadTemplatesFromPaths([join(dir, "fix.md")], {
			cwd: dir,
			userPromptsDir: "/u",
			projectPromptsDir: "/p",
		});
		expect(expandPromptTemplate('/fix bug "src/a.ts" src/b.ts', templates)).toBe("Fix bug in src/a.ts src/b.ts.");
		expect(expandPromptTemplate("/fix", templates)).toBe("Fix  in .");
		expect(expandPromptTemplate("/fixes x", templates)).toBe("/fixes x");
		expect(expandPromptTemplate("fix x", templates)).toBe("fix x");
		// Any white space ends the name, as in pi 1.6.0: a second editor line is the arguments.
		expect(expandPromptTemplate("/fix\nbug a.ts", templates)).toBe("Fix bug in a.ts.");
		expect(expandPromptTemplate("/fix\t bug", templates)).toBe("Fix bug in .");
	});

	test("a template with malformed frontmatter is left out with a warning naming the file (pi 1.6.0)", () => {
		const dir = tempDir();
		writeTree(dir, { "broken.md": "---\ndescription: [unclosed\n---\nbody", "fine.md": "ok" });
		const { templates, diagnostics } = loadTemplatesFromPaths([dir], {
			cwd: dir,
			userPromptsDir: "/u",
			projectPromptsDir: "/p",
		});
		expect(templates.map((t) => t.name)).toEqual(["fine"]);
		expect(diagnostics.map((d) => [d.type, d.path])).toEqual([["warning", join(dir, "broken.md")]]);
	});

	test("a template path that exists but cannot be examined is reported, not skipped silently (pi 1.6.0)", () => {
		const dir = tempDir();
		writeTree(dir, { "flaky.md": "never loaded", "fine.md": "ok" });
		const flaky = join(dir, "flaky.md");
		// An I/O error (or the file removed) between the existence check and stat; nothing else fails that way.
		const realStat = fs.statSync;
		const stat = spyOn(fs, "statSync").mockImplementation(((path: fs.PathLike, options?: fs.StatSyncOptions) => {
			if (path === flaky) throw new Error(`EIO: i/o error, stat '${flaky}'`);
			return realStat(path, options);
		}) as typeof fs.statSync);
		try {
			const { templates, diagnostics } = loadTemplatesFromPaths([flaky, join(dir, "fine.md")], {
				cwd: dir,
				userPromptsDir: "/u",
				projectPromptsDir: "/p",
			});
			expect(templates.map((t) => t.name)).toEqual(["fine"]);
			expect(diagnostics).toEqual([{ type: "warning", message: `EIO: i/o error, stat '${flaky}'`, path: flaky }]);
		} finally {
			stat.mockRestore();
		}
	});
});

describe("template locations", () => {
	test("project .pi/prompts beats ~/.pi/agent/prompts; the loser is a collision; CLI paths come last", () => {
		const layout = makeLayout();
		writeTree(layout.agentDir, { "prompts/same.md": "user version", "prompts/user-only.md": "u" });
		writeTree(layout.cwd, {
			".pi/prompts/same.md": "project version",
			".pi/prompts/.hidden.md": "dot files are skipped",
			"cli/same.md": "cli version",
			"cli/cli-only.md": "c",
		});
		const result = load(layout, { templatePaths: ["cli", "missing-dir"] });
		expect(result.templates.map((t) => [t.name, t.content, t.sourceInfo.scope, t.sourceInfo.source])).toEqual([
			["same", "project version", "project", "auto"],
			["user-only", "u", "user", "auto"],
			["cli-only", "c", "temporary", "local"],
		]);
		expect(result.templateDiagnostics.map((d) => [d.type, d.message, d.path])).toEqual([
			["collision", 'name "/same" collision', join(layout.agentDir, "prompts", "same.md")],
			["collision", 'name "/same" collision', join(layout.cwd, "cli", "same.md")],
			["error", "Prompt template path does not exist", join(layout.cwd, "missing-dir")],
		]);
	});

	test("--no-prompt-templates keeps only CLI templates; settings prompts entries and ! overrides apply", () => {
		const layout = makeLayout();
		writeTree(layout.agentDir, {
			"settings.json": JSON.stringify({ prompts: ["../../shared", "!skip.md"] }),
			"prompts/skip.md": "excluded by the ! override",
			"prompts/keep.md": "k",
		});
		writeTree(layout.home, { "shared/deep/from-settings.md": "settings entries are searched recursively" });
		expect(
			load(layout)
				.templates.map((t) => [t.name, t.sourceInfo.source])
				.sort(),
		).toEqual([
			["from-settings", "local"],
			["keep", "auto"],
		]);
		writeTree(layout.cwd, { "one.md": "1" });
		expect(load(layout, { noTemplates: true, templatePaths: ["one.md"] }).templates.map((t) => t.name)).toEqual([
			"one",
		]);
		expect(load(layout, { noTemplates: true }).templates).toEqual([]);
	});
});
