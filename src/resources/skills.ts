/**
 * Skills (pi-spec §11.1): discovery inside a skills folder, SKILL.md parsing and validation, name collisions,
 * the system-prompt block, and `/skill:name` expansion. Warnings and the prompt text match pi 1.6.0.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, resolve } from "node:path";
import { expandHome } from "../config/paths.ts";
import { canonical, IgnoreStack, isUnder, listDir, withIgnoreRules } from "./dir-entries.ts";
import { parseFrontmatter, stringField } from "./frontmatter.ts";
import type { ResourceDiagnostic, Skill, SourceInfo } from "./types.ts";

const MAX_NAME_LENGTH = 64;
const MAX_DESCRIPTION_LENGTH = 1024;

/**
 * Markdown files that are skills under `root`: a folder holding SKILL.md is one skill and is not searched further;
 * other folders are searched for SKILL.md; with `includeRootMarkdown`, every `*.md` directly in `root` is a skill too.
 */
export function findSkillFiles(root: string, includeRootMarkdown: boolean): string[] {
	const found: string[] = [];
	const walk = (dir: string, relDir: string, inherited: IgnoreStack): void => {
		const ignore = withIgnoreRules(inherited, dir, relDir);
		const entries = listDir(dir, relDir);
		const skillFile = entries.find((entry) => entry.name === "SKILL.md");
		if (skillFile?.isFile && !ignore.ignores(skillFile.relPath, false)) {
			found.push(skillFile.fullPath);
			return;
		}
		for (const entry of entries) {
			if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
			if (ignore.ignores(entry.relPath, entry.isDirectory)) continue;
			if (entry.isDirectory) walk(entry.fullPath, entry.relPath, ignore);
			else if (entry.isFile && includeRootMarkdown && relDir === "" && entry.name.endsWith(".md")) {
				found.push(entry.fullPath);
			}
		}
	};
	if (existsSync(root)) walk(root, "", new IgnoreStack());
	return found;
}

function nameProblems(name: string): string[] {
	const problems: string[] = [];
	if (name.length > MAX_NAME_LENGTH) problems.push(`name exceeds ${MAX_NAME_LENGTH} characters (${name.length})`);
	if (!/^[a-z0-9-]+$/.test(name)) {
		problems.push("name contains invalid characters (must be lowercase a-z, 0-9, hyphens only)");
	}
	if (name.startsWith("-") || name.endsWith("-")) problems.push("name must not start or end with a hyphen");
	if (name.includes("--")) problems.push("name must not contain consecutive hyphens");
	return problems;
}

function descriptionProblems(description: string | undefined): string[] {
	if (description === undefined || description.trim() === "") return ["description is required"];
	if (description.length > MAX_DESCRIPTION_LENGTH) {
		return [`description exceeds ${MAX_DESCRIPTION_LENGTH} characters (${description.length})`];
	}
	return [];
}

export interface SkillFileResult {
	skill: Skill | undefined;
	diagnostics: ResourceDiagnostic[];
}

/**
 * Parse one skill file. Invalid names only warn; a missing description means the skill is not loaded. As in pi
 * 1.6.0, only a SKILL.md is declared a skill: any other markdown file (a README.md beside the skills) that has no
 * description or no readable frontmatter is passed over without a warning, and a name that differs from its
 * folder's is fine.
 */
export function loadSkillFile(filePath: string, sourceInfo: (skillDir: string) => SourceInfo): SkillFileResult {
	const diagnostics: ResourceDiagnostic[] = [];
	const warn = (message: string): void => {
		diagnostics.push({ type: "warning", message, path: filePath });
	};
	const declared = basename(filePath) === "SKILL.md";
	let content: string;
	try {
		content = readFileSync(filePath, "utf-8");
	} catch (error) {
		warn(error instanceof Error ? error.message : "failed to read skill file");
		return { skill: undefined, diagnostics };
	}
	let frontmatter: Record<string, unknown>;
	try {
		({ frontmatter } = parseFrontmatter(content));
	} catch (error) {
		if (declared) warn(error instanceof Error ? error.message : "failed to parse skill file");
		return { skill: undefined, diagnostics };
	}
	const rawDescription = frontmatter.description;
	const description = typeof rawDescription === "string" && rawDescription.trim() !== "" ? rawDescription : undefined;
	if (!declared && description === undefined) return { skill: undefined, diagnostics };
	const skillDir = dirname(filePath);
	for (const message of descriptionProblems(description)) warn(message);
	const name = stringField(frontmatter, "name") ?? basename(skillDir);
	for (const message of nameProblems(name)) warn(message);
	if (description === undefined) return { skill: undefined, diagnostics };
	return {
		skill: {
			name,
			description,
			filePath,
			baseDir: skillDir,
			sourceInfo: sourceInfo(skillDir),
			disableModelInvocation: frontmatter["disable-model-invocation"] === true,
		},
		diagnostics,
	};
}

export interface SkillLoadOptions {
	cwd: string;
	/** ~/.pi/agent/skills and .pi/skills: skills found there are labelled user/project. */
	userSkillsDir: string;
	projectSkillsDir: string;
}

/**
 * Load skills from an ordered list of files and folders. The first skill of a name wins; later ones are reported
 * as collisions (after all other diagnostics, as pi orders them). The same file reached twice (symlinks) is
 * skipped silently.
 */
export function loadSkillsFromPaths(
	paths: readonly string[],
	options: SkillLoadOptions,
): { skills: Skill[]; diagnostics: ResourceDiagnostic[] } {
	const byName = new Map<string, Skill>();
	const seenFiles = new Set<string>();
	const diagnostics: ResourceDiagnostic[] = [];
	const collisions: ResourceDiagnostic[] = [];

	const add = (skill: Skill): void => {
		const real = canonical(skill.filePath);
		if (seenFiles.has(real)) return;
		const existing = byName.get(skill.name);
		if (existing) {
			collisions.push({
				type: "collision",
				message: `name "${skill.name}" collision`,
				path: skill.filePath,
				collision: {
					resourceType: "skill",
					name: skill.name,
					winnerPath: existing.filePath,
					loserPath: skill.filePath,
				},
			});
			return;
		}
		byName.set(skill.name, skill);
		seenFiles.add(real);
	};
	const load = (file: string, scope: SourceInfo["scope"]): void => {
		const result = loadSkillFile(file, (baseDir) => ({
			path: file,
			source: "local",
			scope,
			origin: "top-level",
			baseDir,
		}));
		diagnostics.push(...result.diagnostics);
		if (result.skill) add(result.skill);
	};

	for (const raw of paths) {
		const expanded = expandHome(raw.trim());
		const path = isAbsolute(expanded) ? expanded : resolve(options.cwd, expanded);
		if (!existsSync(path)) {
			diagnostics.push({ type: "warning", message: "skill path does not exist", path });
			continue;
		}
		try {
			const stats = statSync(path);
			const scope: SourceInfo["scope"] = isUnder(path, options.userSkillsDir)
				? "user"
				: isUnder(path, options.projectSkillsDir)
					? "project"
					: "temporary";
			if (stats.isDirectory()) {
				for (const file of findSkillFiles(path, true)) load(file, scope);
			} else if (stats.isFile() && path.endsWith(".md")) {
				load(path, scope);
			} else {
				diagnostics.push({ type: "warning", message: "skill path is not a markdown file", path });
			}
		} catch (error) {
			const message = error instanceof Error ? error.message : "failed to read skill path";
			diagnostics.push({ type: "warning", message, path });
		}
	}
	return { skills: [...byName.values()], diagnostics: [...diagnostics, ...collisions] };
}

function escapeXml(text: string): string {
	return text
		.replace(/&/g, "&amp;")
		.replace(/</g, "&lt;")
		.replace(/>/g, "&gt;")
		.replace(/"/g, "&quot;")
		.replace(/'/g, "&apos;");
}

/**
 * The system-prompt block listing the skills the model may load (the Agent Skills XML format). Skills with
 * disable-model-invocation are left out; with none left the block is empty.
 */
/** The tool the model loads skill files with: `read`, `bash`, or one it reaches only through another tool. */
export type SkillReadTool = "read" | "bash" | "indirect";

const SKILL_LOAD_HINT: Record<SkillReadTool, string> = {
	read: "Use the read tool to load a skill's file when the task matches its description.",
	bash: "Use bash to load a skill's file when the task matches its description.",
	indirect: "Load a skill's file when the task matches its description.",
};

/** The skills listing of the system prompt, worded as pi 1.6.0's. */
export function formatSkillsForPrompt(skills: readonly Skill[], readTool: SkillReadTool = "read"): string {
	const visible = skills.filter((skill) => !skill.disableModelInvocation);
	if (visible.length === 0) return "";
	const lines = [
		"\n\nThe following skills provide specialized instructions for specific tasks.",
		SKILL_LOAD_HINT[readTool],
		"Resolve relative paths against the skill's directory (parent of SKILL.md). Use absolute paths in tool calls.",
		"",
		"<available_skills>",
	];
	for (const skill of visible) {
		lines.push(
			"  <skill>",
			`    <name>${escapeXml(skill.name)}</name>`,
			`    <description>${escapeXml(skill.description)}</description>`,
			`    <location>${escapeXml(skill.filePath)}</location>`,
			"  </skill>",
		);
	}
	lines.push("</available_skills>");
	return lines.join("\n");
}

/**
 * `/skill:name args` becomes the skill's body wrapped in a <skill> block, followed by the arguments. Unknown skills
 * and unreadable files leave the text unchanged.
 */
export function expandSkillCommand(text: string, skills: readonly Skill[]): string {
	if (!text.startsWith("/skill:")) return text;
	const space = text.indexOf(" ");
	const name = space === -1 ? text.slice(7) : text.slice(7, space);
	const args = space === -1 ? "" : text.slice(space + 1).trim();
	const skill = skills.find((candidate) => candidate.name === name);
	if (!skill) return text;
	let body: string;
	try {
		body = parseFrontmatter(readFileSync(skill.filePath, "utf-8")).body.trim();
	} catch {
		return text;
	}
	const block = `<skill name="${skill.name}" location="${skill.filePath}">\nReferences are relative to ${skill.baseDir}.\n\n${body}\n</skill>`;
	return args ? `${block}\n\n${args}` : block;
}
