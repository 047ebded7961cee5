/**
 * Loading skills and prompt templates the way pi 0.73.1's resource loader does, and the operations modes need on
 * the result: expanding `/skill:name` and `/template` input, and listing them as slash commands.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { SettingsManager } from "../config/settings.ts";
import { canonical, resolveUserPath } from "./dir-entries.ts";
import { discoverResources, type ResolvedResource } from "./discovery.ts";
import { expandPromptTemplate, loadTemplatesFromPaths } from "./prompt-templates.ts";
import { expandSkillCommand, loadSkillsFromPaths } from "./skills.ts";
import type { LoadedResources, ResourceDiagnostic, SlashCommandInfo, SourceInfo } from "./types.ts";

export interface LoadResourcesOptions {
	cwd: string;
	agentDir: string;
	settings: SettingsManager;
	/** --skill values, in order. */
	skillPaths: readonly string[];
	/** --no-skills: only the --skill paths load. */
	noSkills: boolean;
	/** --prompt-template values, in order. */
	templatePaths: readonly string[];
	/** --no-prompt-templates: only the --prompt-template paths load. */
	noTemplates: boolean;
	/** Skills and prompt templates of installed pi packages (src/packages). */
	packages?: {
		skills: readonly { path: string; enabled: boolean; sourceInfo: SourceInfo }[];
		prompts: readonly { path: string; enabled: boolean; sourceInfo: SourceInfo }[];
	};
}

export const EMPTY_RESOURCES: LoadedResources = {
	skills: [],
	templates: [],
	skillDiagnostics: [],
	templateDiagnostics: [],
	warnings: [],
	enableSkillCommands: true,
};

/** Discovered paths first, then CLI paths; each file or folder once. */
function mergePaths(cwd: string, primary: readonly string[], extra: readonly string[]): string[] {
	const seen = new Set<string>();
	const merged: string[] = [];
	for (const raw of [...primary, ...extra]) {
		const path = resolveUserPath(raw, cwd);
		const real = canonical(path);
		if (seen.has(real)) continue;
		seen.add(real);
		merged.push(path);
	}
	return merged;
}

/** Package sources (npm:, git:, URLs) are not local paths; pi reports only missing local ones. */
function isLocalPath(value: string): boolean {
	return !/^(npm|git|github|http|https|ssh):/.test(value.trim());
}

function missingCliPaths(
	cwd: string,
	paths: readonly string[],
	diagnostics: readonly ResourceDiagnostic[],
	message: string,
): ResourceDiagnostic[] {
	// pi 1.6.0 names the resolved path, and says nothing more where the loader already reported that path.
	return paths
		.filter(isLocalPath)
		.map((p) => resolveUserPath(p, cwd))
		.filter((path) => !existsSync(path) && !diagnostics.some((d) => d.path === path))
		.map((path) => ({ type: "error" as const, message, path }));
}

/** Discovered files keep the metadata of where they were found (settings entry or auto folder). */
function sourceInfoFrom(discovered: readonly ResolvedResource[], filePath: string, fallback: SourceInfo): SourceInfo {
	const normalized = resolve(filePath);
	const match = discovered.find((resource) => resource.path === normalized || resource.path === filePath);
	return match ? { path: filePath, ...match.metadata } : fallback;
}

/** One line per diagnostic, for output that has no room for pi's grouped TUI listing. */
export function formatDiagnostic(diagnostic: ResourceDiagnostic): string {
	if (diagnostic.collision) {
		const { name, winnerPath, loserPath } = diagnostic.collision;
		return `"${name}" collision: ${loserPath} skipped, ${winnerPath} wins`;
	}
	return diagnostic.path ? `${diagnostic.path}: ${diagnostic.message}` : diagnostic.message;
}

export function loadResources(options: LoadResourcesOptions): LoadedResources {
	const { cwd, agentDir, settings } = options;
	const global = settings.getGlobalSettings();
	// Project settings are empty until the project is trusted; its folders are skipped the same way.
	const project = settings.getProjectSettings();
	const projectTrusted = settings.isProjectTrusted();

	const discoveredSkills = discoverResources("skills", {
		cwd,
		agentDir,
		globalEntries: global.skills ?? [],
		projectEntries: project.skills ?? [],
		projectTrusted,
		packageResources: options.packages?.skills,
	});
	const enabledSkillPaths = options.noSkills ? [] : discoveredSkills.filter((r) => r.enabled).map((r) => r.path);
	const skillPaths = mergePaths(cwd, enabledSkillPaths, options.skillPaths);
	const skillResult =
		options.noSkills && skillPaths.length === 0
			? { skills: [], diagnostics: [] }
			: loadSkillsFromPaths(skillPaths, {
					cwd,
					userSkillsDir: join(agentDir, "skills"),
					projectSkillsDir: resolve(cwd, ".pi", "skills"),
				});
	const skills = skillResult.skills.map((skill) => ({
		...skill,
		sourceInfo: sourceInfoFrom(discoveredSkills, skill.filePath, skill.sourceInfo),
	}));
	const skillDiagnostics = [
		...skillResult.diagnostics,
		...missingCliPaths(cwd, options.skillPaths, skillResult.diagnostics, "Skill path does not exist"),
	];

	const discoveredTemplates = discoverResources("prompts", {
		cwd,
		agentDir,
		globalEntries: global.prompts ?? [],
		projectEntries: project.prompts ?? [],
		projectTrusted,
		packageResources: options.packages?.prompts,
	});
	const enabledTemplatePaths = options.noTemplates
		? []
		: discoveredTemplates.filter((r) => r.enabled).map((r) => r.path);
	const templatePaths = mergePaths(cwd, enabledTemplatePaths, options.templatePaths);
	const templateResult =
		options.noTemplates && templatePaths.length === 0
			? { templates: [], diagnostics: [] }
			: loadTemplatesFromPaths(templatePaths, {
					cwd,
					userPromptsDir: join(agentDir, "prompts"),
					projectPromptsDir: resolve(cwd, ".pi", "prompts"),
				});
	const templates = templateResult.templates.map((template) => ({
		...template,
		sourceInfo: sourceInfoFrom(discoveredTemplates, template.filePath, template.sourceInfo),
	}));
	const templateDiagnostics = [
		...templateResult.diagnostics,
		...missingCliPaths(cwd, options.templatePaths, templateResult.diagnostics, "Prompt template path does not exist"),
	];

	return {
		skills,
		templates,
		skillDiagnostics,
		templateDiagnostics,
		warnings: [...skillDiagnostics, ...templateDiagnostics].map(formatDiagnostic),
		enableSkillCommands: settings.settings.enableSkillCommands ?? true,
	};
}

/**
 * What a user prompt becomes before it is sent: `/skill:name args` expands to the skill, then `/name args` to a
 * template (in that order, as pi's AgentSession does). Other text is unchanged.
 */
export function expandPromptText(text: string, resources: LoadedResources): string {
	return expandPromptTemplate(expandSkillCommand(text, resources.skills), resources.templates);
}

/** pi's autocomplete tag for a resource's origin: u(ser), p(roject) or t(emporary, e.g. --skill). */
export function sourceTag(info: SourceInfo): "u" | "p" | "t" {
	return info.scope === "user" ? "u" : info.scope === "project" ? "p" : "t";
}

/** The description pi shows in slash autocomplete: "[u] Review code". */
export function autocompleteDescription(command: SlashCommandInfo): string {
	const tag = sourceTag(command.sourceInfo);
	return command.description ? `[${tag}] ${command.description}` : `[${tag}]`;
}

/**
 * Templates, then skills as `skill:<name>`, as RPC `get_commands` lists them. With `forAutocomplete`, skills are
 * left out when settings.enableSkillCommands is false (pi's interactive mode).
 */
export function slashCommandsFor(
	resources: LoadedResources,
	options: { forAutocomplete?: boolean } = {},
): SlashCommandInfo[] {
	const templates = resources.templates.map(
		(template): SlashCommandInfo => ({
			name: template.name,
			description: template.description,
			source: "prompt",
			...(template.argumentHint !== undefined ? { argumentHint: template.argumentHint } : {}),
			sourceInfo: template.sourceInfo,
		}),
	);
	const includeSkills = !options.forAutocomplete || resources.enableSkillCommands;
	const skills = includeSkills
		? resources.skills.map(
				(skill): SlashCommandInfo => ({
					name: `skill:${skill.name}`,
					description: skill.description,
					source: "skill",
					sourceInfo: skill.sourceInfo,
				}),
			)
		: [];
	return [...templates, ...skills];
}
