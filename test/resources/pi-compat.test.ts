/** Side by side with pi 1.6.0's own loader: same files found, same names kept, same diagnostics, same prompt. */
import { afterEach, describe, expect, test } from "bun:test";
import { mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { buildSystemPromptSections } from "../../src/agent/system-prompt.ts";
import { expandPromptText, type LoadedResources } from "../../src/resources/index.ts";
import { TOOL_PROMPT_GUIDELINES, TOOL_PROMPT_SNIPPETS } from "../../src/tools/registry.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { type Layout, load, makeLayout, skillMd, writeTree } from "./helpers.ts";
import { hasPiResources, type PiLoadOptions, piExpandTemplate, piLoadResources } from "./pi-ref.ts";

const originalHome = process.env.HOME;
afterEach(() => {
	process.env.HOME = originalHome;
});

/** Skills and templates in every place pi looks, with collisions, bad files, ignore rules and settings filters. */
function richLayout(): Layout {
	const layout = makeLayout();
	const { home, agentDir, cwd } = layout;
	// The git root is the "work" folder, so .agents/skills is searched in project and work, not above.
	mkdirSync(join(cwd, "..", ".git"), { recursive: true });
	writeTree(join(cwd, "..", ".."), { ".agents/skills/above-git/SKILL.md": skillMd({ description: "not found" }) });
	writeTree(home, {
		".agents/skills/home-agents/SKILL.md": skillMd({ description: "From ~/.agents" }),
		".agents/skills/root-md.md": skillMd({ description: "agents dirs take no root .md" }),
		"shared-skills/shared-one/SKILL.md": skillMd({ description: "From a settings entry" }),
		"shared-skills/shared-two/SKILL.md": skillMd({ description: "Filtered out by a glob" }),
		"shared-prompts/deep/shared-prompt.md": "From settings, recursive",
	});
	writeTree(agentDir, {
		"settings.json": JSON.stringify({
			skills: ["../../shared-skills", "!**/shared-two", "!skills/user-disabled/SKILL.md"],
			prompts: ["../../shared-prompts", "!off.md"],
		}),
		"skills/user-skill/SKILL.md": skillMd({ description: "User <skill> & 'quotes'" }),
		"skills/dup/SKILL.md": skillMd({ description: "user dup" }),
		"skills/user-disabled/SKILL.md": skillMd({ description: "disabled by settings" }),
		"skills/loose.md": skillMd({ name: "loose", description: "Root markdown skill" }),
		"skills/Bad_Name/SKILL.md": skillMd({ description: "bad name" }),
		"skills/no-desc/SKILL.md": skillMd({ name: "no-desc" }),
		"skills/README.md": "# My skills\n\nNotes, not a skill.\n",
		"skills/renamed-folder/SKILL.md": skillMd({ name: "renamed", description: "Name differs from its folder" }),
		"skills/hidden-from-model/SKILL.md": skillMd({ description: "only by command", "disable-model-invocation": true }),
		"skills/.gitignore": "ignored-skill/\n",
		"skills/ignored-skill/SKILL.md": skillMd({ description: "gitignored" }),
		"prompts/user-prompt.md": "---\ndescription: From user\nargument-hint: <x>\n---\nUser $1",
		"prompts/both.md": "user both",
		"prompts/off.md": "disabled",
		"prompts/broken.md": "---\ndescription: [unclosed\n---\nBroken frontmatter",
	});
	writeTree(cwd, {
		".pi/settings.json": JSON.stringify({ skills: ["-skills/dup/SKILL.md"] }),
		".pi/skills/dup/SKILL.md": skillMd({ description: "project dup, force-excluded" }),
		".pi/skills/project-skill/SKILL.md": skillMd({ description: "Project skill" }),
		".agents/skills/cwd-agents/SKILL.md": skillMd({ description: "cwd .agents" }),
		"../.agents/skills/work-agents/SKILL.md": skillMd({ description: "work .agents" }),
		".pi/prompts/both.md": "project both $@",
		".pi/prompts/project-prompt.md": "\nFirst line of a project prompt that is rather long, longer than sixty\nmore",
		"cli-skills/cli-skill/SKILL.md": skillMd({ description: "From --skill" }),
		"cli-skills/user-skill/SKILL.md": skillMd({ description: "collides with the user skill" }),
		// biome-ignore lint/suspicious/noTemplateCurlyInString: pi's slice placeholder, not a JS template
		"cli-prompt.md": "CLI prompt ${@:2}",
	});
	symlinkSync(join(agentDir, "skills", "user-skill"), join(cwd, "cli-skills", "linked-user-skill"));
	return layout;
}

async function compare(layout: Layout, flags: Omit<PiLoadOptions, "cwd" | "agentDir">): Promise<LoadedResources> {
	const ours = load(layout, {
		skillPaths: flags.skillPaths ?? [],
		noSkills: flags.noSkills ?? false,
		templatePaths: flags.templatePaths ?? [],
		noTemplates: flags.noTemplates ?? false,
	});
	// pi checks CLI paths against the process's working folder, which is the project folder when pi runs.
	const previousCwd = process.cwd();
	process.chdir(layout.cwd);
	const pi = await piLoadResources({ cwd: layout.cwd, agentDir: layout.agentDir, ...flags }).finally(() =>
		process.chdir(previousCwd),
	);
	// The YAML parsers word their errors differently (Bun's vs the yaml package): only that one is reported counts.
	const plain = (value: unknown): unknown =>
		JSON.parse(JSON.stringify(value), (key, field: unknown) =>
			key === "message" && typeof field === "string" && /yaml|flow sequence/i.test(field) ? "<YAML error>" : field,
		);
	expect(plain({ skills: ours.skills, diagnostics: ours.skillDiagnostics })).toEqual(plain(pi.skills));
	expect(plain({ prompts: ours.templates, diagnostics: ours.templateDiagnostics })).toEqual(plain(pi.prompts));
	return ours;
}

describe.skipIf(!hasPiResources)("same resources as pi 1.6.0", () => {
	test("default discovery with settings filters, collisions and warnings", async () => {
		const ours = await compare(richLayout(), {});
		// Guard against both sides finding nothing.
		expect(ours.skills.length).toBeGreaterThan(6);
		expect(ours.templates.length).toBeGreaterThan(3);
		expect(ours.skillDiagnostics.length).toBeGreaterThan(1);
		expect(ours.templateDiagnostics.map((d) => d.type)).toContain("warning");
		expect(ours.skills.map((s) => s.name).sort()).toEqual(
			[
				"Bad_Name",
				"cwd-agents",
				"dup",
				"hidden-from-model",
				"home-agents",
				"loose",
				"project-skill",
				"renamed",
				"shared-one",
				"user-skill",
				"work-agents",
			].sort(),
		);
	});

	test("--skill and --prompt-template paths, including missing ones", async () => {
		await compare(richLayout(), {
			skillPaths: ["cli-skills", "missing-skill", join("cli-skills", "cli-skill", "SKILL.md")],
			templatePaths: ["cli-prompt.md", "missing.md"],
		});
	});

	test("--no-skills and --no-prompt-templates", async () => {
		const layout = richLayout();
		await compare(layout, { noSkills: true, noTemplates: true });
		await compare(layout, { noSkills: true, skillPaths: ["cli-skills"], noTemplates: true, templatePaths: ["."] });
	});

	test("template expansion matches pi's", async () => {
		const ours = load(richLayout(), { templatePaths: ["cli-prompt.md"] });
		for (const text of [
			"/both a 'b c'",
			"/cli-prompt x y z",
			"/project-prompt",
			"/user-prompt one",
			"/nope",
			"/both\nnext line",
			"/both\t a  b",
		]) {
			expect(expandPromptText(text, ours)).toBe(await piExpandTemplate(text, ours.templates));
		}
	});
});

const pi160 = referencePi160();

/** pi 1.6.0's own module: buildSystemPromptSections from its dist/core/system-prompt.js. */
async function pi16Sections(options: Record<string, unknown>): Promise<unknown> {
	if (!pi160) throw new Error("pi 1.6.0 not installed");
	const mod: unknown = await import(join(pi160.packageDir, "dist/core/system-prompt.js"));
	const build = typeof mod === "object" && mod !== null ? Reflect.get(mod, "buildSystemPromptSections") : undefined;
	if (typeof build !== "function") throw new Error("buildSystemPromptSections missing");
	return Reflect.apply(build, undefined, [options]);
}

describe.skipIf(!pi160)("same system prompt as pi 1.6.0", () => {
	test("the prompt sections with skills are byte-identical to pi 1.6.0's, default and custom", async () => {
		const layout = richLayout();
		const ours = load(layout);
		for (const names of [["read", "bash", "edit", "write"], ["bash", "grep"], ["read"], ["edit"]]) {
			for (const customPrompt of [undefined, "Custom base prompt."]) {
				const input = {
					cwd: layout.cwd,
					customPrompt,
					selectedTools: names,
					toolSnippets: TOOL_PROMPT_SNIPPETS,
					toolGuidelines: TOOL_PROMPT_GUIDELINES,
					contextFiles: [{ path: "/x/AGENTS.md", content: "ctx" }],
					skills: ours.skills,
				};
				const expected = await pi16Sections(input);
				const actual = buildSystemPromptSections({
					...input,
					readmePath: join(pi160?.packageDir ?? "", "README.md"),
					docsPath: join(pi160?.packageDir ?? "", "docs"),
					examplesPath: join(pi160?.packageDir ?? "", "examples"),
				});
				expect(actual).toEqual(expected as Record<string, string>);
				expect("skills" in actual).toBe(names.includes("read") || names.includes("bash"));
			}
		}
	});
});
