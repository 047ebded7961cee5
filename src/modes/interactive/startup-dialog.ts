/**
 * A dialog drawn on its own before the interactive screen starts (the trust prompt, the missing-folder question,
 * `pi -r`'s picker): it gets the keyboard until it calls `finish`, once; then the screen is released, and with
 * `erase` the dialog is wiped first so the interactive screen starts where it was.
 */
import { ProcessTerminal, type Terminal } from "../../tui/terminal.ts";
import { TUI } from "../../tui/tui.ts";
import type { UiComponent } from "./components/primitives.ts";
import { type Keybindings, Keybindings as KeybindingsStore, setActiveKeybindings } from "./keybindings.ts";

export interface StartupDialogOptions {
	terminal?: Terminal;
	keybindings?: Keybindings;
	erase?: boolean;
}

export function runStartupDialog<T>(
	create: (finish: (value: T) => void, tui: TUI) => UiComponent,
	options: StartupDialogOptions = {},
): Promise<T> {
	setActiveKeybindings(options.keybindings ?? KeybindingsStore.loadMigrating());
	const tui = new TUI(options.terminal ?? new ProcessTerminal());
	return new Promise((resolve) => {
		let done = false;
		const finish = (value: T) => {
			if (done) return;
			done = true;
			if (options.erase) {
				tui.clear();
				tui.renderFrame();
			}
			tui.stop();
			resolve(value);
		};
		const dialog = create(finish, tui);
		tui.addChild(dialog);
		tui.setFocus(dialog);
		tui.start();
	});
}
