/** OSC 0 sets the window/tab title; control characters in it would end the sequence early, so they are dropped. */
export function titleSequence(title: string): string {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
	return `\x1b]0;${title.replace(/[\x00-\x1f\x7f]/g, "")}\x07`;
}

/** pi's title: `π - <session name> - <folder>`, or `π - <folder>` for an unnamed session. */
export function terminalTitleSequence(cwd: string, sessionName: string | undefined): string {
	const folder = cwd.split("/").filter(Boolean).at(-1) ?? cwd;
	return titleSequence(sessionName ? `π - ${sessionName} - ${folder}` : `π - ${folder}`);
}
