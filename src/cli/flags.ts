/**
 * pi's command-line flags, declared as a citty argument table. The table drives both the parser (which
 * flags take a value, their aliases) and the help text, so the two cannot drift apart.
 */
import type { ArgsDef } from "citty";

export const FLAGS = {
	provider: {
		type: "string",
		valueHint: "name",
		description: "Provider to search for --model (requires --model)",
	},
	model: {
		type: "string",
		valueHint: "pattern",
		description: 'Model pattern or ID (supports "provider/id" and optional ":<thinking>")',
	},
	"api-key": { type: "string", valueHint: "key", description: "API key (defaults to env vars)" },
	"system-prompt": {
		type: "string",
		valueHint: "text",
		description: "System prompt (default: coding assistant prompt)",
	},
	"append-system-prompt": {
		type: "string",
		valueHint: "text",
		description: "Append text or file contents to the system prompt (can be used multiple times)",
	},
	mode: { type: "string", valueHint: "mode", description: "Output mode: text (default), json, or rpc" },
	print: { type: "boolean", alias: "p", description: "Non-interactive mode: process prompt and exit" },
	continue: {
		type: "boolean",
		alias: "c",
		description: "Continue the most recent session for the current directory",
	},
	resume: { type: "boolean", alias: "r", description: "Pick a session to resume" },
	session: { type: "string", valueHint: "path|id", description: "Open a session by file path or full/partial ID" },
	"session-id": {
		type: "string",
		valueHint: "id",
		description: "Use the current directory's existing session with the ID, creating it otherwise",
	},
	fork: {
		type: "string",
		valueHint: "path|id",
		description: "Fork a session by file path or full/partial ID into the current directory",
	},
	"session-dir": { type: "string", valueHint: "dir", description: "Directory for session storage and lookup" },
	"no-session": { type: "boolean", description: "Don't save session (ephemeral)" },
	name: { type: "string", alias: "n", valueHint: "name", description: "Set session display name" },
	models: {
		type: "string",
		valueHint: "patterns",
		description: "Comma-separated model patterns for Ctrl+P cycling",
	},
	"no-tools": {
		type: "boolean",
		alias: "nt",
		description: "Disable all tools by default (built-in and extension)",
	},
	"no-builtin-tools": {
		type: "boolean",
		alias: "nbt",
		description: "Disable built-in tools by default but keep extension/custom tools enabled",
	},
	tools: {
		type: "string",
		alias: "t",
		valueHint: "tools",
		description: "Comma-separated allowlist of tool names or patterns (*) to enable",
	},
	"exclude-tools": {
		type: "string",
		alias: "xt",
		valueHint: "tools",
		description: "Comma-separated denylist of tool names or patterns (*) to disable",
	},
	thinking: {
		type: "string",
		valueHint: "level",
		description: "Set thinking level: off, minimal, low, medium, high, xhigh, max",
	},
	extension: {
		type: "string",
		alias: "e",
		valueHint: "path",
		description: "Load an extension file or builtin:<name> (can be used multiple times)",
	},
	"no-extensions": {
		type: "boolean",
		alias: "ne",
		description: "Disable extension discovery and built-in extensions (explicit -e paths still work)",
	},
	"no-mcp": { type: "boolean", description: "Disable built-in MCP support: no servers connect and no MCP tools" },
	skill: {
		type: "string",
		valueHint: "path",
		description: "Load a skill file or directory (can be used multiple times)",
	},
	"no-skills": { type: "boolean", alias: "ns", description: "Disable skills discovery and loading" },
	"prompt-template": {
		type: "string",
		valueHint: "path",
		description: "Load a prompt template file or directory (can be used multiple times)",
	},
	"no-prompt-templates": {
		type: "boolean",
		alias: "np",
		description: "Disable prompt template discovery and loading",
	},
	theme: {
		type: "string",
		valueHint: "path",
		description: "Load a theme file or directory (can be used multiple times)",
	},
	"use-theme": {
		type: "string",
		valueHint: "name[/name]",
		description: "Set the initial interactive theme for this run",
	},
	"no-themes": { type: "boolean", description: "Disable theme discovery and loading" },
	"no-context-files": {
		type: "boolean",
		alias: "nc",
		description: "Disable AGENTS.md and CLAUDE.md discovery and loading",
	},
	export: { type: "string", valueHint: "file", description: "Export session file to HTML and exit" },
	"list-models": { type: "boolean", description: "List available models (with optional fuzzy search)" },
	verbose: { type: "boolean", description: "Force verbose startup; show stack traces; write the debug log" },
	"tui-mode": { type: "string", valueHint: "mode", description: "TUI mode: fullscreen (default) or regular" },
	approve: { type: "boolean", alias: "a", description: "Trust project-local files for this run" },
	"no-approve": { type: "boolean", alias: "na", description: "Ignore project-local files for this run" },
	offline: { type: "boolean", description: "Disable startup network operations (same as PI_OFFLINE=1)" },
	help: { type: "boolean", alias: "h", description: "Show this help" },
	version: { type: "boolean", alias: "v", description: "Show version number" },
} satisfies ArgsDef;

export type FlagName = keyof typeof FLAGS;

/** Map from every spelling on the command line (`--print`, `-p`) to the flag it names. */
export function flagSpellings(): Map<string, FlagName> {
	const map = new Map<string, FlagName>();
	for (const [name, def] of Object.entries(FLAGS) as [FlagName, (typeof FLAGS)[FlagName]][]) {
		map.set(`--${name}`, name);
		if ("alias" in def) map.set(`-${def.alias}`, name);
	}
	return map;
}
