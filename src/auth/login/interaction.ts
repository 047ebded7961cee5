/**
 * What a login flow may ask and tell, whoever shows it: the interactive dialog (`/login`) or a terminal prompt
 * (`pi auth login`). It mirrors pi 1.6.0's AuthInteraction: a flow prompts for text, a secret or a choice among
 * options (answered with the option's id) and posts notices with links; the front end draws them its own way.
 * A cancelled prompt rejects (the dialog's Escape); `signal` aborts the whole login.
 */

export type LoginPrompt =
	| { type: "text"; message: string; placeholder?: string }
	| { type: "secret"; message: string; placeholder?: string }
	| { type: "select"; message: string; options: readonly LoginOption[] };

export interface LoginOption {
	id: string;
	label: string;
}

export interface LoginLink {
	label?: string;
	url: string;
}

export interface LoginNotice {
	type: "info";
	message: string;
	links?: readonly LoginLink[];
}

export interface LoginInteraction {
	readonly signal: AbortSignal;
	/** The answer: the text typed, or the chosen option's id. */
	prompt(prompt: LoginPrompt): Promise<string>;
	notify(notice: LoginNotice): void;
}
