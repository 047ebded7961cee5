/**
 * What the prompt editor completes, as pi 1.6.0's CombinedAutocompleteProvider: `/name` (fuzzy over the commands,
 * skills also by their bare name; the argument hint before the description), a command's argument (`/model cla` →
 * models), `@file` (project search) and, on Tab, the path before the cursor.
 */
import type {
	AutocompleteItem,
	AutocompleteProvider,
	AutocompleteSuggestions,
	CompletionResult,
} from "../../tui/components/editor-autocomplete.ts";
import { fuzzyFilter } from "../../tui/fuzzy.ts";
import { extractAtPrefix, extractPathPrefix, fuzzyFileSuggestions, pathSuggestions } from "./file-autocomplete.ts";
import type { SlashCommand } from "./slash-commands.ts";

export class PromptAutocomplete implements AutocompleteProvider {
	constructor(
		private readonly cwd: () => string,
		/** The commands in pi's autocomplete order: built-ins, templates, extension commands, skills. */
		private readonly commands: () => readonly SlashCommand[],
	) {}

	/** Answers at once where it can (command names, paths); the project search and some arguments take a while. */
	getSuggestions(
		lines: string[],
		cursorLine: number,
		cursorCol: number,
		options: { signal: AbortSignal; force?: boolean },
	): AutocompleteSuggestions | null | Promise<AutocompleteSuggestions | null> {
		const before = (lines[cursorLine] ?? "").slice(0, cursorCol);
		const atPrefix = extractAtPrefix(before);
		if (atPrefix) {
			return fuzzyFileSuggestions(this.cwd(), atPrefix, options.signal).then((found) =>
				found.length === 0
					? null
					: { items: found.map(({ value, label, description }) => ({ value, label, description })), prefix: atPrefix },
			);
		}
		const commandText = before.trimStart();
		if (!options.force && commandText.startsWith("/")) {
			const space = commandText.indexOf(" ");
			if (space === -1) return this.commandNames(commandText);
			const command = this.commands().find((candidate) => candidate.name === commandText.slice(1, space));
			if (!command?.completeArgument) return null;
			const argument = commandText.slice(space + 1);
			const asSuggestions = (items: readonly AutocompleteItem[]) =>
				items.length === 0 ? null : { items: [...items], prefix: argument };
			const items = command.completeArgument(argument);
			return items instanceof Promise ? items.then(asSuggestions) : asSuggestions(items);
		}
		const prefix = extractPathPrefix(before);
		// Typing completes paths that look like paths; Tab completes any word.
		const looksLikePath =
			prefix.includes("/") ||
			prefix.startsWith(".") ||
			prefix.startsWith("~/") ||
			(prefix === "" && before !== "" && /\s$/.test(before));
		if (!options.force && !looksLikePath) return null;
		const found = pathSuggestions(this.cwd(), prefix);
		if (found.length === 0) return null;
		return { items: found.map(({ value, label, description }) => ({ value, label, description })), prefix };
	}

	private commandNames(commandText: string): AutocompleteSuggestions | null {
		const query = commandText.slice(1);
		const items = this.commands().map((command) => {
			const description = command.argumentHint
				? command.description
					? `${command.argumentHint} — ${command.description}`
					: command.argumentHint
				: command.description;
			return { name: command.name, description: description || undefined };
		});
		const bare = fuzzyFilter(items, query, (item) =>
			item.name.startsWith("skill:") ? item.name.slice("skill:".length) : item.name,
		);
		const bareSet = new Set(bare);
		const full = fuzzyFilter(
			items.filter((item) => item.name.startsWith("skill:") && !bareSet.has(item)),
			query,
			(item) => item.name,
		);
		const matched = [...bare, ...full].map(
			(item): AutocompleteItem => ({
				value: item.name,
				label: item.name,
				...(item.description ? { description: item.description } : {}),
			}),
		);
		return matched.length > 0 ? { items: matched, prefix: commandText } : null;
	}

	applyCompletion(
		lines: string[],
		cursorLine: number,
		cursorCol: number,
		item: AutocompleteItem,
		prefix: string,
	): CompletionResult {
		const line = lines[cursorLine] ?? "";
		const beforePrefix = line.slice(0, cursorCol - prefix.length);
		const afterCursor = line.slice(cursorCol);
		const quotedPrefix = prefix.startsWith('"') || prefix.startsWith('@"');
		const after =
			quotedPrefix && item.value.endsWith('"') && afterCursor.startsWith('"') ? afterCursor.slice(1) : afterCursor;
		const replaced = (text: string, col: number): CompletionResult => {
			const next = [...lines];
			next[cursorLine] = text;
			return { lines: next, cursorLine, cursorCol: col };
		};
		// A command name: "/name " with the cursor after the space.
		if (prefix.startsWith("/") && beforePrefix.trim() === "" && !prefix.slice(1).includes("/")) {
			return replaced(`${beforePrefix}/${item.value} ${after}`, beforePrefix.length + item.value.length + 2);
		}
		const isDirectory = item.label.endsWith("/");
		const inQuotes = isDirectory && item.value.endsWith('"') ? item.value.length - 1 : item.value.length;
		// An `@` file: a space follows files, not folders (the next part can be completed).
		if (prefix.startsWith("@")) {
			const suffix = isDirectory ? "" : " ";
			return replaced(`${beforePrefix}${item.value}${suffix}${after}`, beforePrefix.length + inQuotes + suffix.length);
		}
		// A command argument or a path: the value replaces the prefix.
		return replaced(`${beforePrefix}${item.value}${after}`, beforePrefix.length + inQuotes);
	}

	/** Tab never completes a path while a command name is typed. */
	shouldTriggerFileCompletion(lines: string[], cursorLine: number, cursorCol: number): boolean {
		const before = (lines[cursorLine] ?? "").slice(0, cursorCol).trim();
		return !(before.startsWith("/") && !before.includes(" "));
	}
}
