/** The prompt editor's actions and their default keys (pi's editor keybindings). */
import { matchesKey, rememberedPerKey } from "../keys.ts";

export type EditorAction =
	| "submit"
	| "newline"
	| "backspace"
	| "delete"
	| "left"
	| "right"
	| "up"
	| "down"
	| "pageUp"
	| "pageDown"
	| "lineStart"
	| "lineEnd"
	| "wordLeft"
	| "wordRight"
	| "deleteWordBackward"
	| "deleteWordForward"
	| "deleteToLineStart"
	| "deleteToLineEnd"
	| "yank"
	| "yankPop"
	| "undo"
	| "jumpForward"
	| "jumpBackward";

/** In order: the first action with a matching key wins. */
const KEYMAP: Array<[EditorAction, string[]]> = [
	// New line before submit: LF matches both (it is enter and ctrl+j), and pi's editor makes it a new line.
	["newline", ["shift+enter", "alt+enter", "ctrl+j"]],
	["submit", ["enter"]],
	["backspace", ["backspace", "shift+backspace"]],
	["delete", ["delete", "ctrl+d"]],
	["wordLeft", ["alt+left", "ctrl+left", "alt+b"]],
	["wordRight", ["alt+right", "ctrl+right", "alt+f"]],
	["left", ["left", "ctrl+b"]],
	["right", ["right", "ctrl+f"]],
	["up", ["up"]],
	["down", ["down"]],
	["pageUp", ["pageUp"]],
	["pageDown", ["pageDown"]],
	["lineStart", ["home", "ctrl+a"]],
	["lineEnd", ["end", "ctrl+e"]],
	["deleteWordBackward", ["ctrl+w", "alt+backspace"]],
	["deleteWordForward", ["alt+d", "alt+delete"]],
	["deleteToLineStart", ["ctrl+u"]],
	["deleteToLineEnd", ["ctrl+k"]],
	["yank", ["ctrl+y"]],
	["yankPop", ["alt+y"]],
	["undo", ["ctrl+-", "ctrl+_"]],
	["jumpForward", ["ctrl+]"]],
	["jumpBackward", ["ctrl+alt+]"]],
];

/** The keymap is a constant: the action of an input is found once (null: none). */
const rememberedAction = rememberedPerKey((data) => findAction(data) ?? null);

/** The editor action `data` (one key's input) triggers, if any. */
export function editorActionFor(data: string): EditorAction | undefined {
	return rememberedAction(data) ?? undefined;
}

function findAction(data: string): EditorAction | undefined {
	for (const [action, specs] of KEYMAP) {
		for (const spec of specs) if (matchesKey(data, spec)) return action;
	}
	return undefined;
}
