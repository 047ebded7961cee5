/**
 * The syntax of a tool list (`--tools`, the `defaultTools` setting): plain names or patterns, or only `+name`/`-name`
 * modifiers. Kept apart from tool-selection.ts, which needs the tool registry: the CLI checks `--tools` while
 * parsing arguments, on the path of `pi --version`, which must load nothing else.
 */

/** Whether an entry is a `+name` or `-name` modifier. */
export function isToolModifier(entry: string): boolean {
	return entry.startsWith("+") || entry.startsWith("-");
}

/** The problem with a `--tools` list, or undefined: plain names and modifiers cannot mix, modifiers take no `*`. */
export function getToolListError(entries: readonly string[]): string | undefined {
	const modifiers = entries.filter(isToolModifier);
	if (modifiers.length === 0) return undefined;
	if (modifiers.length < entries.length) return "tool names cannot be mixed with +name or -name entries";
	const pattern = modifiers.find((entry) => entry.includes("*"));
	if (pattern) return `+name and -name entries take exact tool names, not patterns: ${pattern}`;
	return undefined;
}
