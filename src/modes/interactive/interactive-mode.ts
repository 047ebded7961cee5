/**
 * Interactive mode (pi-spec §9): the chat column drawn by the TUI, the editor at the bottom, the footer, and
 * the glue between key presses, slash commands and the AgentSession.
 */
import { existsSync } from "node:fs";
import type { AgentSession } from "../../agent/agent-session.ts";
import type { ImageContent } from "../../ai/types.ts";
import type { AuthStorage } from "../../auth/auth-storage.ts";
import type { ExtensionHost } from "../../extensions/host.ts";
import { defaultSessionDir } from "../../session/session-manager.ts";
import { ProcessTerminal, type Terminal } from "../../tui/terminal.ts";
import type { ThemeDiagnostic } from "../../tui/themes/loader.ts";
import { onThemeChange, stopThemeWatcher } from "../../tui/themes/manager.ts";
import { errorMessage } from "../../util/errors.ts";
import { onShutdown } from "../../util/shutdown.ts";
import { InteractiveController, type ReloadResult } from "./controller.ts";
import { Keybindings, setActiveKeybindings } from "./keybindings.ts";
import { createInteractiveTui } from "./screen-setup.ts";
import { handleTerminalStop } from "./terminal-handoff.ts";
import type { InteractiveUi } from "./ui-host.ts";

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
	/** AGENTS.md / CLAUDE.md paths that are in the system prompt, for the startup `[Context]` listing. */
	contextFiles?: readonly string[];
	/** Problems found while discovering theme files (`[Theme conflicts]`). */
	themeDiagnostics?: readonly ThemeDiagnostic[];
	/** Shown as a warning once the screen is up (e.g. the session's model could not be restored). */
	modelFallbackMessage?: string;
	/** /reload: re-read settings, context files, skills, templates and themes and rebuild the system prompt. */
	reload?: () => ReloadResult | Promise<ReloadResult>;
	/**
	 * Called once the screen is up, with the interface extensions and tests use to add commands, shortcuts,
	 * dialogs, widgets and statuses (ui-host.ts).
	 */
	onReady?: (ui: InteractiveUi) => void;
	/** `--tui-mode`: overrides the tuiMode setting for this run. */
	tuiMode?: "regular" | "fullscreen";
	/** Folder of the PI_TUI_DEBUG_REDRAW log (the agent folder). */
	logDirectory?: string;
	/** Warnings printed to stderr before the screen started; fullscreen shows them again in the transcript. */
	startupWarnings?: readonly string[];
	/** Loaded extensions (bound to the session): their UI, commands and shortcuts join the screen. */
	extensions?: ExtensionHost;
}

export type { InteractiveUi, ReloadResult };

/** Runs until the user quits; resolves with the exit code. The terminal is restored on every path. */
export async function runInteractiveMode(session: AgentSession, options: InteractiveOptions): Promise<number> {
	setActiveKeybindings(options.keybindings ?? Keybindings.loadMigrating());
	const terminal = options.terminal ?? new ProcessTerminal();
	let controller: InteractiveController | undefined;
	const mode = options.tuiMode ?? session.settings.getTuiMode();
	const tui = createInteractiveTui(
		terminal,
		session.settings,
		mode,
		{
			keysEnabled: () => controller?.transcriptKeysEnabled ?? false,
			copy: async (text) => {
				try {
					await controller?.copyToClipboard(text);
				} catch (error) {
					controller?.showError(errorMessage(error));
				}
			},
		},
		options.logDirectory,
	);
	controller = new InteractiveController(session, tui, {
		verbose: options.verbose ?? false,
		auth: options.auth,
		contextFiles: options.contextFiles ?? [],
		themeDiagnostics: options.themeDiagnostics ?? [],
		modelFallbackMessage: options.modelFallbackMessage,
		startupWarnings: tui.mode === "fullscreen" ? (options.startupWarnings ?? []) : [],
		extensionListing: options.extensions?.listing(),
		reload: async () => {
			const result = options.reload ? await options.reload() : undefined;
			// Keybindings are re-read only when they came from the file (tests pass their own table).
			if (!options.keybindings) setActiveKeybindings(Keybindings.load());
			return result;
		},
	});
	const stopSuspendHandler = handleTerminalStop(tui);
	// Quitting or a signal while the agent works: abort it, which kills tool processes and saves the answer so far.
	onShutdown(() => session.abort());
	// A custom theme file edited while pi runs is reloaded by the theme manager; redraw with its colours.
	const stopThemeListener = onThemeChange(() => {
		tui.invalidate();
		tui.requestRender(true);
	});
	let stopExtensions = () => {};
	try {
		// Their renderers first: a resumed session's tool calls and messages are drawn with them from the start.
		const extensionUi = options.extensions ? await import("./extension-ui.ts") : undefined;
		if (options.extensions && extensionUi) {
			controller.setExtensionRenderers(
				extensionUi.extensionRenderers(options.extensions, session.cwd, () => tui.requestRender()),
			);
		}
		controller.start();
		options.onReady?.(controller);
		if (options.extensions && extensionUi) {
			stopExtensions = await extensionUi.startInteractiveExtensions(options.extensions, controller);
		}
		void controller.sendInitialMessages(options.initialMessage, options.initialImages, options.messages);
		return await controller.waitForExit();
	} finally {
		await options.extensions?.shutdown().catch(() => {});
		stopExtensions();
		stopThemeListener();
		stopThemeWatcher();
		stopSuspendHandler();
		controller.dispose();
		tui.stop({ printTranscript: session.settings.getFullscreenExitOutput() === "transcript" });
		printResumeHint(session, terminal);
	}
}

/**
 * pi 1.6.0 says how to come back to a saved session when the interactive mode ends on a terminal:
 * "To resume this session:" and the command on its own line (easy to select).
 */
function printResumeHint(session: AgentSession, terminal: Terminal): void {
	if (!(terminal instanceof ProcessTerminal) || !process.stdout.isTTY) return;
	const manager = session.sessionManager;
	const file = session.sessionFile;
	if (!manager.isPersisted() || !file || !existsSync(file)) return;
	const args = ["pi"];
	if (manager.getSessionDir() !== defaultSessionDir(session.cwd))
		args.push("--session-dir", quoteIfNeeded(manager.getSessionDir()));
	args.push("--session", manager.getSessionId());
	process.stdout.write(`\x1b[2mTo resume this session:\x1b[22m\n${args.join(" ")}\n`);
}

function quoteIfNeeded(value: string): string {
	return /^[\w./~:@%+=,-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}
