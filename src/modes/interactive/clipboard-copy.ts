/**
 * Copying text to the clipboard (/copy, Ctrl+X, copy-on-select in fullscreen). The local clipboard tool comes first
 * (pbcopy, clip, wl-copy, xclip, xsel, termux-clipboard-set); where it is not reachable — a remote session (SSH,
 * mosh, or PI_CLIPBOARD_OSC52=1), or Linux without a display — the terminal is asked to do it with OSC 52, which
 * also reaches the clipboard of the machine the user sits at.
 */

/** Terminals cap OSC 52 payloads; pi's limit for the base64 text. */
const MAX_OSC52_LENGTH = 100_000;
const TOOL_TIMEOUT_MS = 5000;

export interface ClipboardCopyEnvironment {
	env: Record<string, string | undefined>;
	platform: NodeJS.Platform;
	/** Writes to the terminal (for OSC 52). */
	writeTerminal(data: string): void;
	/** Runs a tool with `input` on stdin; true when it exited with 0. */
	run?(command: string, args: string[], input: string): Promise<boolean>;
}

async function runWithInput(command: string, args: string[], input: string): Promise<boolean> {
	try {
		const proc = Bun.spawn([command, ...args], { stdin: "pipe", stdout: "ignore", stderr: "ignore" });
		const timer = setTimeout(() => proc.kill(), TOOL_TIMEOUT_MS);
		proc.stdin.write(input);
		await proc.stdin.end();
		const code = await proc.exited;
		clearTimeout(timer);
		return code === 0;
	} catch {
		return false;
	}
}

export function osc52(text: string): string | undefined {
	const encoded = Buffer.from(text, "utf8").toString("base64");
	return encoded.length > MAX_OSC52_LENGTH ? undefined : `\x1b]52;c;${encoded}\x07`;
}

function isRemote(env: ClipboardCopyEnvironment["env"]): boolean {
	return Boolean(
		env.SSH_CONNECTION || env.SSH_CLIENT || env.SSH_TTY || env.MOSH_CONNECTION || env.PI_CLIPBOARD_OSC52 === "1",
	);
}

function localTools(platform: NodeJS.Platform, env: ClipboardCopyEnvironment["env"]): [string, string[]][] {
	if (platform === "darwin") return [["pbcopy", []]];
	if (platform === "win32") return [["clip", []]];
	const tools: [string, string[]][] = [];
	if (env.TERMUX_VERSION) tools.push(["termux-clipboard-set", []]);
	if (env.WAYLAND_DISPLAY) tools.push(["wl-copy", []]);
	if (env.DISPLAY) tools.push(["xclip", ["-selection", "clipboard"]], ["xsel", ["--clipboard", "--input"]]);
	return tools;
}

/** Copies `text`; throws an Error saying what to install when no route worked. */
export async function copyText(text: string, environment: ClipboardCopyEnvironment): Promise<void> {
	const { env, platform } = environment;
	const run = environment.run ?? runWithInput;
	const remote = isRemote(env);
	let copied = false;
	if (!remote) {
		for (const [command, args] of localTools(platform, env)) {
			if (await run(command, args, text)) {
				copied = true;
				break;
			}
		}
	}
	const headless = platform === "linux" && !env.DISPLAY && !env.WAYLAND_DISPLAY && !env.TERMUX_VERSION;
	if (!copied && (remote || headless || platform === "linux")) {
		const sequence = osc52(text);
		if (!sequence) throw new Error("Clipboard unavailable: the text is too long for the terminal's clipboard (OSC 52)");
		environment.writeTerminal(sequence);
		copied = true;
	}
	if (copied) return;
	throw new Error(
		platform === "darwin" ? "Clipboard unavailable: pbcopy failed" : "Clipboard unavailable: no clipboard tool worked",
	);
}
