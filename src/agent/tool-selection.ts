/**
 * Which tools are on (pi 1.6.0, docs/cli.md "Tools" and docs/settings.md `defaultTools`):
 *   - the default selection is `read, bash, edit, write`, or the `defaultTools` setting — plain names replace it, a
 *     list of only `+name`/`-name` entries changes it;
 *   - `--tools a,b,'mcp__x__*'` is an allowlist of names and `*` patterns (only matching tools exist); a list of
 *     only `+name`/`-name` entries instead changes the default selection; the two cannot be mixed;
 *   - `--exclude-tools` removes names or patterns after everything else; `--no-tools` starts with none;
 *     `--no-builtin-tools` starts without the built-ins (other tools still switch on as they register);
 *   - with the default selection, a resumed session gets back the tools its transcript records.
 */
import { getCurrentTools } from "../ai/transcript.ts";
import type { SessionEntry } from "../session/types.ts";
import { createToolFilter, type ToolFilter } from "./session/tool-set.ts";
import { isToolModifier } from "./tool-list-syntax.ts";

export const DEFAULT_TOOL_NAMES: readonly string[] = ["read", "bash", "edit", "write"];

/** Applies the `+name`/`-name` entries in order (other entries are ignored). */
export function applyToolModifiers(base: readonly string[], entries: readonly string[]): string[] {
	const tools = [...base];
	for (const entry of entries) {
		if (!isToolModifier(entry)) continue;
		const name = entry.slice(1);
		const index = tools.indexOf(name);
		if (entry.startsWith("+") && index === -1 && name) tools.push(name);
		else if (entry.startsWith("-") && index !== -1) tools.splice(index, 1);
	}
	return tools;
}

/** The merged `defaultTools` setting as a selection: plain names replace the defaults, then modifiers apply. */
export function resolveDefaultTools(entries: readonly string[]): string[] {
	const plain = entries.filter((entry) => !isToolModifier(entry));
	return applyToolModifiers(plain.length > 0 || entries.length === 0 ? plain : DEFAULT_TOOL_NAMES, entries);
}

export interface ToolSelectionInput {
	/** `--tools` entries (already checked with getToolListError). */
	tools?: readonly string[];
	excludeTools?: readonly string[];
	noTools?: boolean;
	noBuiltinTools?: boolean;
	/** The resolved `defaultTools` setting (resolveDefaultTools), if set. */
	defaultTools?: readonly string[];
}

export interface ToolSelection {
	/** The tools to switch on at startup, in order (names nobody registers are ignored later). */
	initialActive: string[];
	/** What `--tools` / `--exclude-tools` allow, for tools registered later too (MCP servers connecting). */
	filter: ToolFilter;
	/** Set when the selection is the default one: a resumed session restores its recorded tools with these. */
	restoreModifiers?: readonly string[];
}

/** The startup tool selection from the command line and settings (pi 1.6.0's sdk.ts). */
export function selectTools(input: ToolSelectionInput): ToolSelection {
	const defaults = input.noTools || input.noBuiltinTools ? [] : [...(input.defaultTools ?? DEFAULT_TOOL_NAMES)];
	const modifiers = input.tools?.some(isToolModifier) ? input.tools : undefined;
	const selected = modifiers ? applyToolModifiers(defaults, modifiers) : input.tools;
	const allowlist = modifiers
		? input.noTools
			? selected
			: undefined
		: (input.tools ?? (input.noTools ? [] : undefined));
	const filter = createToolFilter(allowlist, input.excludeTools);
	const usesDefaults =
		(input.tools === undefined || modifiers !== undefined) && !input.noTools && !input.noBuiltinTools;
	return {
		initialActive: (selected ?? defaults).filter((name) => filter.isAllowed(name)),
		filter,
		restoreModifiers: usesDefaults ? (modifiers ?? []) : undefined,
	};
}

/**
 * The tools a branch's system messages declare (before any compaction too, since checkpoints derive from them),
 * with `+name`/`-name` modifiers applied; undefined when the branch records no loadout.
 */
export function restoredToolNames(branch: readonly SessionEntry[], modifiers: readonly string[]): string[] | undefined {
	const systemMessages = branch.flatMap((entry) =>
		entry.type === "message" && entry.message.role === "system" ? [entry.message] : [],
	);
	if (systemMessages.length === 0) return undefined;
	return applyToolModifiers(
		getCurrentTools(systemMessages).map((tool) => tool.name),
		modifiers,
	);
}
