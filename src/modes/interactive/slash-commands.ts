/** Autocomplete matching of slash command names. */

export interface SlashCommand {
	name: string;
	description: string;
}

/**
 * Commands offered while the editor holds `/prefix` (no space yet): prefix matches first, then commands that
 * merely contain the typed letters in order.
 */
export function completeSlashCommand(text: string, commands: readonly SlashCommand[]): SlashCommand[] {
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
