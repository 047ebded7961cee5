/** The built-in tools, in pi's registry order (pi-spec §6). */

import type { AgentTool } from "../agent/types.ts";
import type { ImageResizeOptions } from "../images/resize-core.ts";
import { createBashTool } from "./bash.ts";
import { createEditTool } from "./edit.ts";
import type { SearchBackend } from "./external-tools.ts";
import { createFindTool } from "./find.ts";
import { createGrepTool } from "./grep.ts";
import { createLsTool } from "./ls.ts";
import { createPowerShellTool, POWERSHELL_PROMPT_SNIPPET } from "./powershell.ts";
import { createReadTool } from "./read.ts";
import type { ShellRunner } from "./shell-runners.ts";
import { createWriteTool } from "./write.ts";

/** pi 1.6.0's `powershell` tool exists only when pi runs natively on Windows (docs/windows.md). */
const WINDOWS_ONLY_TOOLS: readonly string[] = process.platform === "win32" ? ["powershell"] : [];

export const BUILTIN_TOOL_NAMES: readonly string[] = [
	"read",
	"bash",
	...WINDOWS_ONLY_TOOLS,
	"edit",
	"write",
	"grep",
	"find",
	"ls",
];
/** Active unless `--tools` says otherwise. */
export const DEFAULT_TOOL_NAMES: readonly string[] = ["read", "bash", "edit", "write"];

/** The one-line entry of each tool in the system prompt's "Available tools" list (pi's promptSnippet). */
export const TOOL_PROMPT_SNIPPETS: Record<string, string> = {
	read: "Read file contents",
	bash: "Execute bash commands (ls, grep, find, etc.)",
	edit: "Make precise file edits with exact text replacement, including multiple disjoint edits in one call",
	write: "Create or overwrite files",
	grep: "Search file contents for patterns (respects .gitignore)",
	find: "Find files by glob pattern (respects .gitignore)",
	ls: "List directory contents",
	powershell: POWERSHELL_PROMPT_SNIPPET,
};

/** Rule bullets each active tool adds to the system prompt's `<rules>` (pi 1.6.0's promptGuidelines). */
export const TOOL_PROMPT_GUIDELINES: Record<string, readonly string[]> = {
	read: ["Use read to examine files instead of cat or sed."],
	// pi shows this while the bash tool exposes PI_* variables to its commands, which ours always does.
	bash: ["You can inspect PI_* environment variables for current model and session details."],
	edit: [
		"Use edit for targeted changes. Batch changes to one file in a single call.",
		"Each edits[].oldText must exactly and uniquely match the original file. Keep matches short and non-overlapping; merge nearby changes without including large unchanged regions.",
	],
	write: ["Use write only for new files or complete rewrites."],
	powershell: ["You can inspect PI_* environment variables for current model and session details."],
};

export interface BuiltinToolOptions {
	shellPath?: string;
	shellCommandPrefix?: string;
	autoResizeImages?: boolean;
	/** The current model's image limits for the read tool (pi 1.6.0: `inputLimits.images.resize`). */
	imageResizeOptions?: () => ImageResizeOptions | undefined;
	/** "builtin" forces the internal grep/find even when rg/fd are installed. */
	searchBackend?: SearchBackend;
	/** The PI_* variables the shell tools give their commands (see BashToolOptions). */
	sessionEnvironment?: () => Readonly<Record<string, string>>;
	/** Runs bash commands instead of the local shell (an extension's createBashTool operations / spawnHook). */
	bashRun?: ShellRunner;
}

export function createBuiltinTools(cwd: string, options: BuiltinToolOptions = {}): [string, AgentTool][] {
	const search = { backend: options.searchBackend };
	const tools = [
		untyped(
			createReadTool(cwd, {
				autoResizeImages: options.autoResizeImages,
				imageResizeOptions: options.imageResizeOptions,
			}),
		),
		untyped(
			createBashTool(cwd, {
				shellPath: options.shellPath,
				shellCommandPrefix: options.shellCommandPrefix,
				sessionEnvironment: options.sessionEnvironment,
				run: options.bashRun,
			}),
		),
		...(WINDOWS_ONLY_TOOLS.includes("powershell")
			? [untyped(createPowerShellTool(cwd, undefined, options.sessionEnvironment))]
			: []),
		untyped(createEditTool(cwd)),
		untyped(createWriteTool(cwd)),
		untyped(createGrepTool(cwd, search)),
		untyped(createFindTool(cwd, search)),
		untyped(createLsTool(cwd)),
	];
	return tools.map((tool) => [tool.name, tool]);
}

/**
 * The agent holds tools of different argument types in one map. Without casts: execute re-validates its
 * input, which is idempotent for arguments that came out of parseArgs. Each built-in carries its system prompt
 * snippet and rules.
 */
function untyped<TArgs, TDetails>(tool: AgentTool<TArgs, TDetails>): AgentTool {
	return {
		...tool,
		promptSnippet: TOOL_PROMPT_SNIPPETS[tool.name],
		promptGuidelines: TOOL_PROMPT_GUIDELINES[tool.name],
		parseArgs: (raw) => tool.parseArgs(raw),
		execute: (id, args, signal, onUpdate) => tool.execute(id, tool.parseArgs(args), signal, onUpdate),
	};
}
