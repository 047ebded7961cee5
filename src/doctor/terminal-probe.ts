/**
 * What the terminal can do, for `pi doctor`: asked from the terminal itself when stdin and stdout are a terminal
 * (the kitty keyboard protocol query `CSI ? u`, DECRQM for synchronized output mode 2026, and primary device
 * attributes `CSI c` as the sentinel every terminal answers), otherwise guessed from the environment as the TUI
 * guesses colours and images.
 */
import { detectImageProtocol } from "../tui/images/terminal-image.ts";
import { detectColorMode } from "../tui/theme.ts";

export type Answer = "yes" | "no" | "unknown";

export interface TerminalCapabilities {
	isTerminal: boolean;
	term: string;
	program: string;
	columns?: number;
	rows?: number;
	colours: string;
	images: string;
	kittyKeyboard: Answer;
	synchronizedOutput: Answer;
	multiplexer?: string;
}

export const PROBE_QUERY = "\x1b[?u\x1b[?2026$p\x1b[c";

/** Reads the answers out of what the terminal sent back; complete once the device attributes reply is there. */
export function parseProbeReplies(replies: string): {
	complete: boolean;
	kittyKeyboard: Answer;
	synchronizedOutput: Answer;
} {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal replies
	const complete = /\x1b\[\?[\d;]*c/.test(replies);
	// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal replies
	const kitty = /\x1b\[\?\d+u/.test(replies);
	// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal replies
	const sync = /\x1b\[\?2026;(\d)\$y/.exec(replies)?.[1];
	return {
		complete,
		kittyKeyboard: kitty ? "yes" : complete ? "no" : "unknown",
		// DECRPM: 1 set, 2 reset (both: supported), 0 not recognised, 4 permanently reset.
		synchronizedOutput: sync === "1" || sync === "2" ? "yes" : sync !== undefined || complete ? "no" : "unknown",
	};
}

async function askTerminal(timeoutMs: number): Promise<string> {
	const stdin = process.stdin;
	const wasRaw = stdin.isRaw;
	let replies = "";
	stdin.setRawMode?.(true);
	stdin.setEncoding("utf8");
	stdin.resume();
	try {
		return await new Promise<string>((resolve) => {
			const timer = setTimeout(finish, timeoutMs);
			function onData(chunk: string | Buffer) {
				replies += chunk.toString();
				if (parseProbeReplies(replies).complete) finish();
			}
			function finish() {
				clearTimeout(timer);
				stdin.off("data", onData);
				resolve(replies);
			}
			stdin.on("data", onData);
			process.stdout.write(PROBE_QUERY);
		});
	} finally {
		stdin.setRawMode?.(wasRaw ?? false);
		stdin.pause();
	}
}

export async function probeTerminal(
	env: Record<string, string | undefined> = process.env,
	options: { timeoutMs?: number; ask?: boolean } = {},
): Promise<TerminalCapabilities> {
	const isTerminal = process.stdin.isTTY === true && process.stdout.isTTY === true;
	const colours = env.NO_COLOR ? "off (NO_COLOR)" : detectColorMode(env) === "truecolor" ? "truecolor" : "256 colours";
	const images = detectImageProtocol(env) ?? "none (text placeholders)";
	let kittyKeyboard: Answer = "unknown";
	let synchronizedOutput: Answer = "unknown";
	if (isTerminal && options.ask !== false) {
		const answers = parseProbeReplies(await askTerminal(options.timeoutMs ?? 500));
		kittyKeyboard = answers.kittyKeyboard;
		synchronizedOutput = answers.synchronizedOutput;
	}
	return {
		isTerminal,
		term: env.TERM ?? "",
		program: [env.TERM_PROGRAM, env.TERM_PROGRAM_VERSION].filter(Boolean).join(" "),
		columns: isTerminal ? process.stdout.columns : undefined,
		rows: isTerminal ? process.stdout.rows : undefined,
		colours,
		images,
		kittyKeyboard,
		synchronizedOutput,
		multiplexer: env.TMUX ? "tmux" : env.STY ? "screen" : env.ZELLIJ ? "zellij" : undefined,
	};
}
