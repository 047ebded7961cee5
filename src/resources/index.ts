/** Skills and prompt templates: the public surface used by the CLI, the agent session and the modes. */

export {
	autocompleteDescription,
	EMPTY_RESOURCES,
	expandPromptText,
	formatDiagnostic,
	type LoadResourcesOptions,
	loadResources,
	slashCommandsFor,
	sourceTag,
} from "./load.ts";
export { formatSkillsForPrompt } from "./skills.ts";
export type {
	LoadedResources,
	PromptTemplate,
	ResourceDiagnostic,
	Skill,
	SlashCommandInfo,
	SourceInfo,
} from "./types.ts";
