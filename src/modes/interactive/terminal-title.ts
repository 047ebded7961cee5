/** The terminal window title pi sets (OSC 0): `π - <session name> - <folder>`, or `π - <folder>` when unnamed. */
export function terminalTitleSequence(cwd: string, sessionName: string | undefined): string {
	const folder = cwd.split("/").filter(Boolean).at(-1) ?? cwd;
	return `\x1b]0;${sessionName ? `π - ${sessionName} - ${folder}` : `π - ${folder}`}\x07`;
}
