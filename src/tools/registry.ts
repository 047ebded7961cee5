/** The built-in tools, in pi's registry order (pi-spec §6). */
import type { AgentTool } from "../agent/types.ts";
import { createBashTool } from "./bash.ts";
import { createEditTool } from "./edit.ts";
import type { SearchBackend } from "./external-tools.ts";
import { createFindTool } from "./find.ts";
import { createGrepTool } from "./grep.ts";
import { createLsTool } from "./ls.ts";
import { createPowerShellTool, POWERSHELL_PROMPT_SNIPPET } from "./powershell.ts";
import { createReadTool } from "./read.ts";
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

/** Extra "Guidelines" lines each active tool contributes to the system prompt (pi's promptGuidelines). */
export const TOOL_PROMPT_GUIDELINES: Record<string, readonly string[]> = {
	read: ["Use read to examine files instead of cat or sed."],
	edit: [
		"Use edit for precise changes (edits[].oldText must match exactly)",
		"When changing multiple separate locations in one file, use one edit call with multiple entries in edits[] instead of multiple edit calls",
		"Each edits[].oldText is matched against the original file, not after earlier edits are applied. Do not emit overlapping or nested edits. Merge nearby changes into one edit.",
		"Keep edits[].oldText as small as possible while still being unique in the file. Do not pad with large unchanged regions.",
	],
	write: ["Use write only for new files or complete rewrites."],
	powershell: ["You can inspect PI_* environment variables for current model and session details."],
};

export interface BuiltinToolOptions {
	shellPath?: string;
	shellCommandPrefix?: string;
	autoResizeImages?: boolean;
	/** "builtin" forces the internal grep/find even when rg/fd are installed. */
	searchBackend?: SearchBackend;
}

export function createBuiltinTools(cwd: string, options: BuiltinToolOptions = {}): [string, AgentTool][] {
	const search = { backend: options.searchBackend };
	const tools = [
		untyped(createReadTool(cwd, { autoResizeImages: options.autoResizeImages })),
		untyped(createBashTool(cwd, { shellPath: options.shellPath, shellCommandPrefix: options.shellCommandPrefix })),
		...(WINDOWS_ONLY_TOOLS.includes("powershell") ? [untyped(createPowerShellTool(cwd))] : []),
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
 * input, which is idempotent for arguments that came out of parseArgs.
 */
function untyped<TArgs, TDetails>(tool: AgentTool<TArgs, TDetails>): AgentTool {
	return {
		...tool,
		parseArgs: (raw) => tool.parseArgs(raw),
		execute: (id, args, signal, onUpdate) => tool.execute(id, tool.parseArgs(args), signal, onUpdate),
	};
}
