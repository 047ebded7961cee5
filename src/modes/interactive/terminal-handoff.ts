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
	let edited: string | undefined;
	try {
		tui.handoff(() => {
			const result = spawnSync(program ?? command, [...args, file], { stdio: "inherit" });
			edited = result.status === 0 ? readFileSync(file, "utf8").replace(/\n$/, "") : undefined;
		});
	} finally {
		rmSync(file, { force: true });
	}
	return edited;
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
