import { constants } from "node:os";
import { runShutdownHooks } from "../util/shutdown.ts";
import { setKittyProtocolActive } from "./keys.ts";

/** The screen the TUI draws on: a real TTY (ProcessTerminal) or a test double. */
export interface Terminal {
	start(onInput: (data: string) => void, onResize: () => void): void;
	stop(): void;
	write(data: string): void;
	readonly columns: number;
	readonly rows: number;
	hideCursor(): void;
	showCursor(): void;
	/**
	 * Reads the window size from the terminal now; a change calls the resize listener before this returns. Called
	 * before each frame: the resize signal is handled only when the event loop gets to it, and a frame drawn for the
	 * old size after the terminal reflowed its rows moves the cursor by the wrong rows (lost or repeated rows).
	 */
	refreshSize?(): void;
	/**
	 * The terminal keeps the cursor on the character it was on when a resize reflows its rows. tmux does (checked by
	 * test/e2e/scrollback-tmux.test.ts); xterm.js (VS Code's terminal) moves it down by the rows its reflow adds
	 * below the cursor; others are not known, so only tmux says yes. Regular mode relies on it to rest the cursor
	 * above the rows it rewrites while streaming (inline-screen.ts, diff).
	 */
	readonly reflowKeepsCursor?: boolean;
	/**
	 * Output that undoes what the screen set up (the alternate screen, mouse tracking); written first whenever the
	 * terminal is restored — stop, a signal, a crash.
	 */
	setRestoreSequence?(sequence: string): void;
}

const BRACKETED_PASTE_ON = "\x1b[?2004h";
const BRACKETED_PASTE_OFF = "\x1b[?2004l";
/** Focus reporting: the terminal sends ESC[I / ESC[O when its window gains / loses focus. */
const FOCUS_REPORTING_ON = "\x1b[?1004h";
const FOCUS_REPORTING_OFF = "\x1b[?1004l";
const KITTY_QUERY = "\x1b[?u";
/** Flags 1|2|4: disambiguate escape codes, report event types, report alternate keys. */
const KITTY_PUSH = "\x1b[>7u";
const KITTY_POP = "\x1b[<u";
const MODIFY_OTHER_KEYS_ON = "\x1b[>4;2m";
const MODIFY_OTHER_KEYS_OFF = "\x1b[>4;0m";
// biome-ignore lint/suspicious/noControlCharactersInRegex: kitty query reply
const KITTY_REPLY = /\x1b\[\?\d+u/;
const KITTY_REPLY_TIMEOUT_MS = 150;

/** What ProcessTerminal needs from stdin (an interface so tests can pass a fake stream). */
export interface TerminalInput {
	isTTY?: boolean;
	isRaw?: boolean;
	setRawMode?(mode: boolean): unknown;
	setEncoding(encoding: BufferEncoding): unknown;
	on(event: "data", listener: (chunk: Buffer | string) => void): unknown;
	off(event: "data", listener: (chunk: Buffer | string) => void): unknown;
	resume(): unknown;
	pause(): unknown;
}

/** What ProcessTerminal needs from stdout. */
export interface TerminalOutput {
	columns?: number;
	rows?: number;
	write(data: string): unknown;
	on(event: "resize", listener: () => void): unknown;
	off(event: "resize", listener: () => void): unknown;
	/**
	 * Bun's and Node's tty.WriteStream: asks the terminal for its size (ioctl TIOCGWINSZ, GetConsoleScreenBufferInfo
	 * on Windows) and emits "resize" when it changed — what their own SIGWINCH handler does. Not public API, so
	 * optional: without it the size is what the last handled resize signal said.
	 */
	_refreshSize?(): void;
}

/**
 * Whether the terminal drawing our output is tmux, whose reflow keeps the cursor on its character (what regular mode's
 * cursor parking relies on). TMUX alone is not enough: a terminal started from inside tmux (VS Code's, say) inherits
 * it but names itself in TERM_PROGRAM, and xterm.js moves the cursor on reflow. tmux ≥ 3.2 sets TERM_PROGRAM=tmux;
 * older ones leave the outer terminal's value, so a TERM of tmux/screen also counts.
 */
export function reflowKeepsCursor(env: Readonly<Record<string, string | undefined>>): boolean {
	if (!env.TMUX) return false;
	const program = env.TERM_PROGRAM;
	if (program === undefined || program === "tmux") return true;
	const term = env.TERM ?? "";
	return program !== "vscode" && (term.startsWith("tmux") || term.startsWith("screen"));
}

/** Every live ProcessTerminal, so one set of exit hooks can restore them all. */
const liveTerminals = new Set<ProcessTerminal>();
let exitHooksInstalled = false;

function installExitHooks(): void {
	if (exitHooksInstalled) return;
	exitHooksInstalled = true;
	const restoreAll = () => {
		for (const terminal of liveTerminals) terminal.stop();
	};
	process.on("exit", restoreAll);
	let exiting = false;
	/** Runs the shutdown hooks, then exits; a second signal or crash while they run means "now". */
	const exitAfterHooks = (code: number) => {
		if (exiting) process.exit(code);
		exiting = true;
		void runShutdownHooks().finally(() => process.exit(code));
	};
	for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
		process.on(signal, () => {
			// The terminal first: whatever happens next, the user's shell must be usable.
			restoreAll();
			exitAfterHooks(128 + constants.signals[signal]);
		});
	}
	// A bug must not leave the user's terminal raw, nor lose the conversation: restore, report, save, exit.
	const crash = (error: unknown) => {
		restoreAll();
		process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
		exitAfterHooks(1);
	};
	process.on("uncaughtException", crash);
	process.on("unhandledRejection", crash);
}

/** The process's stdin/stdout TTY: raw mode, bracketed paste and the kitty keyboard protocol while started. */
export class ProcessTerminal implements Terminal {
	private started = false;
	/** Stopped after having run: later draws (an abort finishing after a signal restored the terminal) are dropped. */
	private stopped = false;
	private wasRaw = false;
	private kittyEnabled = false;
	private modifyOtherKeysEnabled = false;
	private kittyTimer: ReturnType<typeof setTimeout> | undefined;
	private dataListener: ((chunk: Buffer | string) => void) | undefined;
	private restoreSequence = "";
	private resizeListener: (() => void) | undefined;

	constructor(
		private readonly input: TerminalInput = process.stdin,
		private readonly output: TerminalOutput = process.stdout,
		/** Restore the terminal on exit, signals and uncaught errors (off for test doubles). */
		private readonly exitHooks = true,
	) {}

	readonly reflowKeepsCursor = reflowKeepsCursor(process.env);

	get columns(): number {
		return this.output.columns || 80;
	}

	get rows(): number {
		return this.output.rows || 24;
	}

	/** True once the terminal answered the kitty keyboard protocol query. */
	get kittyProtocolActive(): boolean {
		return this.kittyEnabled;
	}

	start(onInput: (data: string) => void, onResize: () => void): void {
		if (this.started) return;
		this.started = true;
		this.stopped = false;
		if (this.exitHooks) installExitHooks();
		liveTerminals.add(this);
		this.wasRaw = this.input.isRaw ?? false;
		if (this.input.isTTY) this.input.setRawMode?.(true);
		this.input.setEncoding("utf8");
		this.dataListener = (chunk) => {
			let data = typeof chunk === "string" ? chunk : chunk.toString("utf8");
			const reply = KITTY_REPLY.exec(data);
			if (reply) {
				data = data.replace(reply[0], "");
				this.enableKitty();
			}
			if (data.length > 0) onInput(data);
		};
		this.input.on("data", this.dataListener);
		this.input.resume();
		this.resizeListener = onResize;
		this.output.on("resize", this.resizeListener);
		this.write(BRACKETED_PASTE_ON + FOCUS_REPORTING_ON + KITTY_QUERY);
		this.kittyTimer = setTimeout(() => {
			this.kittyTimer = undefined;
			if (!this.kittyEnabled && this.started) {
				this.modifyOtherKeysEnabled = true;
				this.write(MODIFY_OTHER_KEYS_ON);
			}
		}, KITTY_REPLY_TIMEOUT_MS);
	}

	private enableKitty(): void {
		if (this.kittyEnabled || !this.started) return;
		if (this.kittyTimer) clearTimeout(this.kittyTimer);
		this.kittyTimer = undefined;
		if (this.modifyOtherKeysEnabled) {
			this.write(MODIFY_OTHER_KEYS_OFF);
			this.modifyOtherKeysEnabled = false;
		}
		this.kittyEnabled = true;
		setKittyProtocolActive(true);
		this.write(KITTY_PUSH);
	}

	stop(): void {
		if (!this.started) return;
		this.started = false;
		liveTerminals.delete(this);
		if (this.kittyTimer) clearTimeout(this.kittyTimer);
		this.kittyTimer = undefined;
		let restore = this.restoreSequence + BRACKETED_PASTE_OFF + FOCUS_REPORTING_OFF;
		this.restoreSequence = "";
		if (this.kittyEnabled) restore += KITTY_POP;
		if (this.modifyOtherKeysEnabled) restore += MODIFY_OTHER_KEYS_OFF;
		restore += "\x1b[?2026l\x1b[?7h\x1b[0m\x1b[?25h";
		if (this.kittyEnabled) setKittyProtocolActive(false);
		this.kittyEnabled = false;
		this.modifyOtherKeysEnabled = false;
		this.write(restore);
		this.stopped = true;
		if (this.dataListener) this.input.off("data", this.dataListener);
		if (this.resizeListener) this.output.off("resize", this.resizeListener);
		this.dataListener = undefined;
		this.resizeListener = undefined;
		if (this.input.isTTY) this.input.setRawMode?.(this.wasRaw);
		this.input.pause();
	}

	write(data: string): void {
		if (this.stopped) return;
		try {
			this.output.write(data);
		} catch {
			// The terminal went away (EPIPE); nothing sensible left to draw on.
		}
	}

	setRestoreSequence(sequence: string): void {
		this.restoreSequence = sequence;
	}

	refreshSize(): void {
		if (!this.started || typeof this.output._refreshSize !== "function") return;
		try {
			this.output._refreshSize();
		} catch {
			// Not a terminal after all (or it went away): the size from the last resize event stays.
		}
	}

	hideCursor(): void {
		this.write("\x1b[?25l");
	}

	showCursor(): void {
		this.write("\x1b[?25h");
	}
}
