/** Which mode a run takes (interactive, print, JSON, RPC) and the input piped into it. */

import { PiError } from "../util/errors.ts";
import { isTerminal } from "../util/output-streams.ts";
import type { ParsedArgs } from "./args.ts";

export type AppMode = "interactive" | "text" | "json" | "rpc";

/**
 * pi 1.6.0's rule (docs/cli.md): `--mode rpc` and `--mode json` choose themselves; otherwise print mode when `-p` is
 * given or when stdin or stdout is not a terminal (cron, CI steps, `ssh host pi …`, `docker run` without `-t`,
 * `pi … > out.txt`), so no TUI escape codes reach a file or a pipe. `--mode text` alone still opens the terminal
 * UI when both streams are terminals, as in pi.
 */
export function resolveMode(
	args: Pick<ParsedArgs, "mode" | "print">,
	terminals: { stdin: boolean; stdout: boolean } = { stdin: isTerminal(0), stdout: isTerminal(1) },
): AppMode {
	if (args.mode === "rpc") return "rpc";
	if (args.mode === "json") return "json";
	if (args.print || !terminals.stdin || !terminals.stdout) return "text";
	return "interactive";
}

/** Piped input beyond this is refused rather than read until memory runs out (`yes | pi -p`). */
const MAX_PIPED_STDIN_BYTES = 64 * 1024 * 1024;

export async function readPipedStdin(): Promise<string | undefined> {
	if (isTerminal(0)) return undefined;
	const chunks: Uint8Array[] = [];
	let size = 0;
	for await (const chunk of Bun.stdin.stream()) {
		size += chunk.byteLength;
		if (size > MAX_PIPED_STDIN_BYTES) {
			throw new PiError("Piped input is larger than 64 MB; pass a file with @path or trim the input first.");
		}
		chunks.push(chunk);
	}
	const text = new TextDecoder().decode(Buffer.concat(chunks));
	return text.trim() === "" ? undefined : text;
}
