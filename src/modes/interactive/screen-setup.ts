/**
 * The renderer for the interactive mode: regular or fullscreen (`--tui-mode`, else the `tuiMode` setting, pi 1.6.0's
 * default being fullscreen), with the fullscreen keys from the keybinding table, the theme's colours for the
 * scrollbar, search matches and selection, and the fullscreen settings. The terminal is asked for its colours
 * (the `system` theme and light/dark pairs are built from them; the first frame waits for them only then).
 */
import type { SettingsManager } from "../../config/settings.ts";
import type { AltAction } from "../../tui/screens/alt-screen.ts";
import type { Terminal } from "../../tui/terminal.ts";
import { theme } from "../../tui/theme.ts";
import { setTerminalColors, themeFollowsTerminal } from "../../tui/themes/manager.ts";
import { TUI } from "../../tui/tui.ts";
import { activeKeybindings, capitalizeKeys, type KeybindingId } from "./keybindings.ts";

export interface ScreenHooks {
	/** Transcript keys (page up, ...) apply only while this is true: the editor has focus and no list is open. */
	keysEnabled(): boolean;
	copy(text: string): Promise<void>;
}

const actionId = (action: AltAction): KeybindingId => `tui.altScreen.${action}`;

export function createInteractiveTui(
	terminal: Terminal,
	settings: SettingsManager,
	mode: "regular" | "fullscreen",
	hooks: ScreenHooks,
	logDirectory: string | undefined,
): TUI {
	return new TUI(terminal, {
		mode,
		logDirectory,
		onTerminalColors: setTerminalColors,
		waitForColors: themeFollowsTerminal(),
		fullscreen: {
			matches: (data, action) => activeKeybindings().matches(data, actionId(action)),
			firstAction: (data, actions) => {
				const keybindings = activeKeybindings();
				if (!keybindings.bindsAny(data)) return undefined;
				return actions.find((action) => keybindings.matches(data, actionId(action)));
			},
			keyLabel: (action) => capitalizeKeys(activeKeybindings().keys(actionId(action))[0] ?? ""),
			keysEnabled: () => hooks.keysEnabled(),
			copy: (text) => hooks.copy(text),
			copyOnSelect: settings.getFullscreenCopyOnSelect(),
			scrollbar: settings.getFullscreenScrollbar(),
			wheelLines: settings.getFullscreenWheelScrollLines(),
			styles: {
				searchMatch: (text) => theme.underline(theme.bg("selectedBg", text)),
				searchCurrent: (text) => theme.bold(theme.inverse(text)),
				selection: (text) => theme.inverse(text),
				scrollbarTrack: (text) => theme.fg("muted", text),
				scrollbarThumb: (text) => theme.fg("text", text),
				indicator: (text) => theme.bg("selectedBg", theme.fg("text", text)),
			},
		},
	});
}
