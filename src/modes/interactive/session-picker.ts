/**
 * `pi -r`: the session picker shown on its own before anything else starts (pi 0.73.1). Resolves with the chosen
 * session file, or undefined when the user cancelled.
 */
import { SessionManager } from "../../session/session-manager.ts";
import type { Terminal } from "../../tui/terminal.ts";
import { SessionSelector } from "./components/session-selector.ts";
import type { Keybindings } from "./keybindings.ts";
import { runStartupDialog } from "./startup-dialog.ts";

export interface SessionPickerOptions {
	cwd: string;
	sessionDir?: string;
	terminal?: Terminal;
	keybindings?: Keybindings;
}

export function pickSessionToResume(options: SessionPickerOptions): Promise<string | undefined> {
	return runStartupDialog<string | undefined>(
		(finish, tui) =>
			new SessionSelector({
				loadCurrent: () => SessionManager.list(options.cwd, options.sessionDir),
				loadAll: () => SessionManager.listAll(options.sessionDir),
				maxVisible: Math.max(5, Math.floor(tui.terminal.rows / 2)),
				requestRender: () => tui.requestRender(),
				onSelect: (path) => finish(path),
				onCancel: () => finish(undefined),
			}),
		{ terminal: options.terminal, keybindings: options.keybindings },
	);
}
