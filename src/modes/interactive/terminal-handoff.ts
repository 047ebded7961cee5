/**
 * Moments when pi gives the terminal to someone else: an external editor (Ctrl+G) or the shell's job control
 * (Ctrl+Z). The TUI is stopped first so the other program gets a normal terminal, and fully redrawn afterwards.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProcessTerminal } from "../../tui/terminal.ts";
import type { TUI } from "../../tui/tui.ts";
import { stripBom } from "../../util/text-file.ts";

/** pi 1.6.0's order: the `externalEditor` setting, $VISUAL, $EDITOR, then Notepad on Windows and nano elsewhere. */
export function externalEditorCommand(
	configured: string | undefined,
	env: NodeJS.ProcessEnv,
	platform: NodeJS.Platform,
): string {
	return configured || env.VISUAL || env.EDITOR || (platform === "win32" ? "notepad" : "nano");
}

export type ExternalEditorResult = { status: "complete"; content: string } | { status: "failed"; message: string };

/**
 * Edits `text` in `command` (split on spaces, the file appended) through `prompt.md` in a temporary folder, as pi
 * does. The new text (BOM and one trailing newline dropped) when the editor exits with 0; otherwise pi's message
 * saying why the prompt stays as it was. `announce` gets pi's "Launching external editor" lines once the terminal
 * is handed over (a GUI editor leaves them on screen while pi waits).
 */
export function editInExternalEditor(
	tui: TUI,
	command: string,
	text: string,
	announce: (line: string) => void,
): ExternalEditorResult {
	const folder = mkdtempSync(join(tmpdir(), "pi-editor-"));
	const file = join(folder, "prompt.md");
	let result: ExternalEditorResult = { status: "failed", message: `Failed to launch external editor: ${command}` };
	try {
		writeFileSync(file, text);
		const [program, ...args] = command.split(" ").filter(Boolean);
		tui.handoff(() => {
			announce(`Launching external editor: ${command}\nPi will resume when the editor exits.\n`);
			// Windows needs a shell to find `code` and other .cmd editors (pi does the same).
			const run = spawnSync(program ?? command, [...args, file], {
				stdio: "inherit",
				shell: process.platform === "win32",
			});
			if (run.error) return;
			if (run.status === 0) {
				result = { status: "complete", content: stripBom(readFileSync(file, "utf8")).replace(/\n$/, "") };
				return;
			}
			const exit = run.status !== null ? `code ${run.status}` : (run.signal ?? "an unknown status");
			result = { status: "failed", message: `External editor exited with ${exit}; prompt unchanged` };
		});
	} finally {
		rmSync(folder, { recursive: true, force: true });
	}
	return result;
}

/**
 * Gives the terminal back (fullscreen left, mouse and keyboard protocols off) and stops the process group;
 * everything is drawn again on SIGCONT. False where that is impossible (Windows, or a test terminal).
 */
export function suspendToBackground(tui: TUI): boolean {
	if (process.platform === "win32" || !(tui.terminal instanceof ProcessTerminal)) return false;
	stopForSuspend(tui);
	return true;
}

/** Ctrl+Z and `kill -TSTP` alike: restore the terminal, stop for real, take the terminal back on SIGCONT. */
function stopForSuspend(tui: TUI): void {
	tui.handoff(() => {
		// Our own SIGTSTP listener would catch the signal: without it the default action (stop) applies.
		process.removeListener("SIGTSTP", onTerminalStop);
		try {
			process.kill(0, "SIGTSTP");
			// Execution continues here after SIGCONT (the process was stopped in between).
		} finally {
			process.on("SIGTSTP", onTerminalStop);
		}
	});
}

let suspendTarget: TUI | undefined;

function onTerminalStop(): void {
	if (suspendTarget) stopForSuspend(suspendTarget);
	else {
		process.removeListener("SIGTSTP", onTerminalStop);
		process.kill(process.pid, "SIGTSTP");
	}
}

/**
 * While `tui` runs on the real terminal, a SIGTSTP from outside (`kill -TSTP`) restores the terminal before the
 * process stops, like Ctrl+Z. Returns the function that removes the handler.
 */
export function handleTerminalStop(tui: TUI): () => void {
	if (process.platform === "win32" || !(tui.terminal instanceof ProcessTerminal)) return () => {};
	suspendTarget = tui;
	process.on("SIGTSTP", onTerminalStop);
	return () => {
		process.removeListener("SIGTSTP", onTerminalStop);
		if (suspendTarget === tui) suspendTarget = undefined;
	};
}
