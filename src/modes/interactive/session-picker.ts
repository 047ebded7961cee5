/**
 * `pi -r`: the session picker shown on its own before anything else starts (pi 0.73.1). Resolves with the chosen
 * session file, or undefined when the user cancelled.
 */
import { SessionManager } from "../../session/session-manager.ts";
import { ProcessTerminal, type Terminal } from "../../tui/terminal.ts";
import { TUI } from "../../tui/tui.ts";
import { SessionSelector } from "./components/session-selector.ts";
import { Keybindings, setActiveKeybindings } from "./keybindings.ts";

export interface SessionPickerOptions {
	cwd: string;
	sessionDir?: string;
	terminal?: Terminal;
	keybindings?: Keybindings;
}

export function pickSessionToResume(options: SessionPickerOptions): Promise<string | undefined> {
	setActiveKeybindings(options.keybindings ?? Keybindings.loadMigrating());
	const tui = new TUI(options.terminal ?? new ProcessTerminal());
	return new Promise((resolve) => {
		let done = false;
		const finish = (path: string | undefined) => {
			if (done) return;
			done = true;
			tui.stop();
			resolve(path);
		};
		const selector = new SessionSelector({
			loadCurrent: () => SessionManager.list(options.cwd, options.sessionDir),
			loadAll: () => SessionManager.listAll(options.sessionDir),
			maxVisible: Math.max(5, Math.floor(tui.terminal.rows / 2)),
			requestRender: () => tui.requestRender(),
			onSelect: (path) => finish(path),
			onCancel: () => finish(undefined),
		});
		tui.addChild(selector);
		tui.setFocus(selector);
		tui.start();
	});
}
