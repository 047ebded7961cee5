/** Built-in slash commands (pi 0.73.1 names and descriptions) and the autocomplete matching over them. */

export interface SlashCommand {
	name: string;
	description: string;
}

export const BUILTIN_SLASH_COMMANDS: readonly SlashCommand[] = [
	{ name: "settings", description: "Open settings menu" },
	{ name: "model", description: "Select model (opens selector UI)" },
	{ name: "scoped-models", description: "Enable/disable models for Ctrl+P cycling" },
	{ name: "export", description: "Export session (HTML default, or specify path: .html/.jsonl)" },
	{ name: "import", description: "Import and resume a session from a JSONL file" },
	{ name: "share", description: "Share session as a secret GitHub gist" },
	{ name: "copy", description: "Copy last agent message to clipboard" },
	{ name: "name", description: "Set session display name" },
	{ name: "session", description: "Show session info and stats" },
	{ name: "hotkeys", description: "Show all keyboard shortcuts" },
	{ name: "fork", description: "Create a new fork from a previous user message" },
	{ name: "clone", description: "Duplicate the current session at the current position" },
	{ name: "tree", description: "Navigate session tree (switch branches)" },
	{ name: "trust", description: "Save project trust decision for future sessions" },
	{ name: "login", description: "Configure provider authentication" },
	{ name: "logout", description: "Remove provider authentication" },
	{ name: "new", description: "Start a new session" },
	{ name: "compact", description: "Manually compact the session context" },
	{ name: "resume", description: "Resume a different session" },
	{ name: "reload", description: "Reload keybindings, extensions, skills, prompts, and themes" },
	{ name: "quit", description: "Quit pi" },
];

/** `/name args` → { name, args }; undefined when the text is not a slash command. */
export function parseSlashCommand(text: string): { name: string; args: string } | undefined {
	const match = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text);
	if (!match?.[1]) return undefined;
	return { name: match[1], args: (match[2] ?? "").trim() };
}

/**
 * Commands offered while the editor holds `/prefix` (no space yet): prefix matches first, then commands that
 * merely contain the typed letters in order.
 */
export function completeSlashCommand(
	text: string,
	commands: readonly SlashCommand[] = BUILTIN_SLASH_COMMANDS,
): SlashCommand[] {
	if (!text.startsWith("/") || /\s/.test(text)) return [];
	const query = text.slice(1).toLowerCase();
	const prefix = commands.filter((c) => c.name.startsWith(query));
	const subsequence = commands.filter((c) => !c.name.startsWith(query) && isSubsequence(query, c.name));
	return [...prefix, ...subsequence];
}

function isSubsequence(needle: string, haystack: string): boolean {
	let i = 0;
	for (const ch of haystack) if (ch === needle[i]) i++;
	return i === needle.length;
}
