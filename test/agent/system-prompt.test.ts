/**
 * The system prompt sections against what pi 1.6.0 recorded for the same tools and resources: each case names a
 * fixture recorded from the real pi (test/fixtures/compat/cli/<name>.json, paths normalized to <HOME>) and the
 * options the same command line gives our builder.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import {
	buildSystemPrompt,
	buildSystemPromptSections,
	type SystemPromptOptions,
	sameDocsExceptPaths,
} from "../../src/agent/system-prompt.ts";
import type { Skill } from "../../src/resources/index.ts";
import { TOOL_PROMPT_GUIDELINES, TOOL_PROMPT_SNIPPETS } from "../../src/tools/registry.ts";

const SystemEntry = v.object({
	type: v.literal("message"),
	message: v.object({ role: v.literal("system"), sections: v.record(v.string(), v.nullable(v.string())) }),
});
const Fixture = v.object({ session: v.array(v.unknown()) });

/** The sections of the first system message pi 1.6.0 recorded in a scenario. */
function recordedSections(name: string): Record<string, string | null> {
	const path = join(import.meta.dir, "../fixtures/compat/cli", `${name}.json`);
	const fixture = v.parse(Fixture, JSON.parse(readFileSync(path, "utf8")));
	const entry = fixture.session.find((candidate) => v.is(SystemEntry, candidate));
	if (!v.is(SystemEntry, entry)) throw new Error(`${name} recorded no system message`);
	// The fixture's <HOME> stands for the temp home; a plain path keeps XML escaping out of the way.
	return JSON.parse(JSON.stringify(entry.message.sections).split("<HOME>").join(HOME));
}

const HOME = "/tmp/home";
const CWD = `${HOME}/project`;

function options(tools: string[], extra: Partial<SystemPromptOptions> = {}): SystemPromptOptions {
	return {
		cwd: CWD,
		selectedTools: tools,
		toolSnippets: TOOL_PROMPT_SNIPPETS,
		toolGuidelines: TOOL_PROMPT_GUIDELINES,
		readmePath: "<docs>",
		docsPath: "<docs>",
		examplesPath: "<docs>",
		...extra,
	};
}

function skill(description: string): Skill {
	return {
		name: "lint",
		description,
		filePath: `${CWD}/skills/lint/SKILL.md`,
		baseDir: `${CWD}/skills/lint`,
		sourceInfo: { path: `${CWD}/skills/lint/SKILL.md`, source: "cli", scope: "temporary", origin: "top-level" },
		disableModelInvocation: false,
	};
}

const DEFAULT = ["read", "bash", "edit", "write"];
const CASES: [fixture: string, options: SystemPromptOptions][] = [
	["tools-anthropic-messages", options(DEFAULT)],
	["prompt-all-tools", options(["read", "bash", "edit", "write", "grep", "find", "ls"])],
	["prompt-read-only", options(["read"])],
	["no-tools", options([])],
	["tools-modifiers", options(["read", "bash", "edit", "grep"])],
	["prompt-skills", options(DEFAULT, { skills: [skill("Fixes <lint> & style")] })],
	["prompt-skills-bash-only", options(["bash"], { skills: [skill("Fixes style")] })],
	["prompt-skills-no-reader", options(["edit", "write"], { skills: [skill("Fixes style")] })],
	["system-prompt-text", options(DEFAULT, { customPrompt: "You are terse." })],
	["append-system-prompt", options(DEFAULT, { appendSystemPrompt: "Extra rule." })],
	["context-files", options(DEFAULT, { contextFiles: [{ path: `${CWD}/AGENTS.md`, content: "Project rules here." }] })],
	[
		"prompt-custom-append-context",
		options(DEFAULT, {
			customPrompt: "Be terse.",
			appendSystemPrompt: "Extra rule.",
			contextFiles: [{ path: `${CWD}/AGENTS.md`, content: "Project rules.\n" }],
		}),
	],
];

describe("system prompt sections", () => {
	for (const [fixture, input] of CASES) {
		test(`byte-identical to pi 1.6.0: ${fixture}`, () => {
			const ours: Record<string, string | null> = buildSystemPromptSections(input);
			const theirs = recordedSections(fixture);
			expect(Object.keys(ours)).toEqual(Object.keys(theirs));
			expect(ours).toEqual(theirs);
		});
	}

	test("the rendered prompt is the sections joined by blank lines; cwd uses forward slashes", () => {
		const prompt = buildSystemPrompt(options(["read"], { cwd: "C:\\work\\proj", customPrompt: "Hi." }));
		expect(prompt).toBe("Hi.\n\n<cwd>\nC:/work/proj\n</cwd>");
	});

	test("extra sections follow cwd in order; empty ones are left out; bad names are refused", () => {
		const sections = buildSystemPromptSections(options([], { sections: { mcp_servers: "srv", empty: "" } }));
		expect(Object.keys(sections).slice(-2)).toEqual(["cwd", "mcp_servers"]);
		expect(sections.mcp_servers).toBe("<mcp_servers>\nsrv\n</mcp_servers>");
		expect(() => buildSystemPromptSections(options([], { sections: { Bad: "x" } }))).toThrow(
			"Invalid system prompt section name: Bad",
		);
		expect(() => buildSystemPromptSections(options([], { sections: { preamble: "x" } }))).toThrow("preamble");
	});

	test("hidden tools are left out of the tool list and rules; a hidden reader still lists skills", () => {
		const sections = buildSystemPromptSections(
			options(["read", "bash"], { hiddenTools: ["read"], skills: [skill("Fixes style")] }),
		);
		expect(sections.tools).not.toContain("- read:");
		expect(sections.rules).not.toContain("Use read to examine");
		expect(sections.skills).toContain("Use bash to load a skill's file");
		const indirect = buildSystemPromptSections(
			options(["read"], { hiddenTools: ["read"], skills: [skill("Fixes style")] }),
		);
		expect(indirect.skills).toContain("\nLoad a skill's file when the task matches its description.");
	});

	test("a forced prompt is sent as it is", () => {
		expect(buildSystemPrompt(options(DEFAULT, { forceSystemPrompt: "exactly this" }))).toBe("exactly this");
	});

	test("docs sections that differ only in where the docs live are the same", () => {
		const ours = buildSystemPromptSections({ ...options(DEFAULT), readmePath: "/a/README.md" }).docs ?? "";
		const theirs = buildSystemPromptSections({ ...options(DEFAULT), readmePath: "/b/README.md" }).docs ?? "";
		expect(sameDocsExceptPaths(theirs, ours)).toBe(true);
		expect(sameDocsExceptPaths(ours, ours)).toBe(false);
		expect(sameDocsExceptPaths(theirs, ours.replace("Before implementing", "After"))).toBe(false);
	});
});
