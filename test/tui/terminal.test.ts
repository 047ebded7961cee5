import { describe, expect, test } from "bun:test";
import { EventEmitter } from "node:events";
import { matchesKey } from "../../src/tui/keys.ts";
import { ProcessTerminal, reflowKeepsCursor, type TerminalInput, type TerminalOutput } from "../../src/tui/terminal.ts";

class FakeInput extends EventEmitter implements TerminalInput {
	isTTY = true;
	isRaw = false;
	rawModes: boolean[] = [];
	paused = true;
	setRawMode(mode: boolean): void {
		this.isRaw = mode;
		this.rawModes.push(mode);
	}
	setEncoding(): void {}
	resume(): void {
		this.paused = false;
	}
	pause(): void {
		this.paused = true;
	}
}

class FakeOutput extends EventEmitter implements TerminalOutput {
	columns = 100;
	rows = 30;
	written = "";
	write(data: string): boolean {
		this.written += data;
		return true;
	}
}

function started() {
	const input = new FakeInput();
	const output = new FakeOutput();
	const terminal = new ProcessTerminal(input, output, false);
	const received: string[] = [];
	let resizes = 0;
	terminal.start(
		(data) => received.push(data),
		() => resizes++,
	);
	return { input, output, terminal, received, resizes: () => resizes };
}

describe("ProcessTerminal", () => {
	test("start: raw mode, bracketed paste, kitty query; a kitty reply enables the protocol and is not delivered", () => {
		const { input, output, terminal, received } = started();
		expect(input.isRaw).toBe(true);
		expect(input.paused).toBe(false);
		expect(output.written).toContain("\x1b[?2004h");
		expect(output.written).toContain("\x1b[?u");
		input.emit("data", "\x1b[?1ua");
		expect(received).toEqual(["a"]);
		expect(terminal.kittyProtocolActive).toBe(true);
		expect(output.written).toContain("\x1b[>7u");
		// With kitty on, ESC CR can only be a terminal's shift+enter mapping.
		expect(matchesKey("\x1b\r", "shift+enter")).toBe(true);
		terminal.stop();
		expect(matchesKey("\x1b\r", "alt+enter")).toBe(true);
		expect(output.written).toContain("\x1b[<u");
		expect(output.written).toContain("\x1b[?2004l");
		expect(output.written.endsWith("\x1b[?25h")).toBe(true);
		expect(input.isRaw).toBe(false);
		expect(input.paused).toBe(true);
		expect(input.listenerCount("data")).toBe(0);
	});

	test("without a kitty reply, modifyOtherKeys is enabled after 150 ms and disabled on stop", async () => {
		const { output, terminal } = started();
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(output.written).toContain("\x1b[>4;2m");
		expect(output.written).not.toContain("\x1b[>7u");
		terminal.stop();
		expect(output.written).toContain("\x1b[>4;0m");
		expect(output.written).not.toContain("\x1b[<u");
	});

	test("size and resize events come from the output stream; stop is idempotent", () => {
		const { output, terminal, resizes } = started();
		expect(terminal.columns).toBe(100);
		expect(terminal.rows).toBe(30);
		output.emit("resize");
		expect(resizes()).toBe(1);
		terminal.stop();
		const after = output.written.length;
		terminal.stop();
		expect(output.written.length).toBe(after);
		output.emit("resize");
		expect(resizes()).toBe(1);
	});

	test("refreshSize asks the stream for the size now (a resize not yet handled is reported at once), only while started", () => {
		const { output, terminal, resizes } = started();
		let asked = 0;
		// As tty.WriteStream's own: read the window size, emit "resize" when it changed.
		const refreshing = Object.assign(output, {
			_refreshSize() {
				asked++;
				if (output.columns === 60) return;
				output.columns = 60;
				output.emit("resize");
			},
		});
		terminal.refreshSize();
		expect(asked).toBe(1);
		expect(resizes()).toBe(1);
		expect(terminal.columns).toBe(60);
		terminal.refreshSize();
		expect(resizes()).toBe(1);
		terminal.stop();
		terminal.refreshSize();
		expect(asked).toBe(2);
		expect(refreshing.columns).toBe(60);
	});
});

describe("reflowKeepsCursor", () => {
	test("tmux itself (TERM_PROGRAM=tmux, or an older tmux's TERM), not a terminal that inherited TMUX", () => {
		const TMUX = "/tmp/tmux-0/default,1,0";
		expect(reflowKeepsCursor({})).toBe(false);
		expect(reflowKeepsCursor({ TERM_PROGRAM: "tmux", TERM: "tmux-256color" })).toBe(false);
		expect(reflowKeepsCursor({ TMUX, TERM_PROGRAM: "tmux", TERM: "tmux-256color" })).toBe(true);
		expect(reflowKeepsCursor({ TMUX, TERM: "screen" })).toBe(true);
		expect(reflowKeepsCursor({ TMUX, TERM_PROGRAM: "iTerm.app", TERM: "screen-256color" })).toBe(true);
		// VS Code's terminal (xterm.js) opened from inside tmux: the cursor moves on reflow there.
		expect(reflowKeepsCursor({ TMUX, TERM_PROGRAM: "vscode", TERM: "xterm-256color" })).toBe(false);
		expect(reflowKeepsCursor({ TMUX, TERM_PROGRAM: "WezTerm", TERM: "xterm-256color" })).toBe(false);
	});
});
