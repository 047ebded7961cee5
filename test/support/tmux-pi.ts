/**
 * pi inside a real pseudo-terminal (tmux), for end-to-end and terminal-restore tests. The wrapper script records, after pi
 * exits, its exit code and the terminal line settings (`stty -a`), so a test can assert that canonical mode and
 * echo came back. tmux itself reports the cursor and bracketed-paste state of the pane.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type PiEnv, piCommand } from "./run-pi.ts";
import { killTmuxSession, tmux, tmuxBinary, tmuxWithInput } from "./tmux-server.ts";

export { tmuxBinary };

export class TmuxPi {
	private static counter = 0;
	readonly name = `pi-tmux-${process.pid}-${TmuxPi.counter++}`;
	readonly pidFile: string;
	readonly outputFile: string;

	constructor(
		readonly env: PiEnv,
		args: string[] = [],
		size: { columns: number; rows: number } = { columns: 100, rows: 40 },
		/** Another program to run instead of pi (a fixture script). */
		command: string[] = [...piCommand(), ...args],
	) {
		const script = join(env.home, `${this.name}.sh`);
		this.pidFile = join(env.home, `${this.name}.pid`);
		this.outputFile = join(env.home, `${this.name}.out`);
		writeFileSync(this.outputFile, "");
		const exports = Object.entries(env.env)
			.map(([key, value]) => `export ${key}=${JSON.stringify(value)}`)
			.join("\n");
		const commandLine = command.map((part) => JSON.stringify(part)).join(" ");
		writeFileSync(
			script,
			[
				exports,
				`cd ${JSON.stringify(env.cwd)}`,
				`${commandLine} &`,
				`echo $! > ${JSON.stringify(this.pidFile)}`,
				// pi must own the terminal: bring it to the foreground of this job-controlled shell.
				"fg %1 >/dev/null",
				'code=$?; echo "[pi exited $code]"',
				"stty -a | tr ';' '\\n' | grep -Eo -- '-?(icanon|echo)( |$)' | tr -d ' ' | tr '\\n' ' '; echo '[stty]'",
				"sleep 600",
			].join("\n"),
		);
		this.tmux(
			"new-session",
			"-d",
			"-s",
			this.name,
			"-x",
			String(size.columns),
			"-y",
			String(size.rows),
			`bash -i ${script}`,
		);
		this.tmux("pipe-pane", "-o", "-t", this.name, `cat >> ${JSON.stringify(this.outputFile)}`);
	}

	private tmux(...args: string[]): string {
		return tmux(...args);
	}

	screen(): string {
		return this.tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", this.name);
	}

	/** Is the pane's cursor visible (tmux's own flag). */
	cursorVisible(): boolean {
		return this.tmux("display-message", "-p", "-t", this.name, "#{cursor_flag}").trim() === "1";
	}

	/** Every byte pi (and the wrapper) wrote to the terminal so far. */
	async output(): Promise<string> {
		return Bun.file(this.outputFile).text();
	}

	/** Terminal modes switched on and never switched off again, judged from the bytes written to the pane. */
	async modesLeftOn(): Promise<string[]> {
		return modesLeftOn(await this.output());
	}

	keys(...keys: string[]): void {
		this.tmux("send-keys", "-t", this.name, ...keys);
	}

	/**
	 * Ctrl+C twice, in one tmux command so both bytes reach pi together: pi quits only when the second press comes
	 * within 500 ms of the first, which two separate tmux processes cannot promise on a busy machine.
	 */
	pressCtrlCTwice(): void {
		this.keys("C-c", "C-c");
	}

	type(text: string): void {
		this.tmux("send-keys", "-t", this.name, "-l", text);
	}

	paste(text: string): void {
		const buffer = `${this.name}-buf`;
		tmuxWithInput(text, "load-buffer", "-b", buffer, "-");
		this.tmux("paste-buffer", "-p", "-d", "-b", buffer, "-t", this.name);
	}

	resize(columns: number, rows: number): void {
		this.tmux("resize-window", "-t", this.name, "-x", String(columns), "-y", String(rows));
	}

	async pid(): Promise<number> {
		await this.waitFor(() => Bun.file(this.pidFile).size > 0);
		return Number((await Bun.file(this.pidFile).text()).trim());
	}

	async waitFor(predicate: string | ((screen: string) => boolean), timeoutMs = 30_000): Promise<string> {
		const test = typeof predicate === "string" ? (screen: string) => screen.includes(predicate) : predicate;
		const deadline = Date.now() + timeoutMs;
		let screen = "";
		while (Date.now() < deadline) {
			screen = this.screen();
			if (test(screen)) return screen;
			await Bun.sleep(25);
		}
		throw new Error(`timed out waiting for ${String(predicate)}; screen:\n${screen}`);
	}

	/** Waits for pi to exit; returns its exit code and the line settings stty reported afterwards. */
	async exited(timeoutMs = 30_000): Promise<{ code: number; stty: string[] }> {
		const screen = await this.waitFor("[stty]", timeoutMs);
		// tmux shows the screen before its pipe-pane `cat` has written the same bytes to the output file: wait for the
		// wrapper's marker there too, so everything pi wrote before exiting is in the file (modesLeftOn reads it).
		const deadline = Date.now() + timeoutMs;
		while (!(await this.output()).includes("[stty]")) {
			if (Date.now() > deadline) throw new Error(`the pane's output file never showed [stty]; screen:\n${screen}`);
			await Bun.sleep(25);
		}
		const code = Number(/\[pi exited (\d+)\]/.exec(screen)?.[1] ?? "-1");
		const sttyLine = screen.split("\n").find((line) => line.includes("[stty]")) ?? "";
		const stty = sttyLine.split(/\s+/).filter((word) => /^-?(icanon|echo)$/.test(word));
		return { code, stty };
	}

	kill(): void {
		killTmuxSession(this.name);
	}
}

/** Escape sequences as regex sources; ESC is spelled out so the patterns hold no control characters. */
const ESC = "\\x1b";

function sequence(source: string): RegExp {
	return new RegExp(`${ESC}${source}`, "g");
}

/** [name, switch-on pattern, switch-off pattern]: the modes pi may turn on and must turn off. */
const MODES: [string, RegExp, RegExp][] = [
	["bracketed paste", sequence("\\[\\?2004h"), sequence("\\[\\?2004l")],
	["hidden cursor", sequence("\\[\\?25l"), sequence("\\[\\?25h")],
	["kitty keyboard protocol", sequence("\\[>\\d+u"), sequence("\\[<\\d*u")],
	["modifyOtherKeys", sequence("\\[>4;[12]m"), sequence("\\[>4;0?m")],
	["alternate screen", sequence("\\[\\?1049h"), sequence("\\[\\?1049l")],
	["mouse reporting", sequence("\\[\\?100[0236]h"), sequence("\\[\\?100[0236]l")],
	// Autowrap is on by default: regular mode turns it off for a moment while streaming in tmux (inline-screen.ts).
	["autowrap off", sequence("\\[\\?7l"), sequence("\\[\\?7h")],
];

function lastIndex(text: string, pattern: RegExp): number {
	let last = -1;
	for (const match of text.matchAll(pattern)) last = match.index;
	return last;
}

export function modesLeftOn(output: string): string[] {
	return MODES.filter(([, on, off]) => lastIndex(output, on) > lastIndex(output, off)).map(([name]) => name);
}
