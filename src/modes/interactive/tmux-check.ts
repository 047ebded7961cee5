/**
 * Inside tmux, modified keys (Shift+Enter, Alt+Enter, Ctrl+letters with extra modifiers) only reach pi when tmux
 * forwards extended keys; pi warns at startup when it does not (or uses the xterm format instead of CSI u).
 */

/** Runs `tmux show -gv <option>`; undefined when tmux cannot be asked (not found, sandboxed, timed out). */
export type TmuxOptionReader = (option: string) => Promise<string | undefined>;

const QUERY_TIMEOUT_MS = 2000;

async function readTmuxOption(option: string): Promise<string | undefined> {
	try {
		const proc = Bun.spawn(["tmux", "show", "-gv", option], { stdin: "ignore", stdout: "pipe", stderr: "ignore" });
		const timer = setTimeout(() => proc.kill(), QUERY_TIMEOUT_MS);
		const [text, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
		clearTimeout(timer);
		return code === 0 ? text.trim() : undefined;
	} catch {
		return undefined;
	}
}

export async function tmuxKeyboardWarning(
	env: Record<string, string | undefined>,
	read: TmuxOptionReader = readTmuxOption,
): Promise<string | undefined> {
	if (!env.TMUX) return undefined;
	const [extendedKeys, format] = await Promise.all([read("extended-keys"), read("extended-keys-format")]);
	if (extendedKeys === undefined) return undefined;
	if (extendedKeys !== "on" && extendedKeys !== "always") {
		return "tmux extended-keys is off. Modified Enter keys may not work. Add `set -g extended-keys on` to ~/.tmux.conf and restart tmux.";
	}
	if (format === "xterm") {
		return "tmux extended-keys-format is xterm. Pi works best with csi-u. Add `set -g extended-keys-format csi-u` to ~/.tmux.conf and restart tmux.";
	}
	return undefined;
}
