import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseFrontmatter } from "../../src/resources/frontmatter.ts";
import {
	expandSkillCommand,
	findSkillFiles,
	formatSkillsForPrompt,
	loadSkillsFromPaths,
} from "../../src/resources/skills.ts";
import type { Skill } from "../../src/resources/types.ts";
import { load, makeLayout, skillMd, tempDir, writeTree } from "./helpers.ts";

const originalHome = process.env.HOME;
afterEach(() => {
	process.env.HOME = originalHome;
});

function loadDir(dir: string) {
	return loadSkillsFromPaths([dir], { cwd: dir, userSkillsDir: "/nonexistent/u", projectSkillsDir: "/nonexistent/p" });
}

describe("frontmatter", () => {
	test("parses YAML between --- lines, normalises CRLF and trims the body", () => {
		const parsed = parseFrontmatter("---\r\nname: x\r\ndisable-model-invocation: true\r\n---\r\n\r\nBody line\r\n\r\n");
		expect(parsed.frontmatter).toEqual({ name: "x", "disable-model-invocation": true });
		expect(parsed.body).toBe("Body line");
	});
	test("text without frontmatter, or without a closing line, is all body and untrimmed", () => {
		expect(parseFrontmatter("hello\n")).toEqual({ frontmatter: {}, body: "hello\n" });
		expect(parseFrontmatter("---\nname: x\nno end")).toEqual({ frontmatter: {}, body: "---\nname: x\nno end" });
	});
	test("a leading byte-order mark (Windows editors) does not hide the frontmatter, as in pi", () => {
		expect(parseFrontmatter("\uFEFF---\ndescription: d\n---\nBody").frontmatter).toEqual({ description: "d" });
	});
	test("malformed YAML throws", () => {
		expect(() => parseFrontmatter("---\nname: [unclosed\n---\nbody")).toThrow();
	});
});

describe("skill discovery inside a folder", () => {
	test("SKILL.md ends the search in its folder; root *.md files are skills; dot folders and node_modules are skipped", () => {
		const root = tempDir();
		writeTree(root, {
			"alpha/SKILL.md": skillMd({ description: "Alpha" }),
			"alpha/nested/SKILL.md": skillMd({ description: "hidden by alpha" }),
			"alpha/notes.md": "not a skill",
			"group/beta/SKILL.md": skillMd({ description: "Beta" }),
			"group/readme.md": "sub-folder markdown is not a skill",
			"root-skill.md": skillMd({ name: "root-skill", description: "Root" }),
			".hidden/SKILL.md": skillMd({ description: "dot folder" }),
			"node_modules/dep/SKILL.md": skillMd({ description: "dependency" }),
		});
		const files = findSkillFiles(root, true)
			.map((f) => f.slice(root.length + 1))
			.sort();
		expect(files).toEqual(["alpha/SKILL.md", "group/beta/SKILL.md", "root-skill.md"]);
		expect(
			findSkillFiles(root, false)
				.map((f) => f.slice(root.length + 1))
				.sort(),
		).toEqual(["alpha/SKILL.md", "group/beta/SKILL.md"]);
	});

	test(".gitignore, .ignore and .fdignore rules are honoured, also in sub-folders", () => {
		const root = tempDir();
		writeTree(root, {
			".gitignore": "one/\n",
			".ignore": "two\n",
			"three/.fdignore": "SKILL.md\n",
			"one/SKILL.md": skillMd({ description: "1" }),
			"two/SKILL.md": skillMd({ description: "2" }),
			"three/SKILL.md": skillMd({ description: "3" }),
			"four/SKILL.md": skillMd({ description: "4" }),
		});
		expect(findSkillFiles(root, true).map((f) => f.slice(root.length + 1))).toEqual(["four/SKILL.md"]);
	});

	test("symlinked skill folders are followed; the same file twice loads once", () => {
		const root = tempDir();
		const elsewhere = tempDir();
		writeTree(elsewhere, { "linked/SKILL.md": skillMd({ description: "Linked" }) });
		symlinkSync(join(elsewhere, "linked"), join(root, "linked"));
		const result = loadSkillsFromPaths([root, join(elsewhere, "linked")], {
			cwd: root,
			userSkillsDir: "/nonexistent/u",
			projectSkillsDir: "/nonexistent/p",
		});
		expect(result.skills.map((s) => s.filePath)).toEqual([join(root, "linked", "SKILL.md")]);
		expect(result.diagnostics).toEqual([]);
	});
});

describe("skill files", () => {
	test("name defaults to the folder; description and disable-model-invocation are read", () => {
		const root = tempDir();
		writeTree(root, {
			"my-skill/SKILL.md": skillMd({ description: "Does things", "disable-model-invocation": true }),
		});
		const { skills, diagnostics } = loadDir(root);
		expect(diagnostics).toEqual([]);
		expect(skills).toEqual([
			{
				name: "my-skill",
				description: "Does things",
				filePath: join(root, "my-skill", "SKILL.md"),
				baseDir: join(root, "my-skill"),
				sourceInfo: {
					path: join(root, "my-skill", "SKILL.md"),
					source: "local",
					scope: "temporary",
					origin: "top-level",
					baseDir: join(root, "my-skill"),
				},
				disableModelInvocation: true,
			},
		]);
	});

	test("invalid names warn but load; a missing description warns and does not load", () => {
		const root = tempDir();
		const long = "a".repeat(65);
		writeTree(root, {
			"Bad_Name/SKILL.md": skillMd({ description: "ok" }),
			"dir/SKILL.md": skillMd({ name: "-x--y-", description: "ok" }),
			[`${long}/SKILL.md`]: skillMd({ description: "d".repeat(1025) }),
			"nodesc/SKILL.md": skillMd({ name: "nodesc" }),
			"broken/SKILL.md": "---\nname: [oops\n---\nbody",
		});
		const { skills, diagnostics } = loadDir(root);
		expect(skills.map((s) => s.name).sort()).toEqual(["-x--y-", "Bad_Name", long]);
		const byFile = (folder: string) =>
			diagnostics.filter((d) => d.path === join(root, folder, "SKILL.md")).map((d) => d.message);
		expect(byFile("Bad_Name")).toEqual(["name contains invalid characters (must be lowercase a-z, 0-9, hyphens only)"]);
		expect(byFile("dir")).toEqual([
			"name must not start or end with a hyphen",
			"name must not contain consecutive hyphens",
		]);
		expect(byFile(long)).toEqual(["description exceeds 1024 characters (1025)", "name exceeds 64 characters (65)"]);
		expect(byFile("nodesc")).toEqual(["description is required"]);
		expect(byFile("broken")).toHaveLength(1);
		expect(diagnostics.every((d) => d.type === "warning")).toBe(true);
	});

	test("as in pi 1.6.0, a name other than its folder's is fine, and markdown beside the skills that is no skill is passed over silently", () => {
		const root = tempDir();
		writeTree(root, {
			"folder/SKILL.md": skillMd({ name: "other-name", description: "ok" }),
			"README.md": "# My skills\n\nNotes for humans.\n",
			"broken.md": "---\nname: [oops\n---\nbody",
			"root-skill.md": skillMd({ name: "root-skill", description: "A root skill" }),
		});
		const { skills, diagnostics } = loadDir(root);
		expect(skills.map((s) => s.name).sort()).toEqual(["other-name", "root-skill"]);
		expect(diagnostics).toEqual([]);
	});

	test("the first skill of a name wins; later ones are collisions listed after other diagnostics", () => {
		const a = tempDir();
		const b = tempDir();
		writeTree(a, { "dup/SKILL.md": skillMd({ description: "first" }) });
		writeTree(b, { "dup/SKILL.md": skillMd({ description: "second" }), "x/SKILL.md": skillMd({ description: "" }) });
		const result = loadSkillsFromPaths([a, b, join(b, "missing")], {
			cwd: a,
			userSkillsDir: "/nonexistent/u",
			projectSkillsDir: "/nonexistent/p",
		});
		expect(result.skills.map((s) => s.description)).toEqual(["first"]);
		expect(result.diagnostics).toEqual([
			{ type: "warning", message: "description is required", path: join(b, "x", "SKILL.md") },
			{ type: "warning", message: "skill path does not exist", path: join(b, "missing") },
			{
				type: "collision",
				message: 'name "dup" collision',
				path: join(b, "dup", "SKILL.md"),
				collision: {
					resourceType: "skill",
					name: "dup",
					winnerPath: join(a, "dup", "SKILL.md"),
					loserPath: join(b, "dup", "SKILL.md"),
				},
			},
		]);
	});

	test("a path that is not markdown is reported", () => {
		const root = tempDir();
		writeFileSync(join(root, "notes.txt"), "x");
		const result = loadSkillsFromPaths(["notes.txt"], { cwd: root, userSkillsDir: "/u", projectSkillsDir: "/p" });
		expect(result.diagnostics).toEqual([
			{ type: "warning", message: "skill path is not a markdown file", path: join(root, "notes.txt") },
		]);
	});
});

function skill(name: string, description: string, extra: Partial<Skill> = {}): Skill {
	const filePath = `/skills/${name}/SKILL.md`;
	return {
		name,
		description,
		filePath,
		baseDir: `/skills/${name}`,
		sourceInfo: { path: filePath, source: "local", scope: "temporary", origin: "top-level" },
		disableModelInvocation: false,
		...extra,
	};
}

describe("system prompt block", () => {
	test("lists visible skills with XML escaping", () => {
		const block = formatSkillsForPrompt([
			skill("a", `Use <when> "x" & 'y'`),
			skill("hidden", "never shown", { disableModelInvocation: true }),
		]);
		expect(block).toBe(
			[
				"",
				"",
				"The following skills provide specialized instructions for specific tasks.",
				"Use the read tool to load a skill's file when the task matches its description.",
				"Resolve relative paths against the skill's directory (parent of SKILL.md). Use absolute paths in tool calls.",
				"",
				"<available_skills>",
				"  <skill>",
				"    <name>a</name>",
				"    <description>Use &lt;when&gt; &quot;x&quot; &amp; &apos;y&apos;</description>",
				"    <location>/skills/a/SKILL.md</location>",
				"  </skill>",
				"</available_skills>",
			].join("\n"),
		);
		expect(formatSkillsForPrompt([skill("h", "x", { disableModelInvocation: true })])).toBe("");
		// pi 1.6.0 names the tool that loads skill files: bash when read is off, none when only reachable indirectly.
		expect(formatSkillsForPrompt([skill("a", "d")], "bash")).toContain("\nUse bash to load a skill's file when");
		expect(formatSkillsForPrompt([skill("a", "d")], "indirect")).toContain("\nLoad a skill's file when");
	});
});

describe("/skill:name expansion", () => {
	test("wraps the body without frontmatter and appends the arguments", () => {
		const root = tempDir();
		writeTree(root, { "deploy/SKILL.md": skillMd({ description: "Deploys" }, "\nStep 1\nStep 2\n\n") });
		const { skills } = loadDir(root);
		const file = join(root, "deploy", "SKILL.md");
		const block = `<skill name="deploy" location="${file}">\nReferences are relative to ${join(root, "deploy")}.\n\nStep 1\nStep 2\n</skill>`;
		expect(expandSkillCommand("/skill:deploy", skills)).toBe(block);
		expect(expandSkillCommand("/skill:deploy  to prod  ", skills)).toBe(`${block}\n\nto prod`);
		expect(expandSkillCommand("/skill:unknown x", skills)).toBe("/skill:unknown x");
		expect(expandSkillCommand("please /skill:deploy", skills)).toBe("please /skill:deploy");
	});
});

describe("loadResources", () => {
	test("--skill paths load with --no-skills; a missing one is an error diagnostic", () => {
		const layout = makeLayout();
		writeTree(layout.agentDir, { "skills/auto/SKILL.md": skillMd({ description: "auto" }) });
		writeTree(layout.cwd, { "extra/SKILL.md": skillMd({ description: "extra" }) });
		mkdirSync(join(layout.cwd, "empty"));
		const result = load(layout, { noSkills: true, skillPaths: ["extra", "gone"] });
		expect(result.skills.map((s) => s.name)).toEqual(["extra"]);
		expect(result.skillDiagnostics).toEqual([
			// pi 1.6.0 adds its own "Skill path does not exist" error only for a path the loader did not report.
			{ type: "warning", message: "skill path does not exist", path: join(layout.cwd, "gone") },
		]);
		expect(load(layout, { noSkills: true }).skills).toEqual([]);
	});
});
