/**
 * Routes editor keys through the keybinding table. The TUI editor understands pi's default keys; a key the user
 * bound to an editor action is translated into that action's default key, and a default key the user took away
 * from its action does nothing.
 */
import { matchesKey, rememberedPerKey } from "../../tui/keys.ts";
import { KEYBINDING_DEFINITIONS, type KeybindingId, type Keybindings } from "./keybindings.ts";

/** The byte sequence of each editor action's first default key, which the TUI editor recognises. */
const CANONICAL_INPUT: Partial<Record<KeybindingId, string>> = {
	"tui.editor.cursorUp": "\x1b[A",
	"tui.editor.cursorDown": "\x1b[B",
	"tui.editor.cursorLeft": "\x1b[D",
	"tui.editor.cursorRight": "\x1b[C",
	"tui.editor.cursorWordLeft": "\x1b[1;3D",
	"tui.editor.cursorWordRight": "\x1b[1;3C",
	"tui.editor.cursorLineStart": "\x1b[H",
	"tui.editor.cursorLineEnd": "\x1b[F",
	"tui.editor.jumpForward": "\x1d",
	"tui.editor.jumpBackward": "\x1b\x1d",
	"tui.editor.pageUp": "\x1b[5~",
	"tui.editor.pageDown": "\x1b[6~",
	"tui.editor.deleteCharBackward": "\x7f",
	"tui.editor.deleteCharForward": "\x1b[3~",
	"tui.editor.deleteWordBackward": "\x17",
	"tui.editor.deleteWordForward": "\x1bd",
	"tui.editor.deleteToLineStart": "\x15",
	"tui.editor.deleteToLineEnd": "\x0b",
	"tui.editor.yank": "\x19",
	"tui.editor.yankPop": "\x1by",
	"tui.editor.undo": "\x1f",
	"tui.input.newLine": "\n",
	"tui.input.submit": "\r",
};

const EDITOR_ACTIONS = Object.keys(CANONICAL_INPUT).filter((id): id is KeybindingId => id in KEYBINDING_DEFINITIONS);

export type EditorKeyRoute = { kind: "pass" } | { kind: "swallow" } | { kind: "send"; data: string };

/** Routes by input, per keybinding table (which never changes once built): a key press costs one lookup. */
const routes = new WeakMap<Keybindings, (data: string) => EditorKeyRoute>();

/** What to do with `data` before the editor sees it. */
export function routeEditorKey(data: string, keybindings: Keybindings): EditorKeyRoute {
	let routeOf = routes.get(keybindings);
	if (!routeOf) {
		routeOf = rememberedPerKey((input) => route(input, keybindings));
		routes.set(keybindings, routeOf);
	}
	return routeOf(data);
}

function route(data: string, keybindings: Keybindings): EditorKeyRoute {
	for (const id of EDITOR_ACTIONS) {
		if (!keybindings.matches(data, id)) continue;
		const isDefault = KEYBINDING_DEFINITIONS[id].defaultKeys.some((key: string) => matchesKey(data, key));
		const canonical = CANONICAL_INPUT[id];
		if (isDefault || canonical === undefined) return { kind: "pass" };
		return { kind: "send", data: canonical };
	}
	for (const id of EDITOR_ACTIONS) {
		if (KEYBINDING_DEFINITIONS[id].defaultKeys.some((key: string) => matchesKey(data, key))) return { kind: "swallow" };
	}
	return { kind: "pass" };
}
