/**
 * Moments when pi gives the terminal to someone else: an external editor (Ctrl+G) or the shell's job control
 * (Ctrl+Z). The TUI is stopped first so the other program gets a normal terminal, and fully redrawn afterwards.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcessTerminal } from "../../tui/terminal.ts";
import type { TUI } from "../../tui/tui.ts";

/** $VISUAL wins over $EDITOR, as in pi; undefined when neither is set. */
export function externalEditorCommand(env: NodeJS.ProcessEnv): string | undefined {
	return env.VISUAL || env.EDITOR || undefined;
}

/**
 * Edits `text` in `command` (split on spaces, the file appended) through a temporary `.pi.md` file.
 * Returns the new text (one trailing newline dropped) when the editor exits with 0, else undefined.
 */
export function editInExternalEditor(tui: TUI, command: string, text: string): string | undefined {
	const file = join(tmpdir(), `pi-editor-${Date.now()}.pi.md`);
	writeFileSync(file, text);
	const [program, ...args] = command.split(" ").filter(Boolean);
	tui.stop();
	try {
		const result = spawnSync(program ?? command, [...args, file], { stdio: "inherit" });
		return result.status === 0 ? readFileSync(file, "utf8").replace(/\n$/, "") : undefined;
	} finally {
		rmSync(file, { force: true });
		tui.start();
		tui.requestRender(true);
	}
}

/**
 * Gives the terminal back and stops the process group; everything is redrawn on SIGCONT.
 * False where that is impossible (Windows, or a terminal that is not the real one, as in tests).
 */
export function suspendToBackground(tui: TUI): boolean {
	if (process.platform === "win32" || !(tui.terminal instanceof ProcessTerminal)) return false;
	tui.stop();
	process.once("SIGCONT", () => {
		tui.start();
		tui.requestRender(true);
	});
	process.kill(0, "SIGTSTP");
	return true;
}
