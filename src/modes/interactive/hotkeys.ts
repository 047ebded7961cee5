/** The /hotkeys table (pi 0.73.1's layout), built from the effective keybindings so user overrides show. */
import { capitalizeKeys, type KeybindingId, type Keybindings } from "./keybindings.ts";

export function hotkeysMarkdown(kb: Keybindings): string {
	const k = (id: KeybindingId) => capitalizeKeys(kb.keyText(id));
	const newLineNote = process.platform === "win32" ? " (Ctrl+Enter on Windows Terminal)" : "";
	return `**Navigation**
| Key | Action |
|-----|--------|
| \`${k("tui.editor.cursorUp")}\` / \`${k("tui.editor.cursorDown")}\` / \`${k("tui.editor.cursorLeft")}\` / \`${k("tui.editor.cursorRight")}\` | Move cursor / browse history (Up when empty) |
| \`${k("tui.editor.cursorWordLeft")}\` / \`${k("tui.editor.cursorWordRight")}\` | Move by word |
| \`${k("tui.editor.cursorLineStart")}\` | Start of line |
| \`${k("tui.editor.cursorLineEnd")}\` | End of line |
| \`${k("tui.editor.jumpForward")}\` | Jump forward to character |
| \`${k("tui.editor.jumpBackward")}\` | Jump backward to character |
| \`${k("tui.editor.pageUp")}\` / \`${k("tui.editor.pageDown")}\` | Scroll by page |

**Editing**
| Key | Action |
|-----|--------|
| \`${k("tui.input.submit")}\` | Send message |
| \`${k("tui.input.newLine")}\` | New line${newLineNote} |
| \`${k("tui.editor.deleteWordBackward")}\` | Delete word backwards |
| \`${k("tui.editor.deleteWordForward")}\` | Delete word forwards |
| \`${k("tui.editor.deleteToLineStart")}\` | Delete to start of line |
| \`${k("tui.editor.deleteToLineEnd")}\` | Delete to end of line |
| \`${k("tui.editor.yank")}\` | Paste the most-recently-deleted text |
| \`${k("tui.editor.yankPop")}\` | Cycle through the deleted text after pasting |
| \`${k("tui.editor.undo")}\` | Undo |

**Other**
| Key | Action |
|-----|--------|
| \`${k("tui.input.tab")}\` | Path completion / accept autocomplete |
| \`${k("app.interrupt")}\` | Cancel autocomplete / abort streaming |
| \`${k("app.clear")}\` | Clear editor (first) / exit (second) |
| \`${k("app.exit")}\` | Exit (when editor is empty) |
| \`${k("app.suspend")}\` | Suspend to background |
| \`${k("app.thinking.cycle")}\` | Cycle thinking level |
| \`${k("app.model.cycleForward")}\` / \`${k("app.model.cycleBackward")}\` | Cycle models |
| \`${k("app.model.select")}\` | Open model selector |
| \`${k("app.tools.expand")}\` | Toggle tool output expansion |
| \`${k("app.thinking.toggle")}\` | Toggle thinking block visibility |
| \`${k("app.editor.external")}\` | Edit message in external editor |
| \`${k("app.message.followUp")}\` | Queue follow-up message |
| \`${k("app.message.dequeue")}\` | Restore queued messages |
| \`${k("app.clipboard.pasteImage")}\` | Paste image from clipboard |
| \`/\` | Slash commands |
| \`!\` | Run bash command |
| \`!!\` | Run bash command (excluded from context) |`;
}
