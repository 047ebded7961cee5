/**
 * The startup trust prompt (pi 1.6.0): drawn on its own before the interactive screen starts, like `pi -r`'s
 * session picker, so nothing of the project is loaded while the user decides. Resolves with the chosen option,
 * or undefined when the prompt was cancelled (pi then does not trust the folder).
 */
import { type TrustOption, trustPromptTitle } from "../../config/project-trust.ts";
import { ProcessTerminal, type Terminal } from "../../tui/terminal.ts";
import { trustPromptDialog } from "./components/trust-dialog.ts";
import { runStartupDialog } from "./startup-dialog.ts";

export function promptProjectTrust(
	cwd: string,
	options: TrustOption[],
	terminal: Terminal = new ProcessTerminal(),
): Promise<TrustOption | undefined> {
	// Erased afterwards (as pi does) so the interactive screen starts where the prompt was.
	return runStartupDialog<TrustOption | undefined>(
		(finish) => trustPromptDialog(trustPromptTitle(cwd), options, finish, () => finish(undefined)),
		{ terminal, erase: true },
	);
}
