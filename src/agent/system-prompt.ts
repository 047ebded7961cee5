/**
 * The system prompt as pi 1.6.0 builds it: ordered, named sections. `preamble` is plain text; every other section is
 * wrapped in a tag of its own name (`<tools>…</tools>`), so a later system message can replace one section by name
 * and the model can match the update to what it saw. The rendered prompt is the sections joined by blank lines
 * (src/ai/transcript.ts getSystemMessageText). Checked byte for byte against pi 1.6.0 (test/agent/system-prompt-pi16).
 *
 * Section order: preamble, tools, rules, docs (these four only without a custom prompt), addendum (APPEND_SYSTEM.md),
 * project_context (AGENTS.md/CLAUDE.md), skills, cwd, then the custom sections of `sections` (e.g. MCP's
 * `mcp_servers`) in insertion order.
 */
import { getSystemMessageText } from "../ai/transcript.ts";
import { formatSkillsForPrompt, type Skill } from "../resources/index.ts";

export interface ContextFile {
	path: string;
	content: string;
}

export interface SystemPromptOptions {
	cwd: string;
	/** Replaces the default preamble, tools, rules and docs (`--system-prompt`, SYSTEM.md). */
	customPrompt?: string;
	/** An exact, opaque prompt for one run (an extension's before_agent_start); the sections still go on record. */
	forceSystemPrompt?: string;
	/** Active tools in the order they were enabled. */
	selectedTools: readonly string[];
	/** Active tools whose declarations requests leave out (reachable only through another tool). */
	hiddenTools?: readonly string[];
	/** One-line entry per tool for the `<tools>` list; a tool without one is not listed. */
	toolSnippets: Readonly<Record<string, string>>;
	/** Rule bullets each tool adds. */
	toolGuidelines?: Readonly<Record<string, readonly string[]>>;
	/** More rule bullets, after the tools' own. */
	promptGuidelines?: readonly string[];
	/** APPEND_SYSTEM.md / `--append-system-prompt` text. */
	appendSystemPrompt?: string;
	contextFiles?: readonly ContextFile[];
	skills?: readonly Skill[];
	/** Extra sections by name (lower case, `[a-z][a-z0-9_-]*`, not `preamble`); empty text leaves one out. */
	sections?: Readonly<Record<string, string>>;
	readmePath: string;
	docsPath: string;
	examplesPath: string;
}

/** Ordered sections by name; these become `SystemMessage.sections` in the transcript. */
export type SystemPromptSections = Record<string, string>;

const SECTION_NAME = /^[a-z][a-z0-9_-]*$/;

export const DEFAULT_PREAMBLE =
	"You are a coding assistant running inside pi, a coding agent harness. Help users inspect files, run commands, and modify code.";

function renderProjectContext(files: readonly ContextFile[]): string {
	return [
		"Project-specific instructions and guidelines:",
		...files.map(({ path, content }) => `<project_instructions path="${path}">\n${content}\n</project_instructions>`),
	].join("\n\n");
}

function buildRules(
	tools: readonly string[],
	toolGuidelines: Readonly<Record<string, readonly string[]>>,
	promptGuidelines: readonly string[],
): string {
	const rules: string[] = [];
	const seen = new Set<string>();
	const add = (rule: string): void => {
		const trimmed = rule.trim();
		if (!trimmed || seen.has(trimmed)) return;
		seen.add(trimmed);
		rules.push(trimmed);
	};
	const has = (name: string) => tools.includes(name);
	if ((has("bash") || has("powershell")) && !has("grep") && !has("find") && !has("ls")) {
		if (has("bash") && has("powershell"))
			add("Use bash or PowerShell for file operations like listing, searching, and finding files");
		else if (has("powershell")) add("Use PowerShell for file operations like listing, searching, and finding files");
		else add("Use bash for file operations like ls, rg, find");
	}
	for (const name of tools) for (const rule of toolGuidelines[name] ?? []) add(rule);
	for (const rule of promptGuidelines) add(rule);
	add("Be concise in your responses");
	add("Show file paths clearly when working with files");
	return rules.map((rule) => `- ${rule}`).join("\n");
}

function docsSection(options: SystemPromptOptions): string {
	return `Pi documentation (read only when the user asks about the harness itself, its SDK, extensions, themes, skills, or TUI):
- Main documentation: ${options.readmePath}
- Additional docs: ${options.docsPath}
- Examples: ${options.examplesPath} (extensions, custom tools, SDK)
- When reading pi docs or examples, resolve docs/... under Additional docs and examples/... under Examples, not the current working directory
- When asked about: extensions (docs/extensions.md, examples/extensions/), themes (docs/themes.md), skills (docs/skills.md), prompt templates (docs/prompt-templates.md), TUI components (docs/tui.md), keybindings (docs/keybindings.md), SDK integrations (docs/sdk.md), custom providers (docs/custom-provider.md), adding models (docs/models.md), packages (docs/packages.md), environment variables (docs/environment-variables.md), MCP servers (docs/mcp.md), codemode scripts and non-LLM models such as classifiers and image models (docs/codemode.md)
- Before implementing harness changes, read the relevant docs and examples in full, following related cross-references.`;
}

const DOCS_PATH_LINES =
	/^(- (?:Main documentation|Additional docs|Examples): )(.*?)( \(extensions, custom tools, SDK\))?$/gm;

/**
 * Whether two `docs` sections say the same thing except where pi's documentation lives. A session written by pi
 * names its package's README; ours names the README this binary ships. Re-declaring the section for that alone
 * would cost the provider's prompt cache on every switch between the two, so the recorded text is kept.
 */
export function sameDocsExceptPaths(recorded: string, current: string): boolean {
	const template = (text: string) => text.replace(DOCS_PATH_LINES, "$1<path>$3");
	return recorded !== current && template(recorded) === template(current);
}

/** The ordered, independently replaceable sections of the prompt. Throws on an invalid custom section name. */
export function buildSystemPromptSections(options: SystemPromptOptions): SystemPromptSections {
	const custom = options.sections ?? {};
	for (const name of Object.keys(custom)) {
		if (!SECTION_NAME.test(name) || name === "preamble") {
			throw new Error(`Invalid system prompt section name: ${name}`);
		}
	}
	const hidden = new Set(options.hiddenTools ?? []);
	const declared = options.selectedTools.filter((name) => !hidden.has(name));
	const body: Record<string, string> = {};
	if (options.customPrompt) {
		body.preamble = options.customPrompt;
	} else {
		body.preamble = DEFAULT_PREAMBLE;
		const listed = declared.filter((name) => !!options.toolSnippets[name]);
		const tools =
			listed.length > 0 ? listed.map((name) => `- ${name}: ${options.toolSnippets[name]}`).join("\n") : "(none)";
		body.tools = `${tools}\n\nAdditional tools may be available.`;
		body.rules = buildRules(declared, options.toolGuidelines ?? {}, options.promptGuidelines ?? []);
		body.docs = docsSection(options);
	}
	if (options.appendSystemPrompt) body.addendum = options.appendSystemPrompt;
	const contextFiles = options.contextFiles ?? [];
	if (contextFiles.length > 0) body.project_context = renderProjectContext(contextFiles);
	// Skills are loaded with read, else bash; a hidden reader is reachable through another tool, so no tool is named.
	const readers = ["read", "bash"] as const;
	const reader =
		readers.find((tool) => declared.includes(tool)) ??
		(readers.some((tool) => options.selectedTools.includes(tool)) ? "indirect" : undefined);
	const skills = options.skills ?? [];
	if (reader && skills.length > 0) {
		const listing = formatSkillsForPrompt(skills, reader).trim();
		if (listing) body.skills = listing;
	}
	body.cwd = options.cwd.replace(/\\/g, "/");
	for (const [name, content] of Object.entries(custom)) {
		if (content) body[name] = content;
	}
	const sections: SystemPromptSections = { preamble: body.preamble ?? "" };
	for (const [name, content] of Object.entries(body)) {
		if (name !== "preamble") sections[name] = `<${name}>\n${content}\n</${name}>`;
	}
	return sections;
}

/** The prompt text, rendered exactly as the transcript's system message replays it. */
export function buildSystemPrompt(options: SystemPromptOptions): string {
	if (options.forceSystemPrompt !== undefined) return options.forceSystemPrompt;
	return getSystemMessageText({
		role: "system",
		content: "",
		sections: buildSystemPromptSections(options),
		timestamp: 0,
	});
}
