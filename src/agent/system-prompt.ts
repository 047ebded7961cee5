/**
 * The system prompt, assembled exactly as pi 0.73.1 does (pi-spec §2.8, checked byte-for-byte against a wire capture):
 * a custom prompt replaces the default body; then the append text, the project context files, and finally the
 * date and working directory.
 */
import { dirname, join } from "node:path";
import { formatSkillsForPrompt, type Skill } from "../resources/index.ts";

export interface PromptTool {
	name: string;
	/** One-line description for "Available tools"; an empty snippet hides the tool from that list (as in pi). */
	snippet: string;
	/** Extra bullets the tool adds to "Guidelines" (pi's promptGuidelines; see TOOL_PROMPT_GUIDELINES). */
	guidelines?: readonly string[];
}

export interface ContextFile {
	path: string;
	content: string;
}

export interface SystemPromptOptions {
	cwd: string;
	/** Active tools, in the order they are enabled. */
	tools: PromptTool[];
	customPrompt?: string;
	appendPrompt?: string;
	contextFiles: ContextFile[];
	readmePath: string;
	/** Defaults to `docs` next to the README. */
	docsPath?: string;
	/** Defaults to `examples` next to the README. */
	examplesPath?: string;
	/** Loaded skills; listed only when the read tool is active, since the model loads them with it. */
	skills?: readonly Skill[];
	/** Defaults to now; pi prints the local calendar date. */
	date?: Date;
}

function localDate(date: Date): string {
	const month = String(date.getMonth() + 1).padStart(2, "0");
	const day = String(date.getDate()).padStart(2, "0");
	return `${date.getFullYear()}-${month}-${day}`;
}

/** Snippets are shown on one line, whatever the tool author wrote. */
function oneLine(text: string): string {
	return text
		.replace(/[\r\n]+/g, " ")
		.replace(/\s+/g, " ")
		.trim();
}

function contextSection(files: ContextFile[]): string {
	if (files.length === 0) return "";
	let section = "\n\n# Project Context\n\nProject-specific instructions and guidelines:\n\n";
	for (const file of files) section += `## ${file.path}\n\n${file.content}\n\n`;
	return section;
}

function guidelineLines(tools: PromptTool[]): string {
	const names = new Set(tools.map((tool) => tool.name));
	const seen = new Set<string>();
	const lines: string[] = [];
	const add = (text: string): void => {
		const trimmed = text.trim();
		if (trimmed.length === 0 || seen.has(trimmed)) return;
		seen.add(trimmed);
		lines.push(`- ${trimmed}`);
	};
	if (names.has("bash")) {
		const hasExplorationTools = names.has("grep") || names.has("find") || names.has("ls");
		add(
			hasExplorationTools
				? "Prefer grep/find/ls tools over bash for file exploration (faster, respects .gitignore)"
				: "Use bash for file operations like ls, rg, find",
		);
	}
	for (const tool of tools) {
		for (const guideline of tool.guidelines ?? []) add(guideline);
	}
	add("Be concise in your responses");
	add("Show file paths clearly when working with files");
	return lines.join("\n");
}

function defaultBody(options: SystemPromptOptions): string {
	const listed = options.tools.flatMap((tool) => {
		const snippet = oneLine(tool.snippet);
		return snippet ? [`- ${tool.name}: ${snippet}`] : [];
	});
	const toolsList = listed.length > 0 ? listed.join("\n") : "(none)";
	const docsPath = options.docsPath ?? join(dirname(options.readmePath), "docs");
	const examplesPath = options.examplesPath ?? join(dirname(options.readmePath), "examples");
	return `You are an expert coding assistant operating inside pi, a coding agent harness. You help users by reading files, executing commands, editing code, and writing new files.

Available tools:
${toolsList}

In addition to the tools above, you may have access to other custom tools depending on the project.

Guidelines:
${guidelineLines(options.tools)}

Pi documentation (read only when the user asks about pi itself, its SDK, extensions, themes, skills, or TUI):
- Main documentation: ${options.readmePath}
- Additional docs: ${docsPath}
- Examples: ${examplesPath} (extensions, custom tools, SDK)
- When asked about: extensions (docs/extensions.md, examples/extensions/), themes (docs/themes.md), skills (docs/skills.md), prompt templates (docs/prompt-templates.md), TUI components (docs/tui.md), keybindings (docs/keybindings.md), SDK integrations (docs/sdk.md), custom providers (docs/custom-provider.md), adding models (docs/models.md), pi packages (docs/packages.md)
- When working on pi topics, read the docs and examples, and follow .md cross-references before implementing
- Always read pi .md files completely and follow links to related docs (e.g., tui.md for TUI API details)`;
}

export function buildSystemPrompt(options: SystemPromptOptions): string {
	let prompt = options.customPrompt ? options.customPrompt : defaultBody(options);
	if (options.appendPrompt) prompt += `\n\n${options.appendPrompt}`;
	prompt += contextSection(options.contextFiles);
	if (options.skills?.length && options.tools.some((tool) => tool.name === "read")) {
		prompt += formatSkillsForPrompt(options.skills);
	}
	prompt += `\nCurrent date: ${localDate(options.date ?? new Date())}`;
	prompt += `\nCurrent working directory: ${options.cwd.replace(/\\/g, "/")}`;
	return prompt;
}
