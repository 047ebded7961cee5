/**
 * What the loaded extensions registered, resolved across them as pi 1.6 does: tools and flags by first
 * registration, commands with `name:N` for duplicates, renderers by first match, shortcuts by last.
 */

import type { Extension, ExtensionCommand, ExtensionFlag, RegisteredTool } from "./types.ts";

/** A command name as invoked: `name`, or `name:2` when several extensions registered the same one. */
export interface ResolvedCommand extends ExtensionCommand {
	invocationName: string;
}

export type ExtensionShortcut = Extension["shortcuts"] extends Map<string, infer S> ? S : never;

/** Each tool once: the first extension to register a name wins (pi). */
export function registeredTools(extensions: readonly Extension[]): RegisteredTool[] {
	const byName = new Map<string, RegisteredTool>();
	for (const extension of extensions) {
		for (const tool of extension.tools.values())
			if (!byName.has(tool.definition.name)) byName.set(tool.definition.name, tool);
	}
	return [...byName.values()];
}

export function registeredFlags(extensions: readonly Extension[]): ExtensionFlag[] {
	const byName = new Map<string, ExtensionFlag>();
	for (const extension of extensions) {
		for (const flag of extension.flags.values()) if (!byName.has(flag.name)) byName.set(flag.name, flag);
	}
	return [...byName.values()];
}

/** Commands in load order; a name registered more than once is invoked as `name:1`, `name:2`, … (pi 1.6). */
export function registeredCommands(extensions: readonly Extension[]): ResolvedCommand[] {
	const all = extensions.flatMap((extension) => [...extension.commands.values()]);
	const counts = new Map<string, number>();
	for (const command of all) counts.set(command.name, (counts.get(command.name) ?? 0) + 1);
	const seen = new Map<string, number>();
	const taken = new Set<string>();
	return all.map((command) => {
		const occurrence = (seen.get(command.name) ?? 0) + 1;
		seen.set(command.name, occurrence);
		let invocationName = (counts.get(command.name) ?? 0) > 1 ? `${command.name}:${occurrence}` : command.name;
		for (let suffix = occurrence + 1; taken.has(invocationName); suffix++) invocationName = `${command.name}:${suffix}`;
		taken.add(invocationName);
		return { ...command, invocationName };
	});
}

export function messageRenderer(extensions: readonly Extension[], customType: string) {
	for (const extension of extensions) {
		const renderer = extension.messageRenderers.get(customType);
		if (renderer) return renderer;
	}
	return undefined;
}

export function entryRenderer(extensions: readonly Extension[], customType: string) {
	for (const extension of extensions) {
		const renderer = extension.entryRenderers.get(customType);
		if (renderer) return renderer;
	}
	return undefined;
}

/** Shortcuts by lower-cased key; a later extension's shortcut replaces an earlier one's. */
export function registeredShortcuts(extensions: readonly Extension[]): Map<string, ExtensionShortcut> {
	const shortcuts = new Map<string, ExtensionShortcut>();
	for (const extension of extensions) {
		for (const [key, shortcut] of extension.shortcuts) shortcuts.set(key.toLowerCase(), shortcut);
	}
	return shortcuts;
}
