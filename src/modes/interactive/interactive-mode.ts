/**
 * Interactive mode (pi-spec §9): the chat column drawn by the TUI, the editor at the bottom, the footer, and
 * the glue between key presses, slash commands and the AgentSession.
 */
import type { AgentSession } from "../../agent/agent-session.ts";
import type { ImageContent } from "../../ai/types.ts";
import type { AuthStorage } from "../../auth/auth-storage.ts";
import { ProcessTerminal, type Terminal } from "../../tui/terminal.ts";
import { onThemeChange, stopThemeWatcher } from "../../tui/themes/manager.ts";
import { TUI } from "../../tui/tui.ts";
import { InteractiveController } from "./controller.ts";
import { Keybindings, migrateKeybindingsFile, setActiveKeybindings } from "./keybindings.ts";

export interface InteractiveOptions {
	initialMessage?: string;
	initialImages?: ImageContent[];
	messages: string[];
	verbose?: boolean;
	terminal?: Terminal;
	/** Defaults to ~/.pi/agent/keybindings.json (legacy names are migrated in the file first, as pi does). */
	keybindings?: Keybindings;
	/** The credentials the model registry reads, so /login takes effect at once (defaults to auth.json). */
	auth?: AuthStorage;
}

/** Runs until the user quits; resolves with the exit code. The terminal is restored on every path. */
export async function runInteractiveMode(session: AgentSession, options: InteractiveOptions): Promise<number> {
	if (options.keybindings) setActiveKeybindings(options.keybindings);
	else {
		migrateKeybindingsFile();
		setActiveKeybindings(Keybindings.load());
	}
	const terminal = options.terminal ?? new ProcessTerminal();
	const tui = new TUI(terminal);
	const controller = new InteractiveController(session, tui, {
		verbose: options.verbose ?? false,
		auth: options.auth,
	});
	// A custom theme file edited while pi runs is reloaded by the theme manager; redraw with its colours.
	const stopThemeListener = onThemeChange(() => {
		tui.invalidate();
		tui.requestRender(true);
	});
	try {
		controller.start();
		void controller.sendInitialMessages(options.initialMessage, options.initialImages, options.messages);
		return await controller.waitForExit();
	} finally {
		stopThemeListener();
		stopThemeWatcher();
		controller.dispose();
		tui.stop();
	}
}
