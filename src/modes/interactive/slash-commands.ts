/** A slash command as the editor's autocomplete offers it. */

export interface SlashCommand {
	name: string;
	description: string;
	/** Shown before the description, e.g. `<provider/model>`. */
	argumentHint?: string;
	/** Completions of the argument typed after `/name `. */
	completeArgument?(
		prefix: string,
	):
		| readonly { value: string; label: string; description?: string }[]
		| Promise<readonly { value: string; label: string; description?: string }[]>;
}
