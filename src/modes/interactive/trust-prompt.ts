/**
 * The startup trust prompt (pi 1.6.0): drawn on its own before the interactive screen starts, like `pi -r`'s
 * session picker, so nothing of the project is loaded while the user decides. Resolves with the chosen option,
 * or undefined when the prompt was cancelled (pi then does not trust the folder).
 */
import { type TrustOption, trustPromptTitle } from "../../config/project-trust.ts";
import { ProcessTerminal, type Terminal } from "../../tui/terminal.ts";
import { TUI } from "../../tui/tui.ts";
import { trustPromptDialog } from "./components/trust-dialog.ts";
import { Keybindings, setActiveKeybindings } from "./keybindings.ts";

export function promptProjectTrust(
	cwd: string,
	options: TrustOption[],
	terminal: Terminal = new ProcessTerminal(),
): Promise<TrustOption | undefined> {
	setActiveKeybindings(Keybindings.loadMigrating());
	const tui = new TUI(terminal);
	return new Promise((resolve) => {
		let done = false;
		const finish = (option: TrustOption | undefined) => {
			if (done) return;
			done = true;
			// Erase the dialog (as pi does) so the interactive screen starts where the prompt was.
			tui.clear();
			tui.renderFrame();
			tui.stop();
			resolve(option);
		};
		const dialog = trustPromptDialog(trustPromptTitle(cwd), options, finish, () => finish(undefined));
		tui.addChild(dialog);
		tui.setFocus(dialog);
		tui.start();
	});
}
