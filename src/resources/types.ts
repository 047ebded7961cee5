/** The data model of skills and prompt templates (pi-spec §11), shaped like pi 0.73.1's so RPC output matches. */

/** Where a resource came from; sent as `sourceInfo` by RPC `get_commands`. */
export interface SourceInfo {
	path: string;
	/** "auto" (discovered in a default folder), "local" (settings entry or --skill path), "cli". */
	source: string;
	scope: "user" | "project" | "temporary";
	origin: "top-level" | "package";
	baseDir?: string;
}

export interface Skill {
	name: string;
	description: string;
	/** Absolute path of the skill's markdown file. */
	filePath: string;
	/** The folder that holds the file; relative references in the skill resolve against it. */
	baseDir: string;
	sourceInfo: SourceInfo;
	/** Hidden from the system prompt; only `/skill:name` invokes it. */
	disableModelInvocation: boolean;
}

export interface PromptTemplate {
	name: string;
	description: string;
	argumentHint?: string;
	/** The body after the frontmatter, trimmed. */
	content: string;
	sourceInfo: SourceInfo;
	filePath: string;
}

export interface ResourceCollision {
	resourceType: "skill" | "prompt";
	name: string;
	winnerPath: string;
	loserPath: string;
}

export interface ResourceDiagnostic {
	type: "warning" | "error" | "collision";
	message: string;
	path?: string;
	collision?: ResourceCollision;
}

export interface LoadedResources {
	skills: Skill[];
	templates: PromptTemplate[];
	skillDiagnostics: ResourceDiagnostic[];
	templateDiagnostics: ResourceDiagnostic[];
	/** Every diagnostic as a plain line ("path: message"), for callers that only print text. */
	warnings: string[];
	/** settings.enableSkillCommands (default true): whether `/skill:name` is offered as a slash command. */
	enableSkillCommands: boolean;
}

export interface SlashCommandInfo {
	/** Without the leading "/": "review" or "skill:my-skill". */
	name: string;
	description: string;
	source: "prompt" | "skill";
	argumentHint?: string;
	sourceInfo: SourceInfo;
}
