/**
 * Slash commands of the interactive mode: built-ins register here at startup, extensions may register more. A typed
 * `/name args` runs the registered command; text naming no command goes to the model (prompt templates and skills
 * are expanded by the session). pi's own command names are never sent to the model by accident: one we do not
 * implement, or one that takes no arguments typed with some, is answered with a note instead.
 */

/** What the registry needs of the UI it runs commands on (the controller's InteractiveUi). */
export interface CommandNotices {
	showWarning(message: string): void;
	showError(message: string): void;
}

export interface CommandSuggestion {
	/** Text that replaces the argument typed so far. */
	value: string;
	label: string;
	description?: string;
}

export interface SlashCommandSpec<Ui extends CommandNotices = CommandNotices> {
	name: string;
	description: string;
	/** Shown after the name in autocomplete, e.g. `<provider/model>`. */
	argumentHint?: string;
	/** False: the command takes no arguments (typed with some, it is refused with a note). Default true. */
	takesArgs?: boolean;
	/** Left out of the autocomplete list (pi's /debug). */
	hidden?: boolean;
	/** Completions for the argument (`/model cl` → matching models). */
	completeArgument?(prefix: string): CommandSuggestion[] | Promise<CommandSuggestion[]>;
	run(args: string, ui: Ui): void | Promise<void>;
}

/** Commands pi 1.6.0 has that this build does not: typed, they get a note instead of going to the model. */
const PI_COMMANDS_NOT_HERE: ReadonlySet<string> = new Set(["share", "bug", "arminsayshi", "dementedelves"]);

/** `/name args` → { name, args }; undefined when the text is not a slash command. */
export function parseSlashCommand(text: string): { name: string; args: string } | undefined {
	const match = /^\/(\S+)(?:\s+([\s\S]*))?$/.exec(text);
	if (!match?.[1]) return undefined;
	return { name: match[1], args: (match[2] ?? "").trim() };
}

export class CommandRegistry<Ui extends CommandNotices = CommandNotices> {
	private readonly commands = new Map<string, SlashCommandSpec<Ui>>();

	/** Adds a command; false (and nothing changes) when the name is taken. Returns true when added. */
	register(spec: SlashCommandSpec<Ui>): boolean {
		if (this.commands.has(spec.name)) return false;
		this.commands.set(spec.name, spec);
		return true;
	}

	unregister(name: string): void {
		this.commands.delete(name);
	}

	get(name: string): SlashCommandSpec<Ui> | undefined {
		return this.commands.get(name);
	}

	/** In registration order (built-ins first, in pi's order). */
	list(): SlashCommandSpec<Ui>[] {
		return [...this.commands.values()];
	}

	/**
	 * Runs the command `text` names. False when it names none (the text then goes to the model); errors thrown by
	 * the command are shown, not raised.
	 */
	async run(text: string, ui: Ui): Promise<boolean> {
		const parsed = parseSlashCommand(text);
		if (!parsed) return false;
		const { name, args } = parsed;
		const command = this.commands.get(name);
		if (!command) {
			if (!PI_COMMANDS_NOT_HERE.has(name)) return false;
			ui.showWarning(`/${name} is not available in this build.`);
			return true;
		}
		if (command.takesArgs === false && args !== "") {
			ui.showWarning(`/${name} takes no arguments. Type /${name} alone.`);
			return true;
		}
		try {
			await command.run(args, ui);
		} catch (error) {
			ui.showError(error instanceof Error ? error.message : String(error));
		}
		return true;
	}
}
