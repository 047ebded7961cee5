/**
 * The interactive frame pipeline (issue 19): a resumed session of 10k, 100k and 1M tokens of transcript, in regular
 * and fullscreen mode, through the real InteractiveController and renderer (the terminal only counts bytes).
 * Prints CPU time per frame for a key press and for one streamed token (median), the growth from the smallest to
 * the largest transcript, the first frame after resuming, and the fullscreen wheel scroll of the longest one.
 * Targets: a frame under 1 ms at every size (so flat); a wheel event under 5 ms.
 *
 * Run: ./node_modules/.bin/bun bench/frame-pipeline.ts [--sizes 10000,100000,1000000] [--frames 200]
 */
import { InteractiveController } from "../src/modes/interactive/controller.ts";
import type { Terminal } from "../src/tui/terminal.ts";
import { TUI } from "../src/tui/tui.ts";
import { createSession, TEST_MODEL } from "../test/interactive/harness.ts";
import { assistantMessage, longTranscript } from "./long-session.ts";
import { median } from "./stats.ts";

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
	const index = args.indexOf(name);
	return index === -1 ? fallback : (args[index + 1] ?? fallback);
};
const SIZES = option("--sizes", "10000,100000,1000000").split(",").map(Number);
const FRAMES = Number(option("--frames", "200"));

/** Counts what would reach the TTY; answers nothing. */
class CountingTerminal implements Terminal {
	bytes = 0;
	columns = 120;
	rows = 40;
	private input: ((data: string) => void) | undefined;
	start(onInput: (data: string) => void): void {
		this.input = onInput;
	}
	stop(): void {}
	write(data: string): void {
		this.bytes += data.length;
	}
	hideCursor(): void {}
	showCursor(): void {}
	send(data: string): void {
		this.input?.(data);
	}
}

/** CPU milliseconds (user + system) spent in `run`. */
function cpu(run: () => void): number {
	const before = process.cpuUsage();
	run();
	const used = process.cpuUsage(before);
	return (used.user + used.system) / 1000;
}

interface Result {
	size: number;
	mode: "regular" | "fullscreen";
	firstFrame: number;
	key: number;
	token: number;
	wheel?: number;
	lines: number;
}

function run(size: number, mode: "regular" | "fullscreen"): Result {
	const { session } = createSession({ turns: [] });
	const messages = longTranscript(size, TEST_MODEL);
	session.agent.replaceMessages(messages);
	const terminal = new CountingTerminal();
	const tui = new TUI(terminal, { mode, fullscreen: { scrollbar: "auto" } });
	const controller = new InteractiveController(session, tui, { verbose: false });
	const firstFrame = cpu(() => {
		controller.start();
		tui.renderFrame();
	});
	const keys: number[] = [];
	for (let i = 0; i < FRAMES; i++) {
		keys.push(
			cpu(() => {
				terminal.send(i % 20 === 19 ? "\x7f" : "a");
				tui.renderFrame();
			}),
		);
	}
	const streamed: number[] = [];
	let text = "";
	const onEvent = controller.handleSessionEvent.bind(controller);
	const start = assistantMessage(TEST_MODEL, [{ type: "text", text }], "stop");
	onEvent({ type: "message_start", message: start });
	tui.renderFrame();
	for (let i = 0; i < FRAMES; i++) {
		text += i % 12 === 11 ? "\n\n" : `word${i} `;
		const partial = assistantMessage(TEST_MODEL, [{ type: "text", text }], "stop");
		streamed.push(
			cpu(() => {
				onEvent({
					type: "message_update",
					message: partial,
					assistantMessageEvent: { type: "text_delta", contentIndex: 0, delta: "", partial },
				});
				tui.renderFrame();
			}),
		);
	}
	let wheel: number | undefined;
	if (mode === "fullscreen") {
		const wheels: number[] = [];
		for (let i = 0; i < 100; i++) {
			wheels.push(
				cpu(() => {
					terminal.send("\x1b[<64;10;10M");
					tui.renderFrame();
				}),
			);
		}
		wheel = median(wheels);
	}
	const lines = mode === "regular" ? tui.render(terminal.columns).length : 0;
	controller.dispose();
	tui.stop();
	return { size, mode, firstFrame, key: median(keys), token: median(streamed), wheel, lines };
}

const results: Result[] = [];
for (const mode of ["regular", "fullscreen"] as const) {
	for (const size of SIZES) {
		const result = run(size, mode);
		results.push(result);
		console.log(
			`${mode.padEnd(10)} ${String(size).padStart(8)} tokens${result.lines ? ` (${result.lines} lines)` : ""}: ` +
				`first frame ${result.firstFrame.toFixed(0)} ms, key ${result.key.toFixed(3)} ms, ` +
				`token ${result.token.toFixed(3)} ms${result.wheel !== undefined ? `, wheel ${result.wheel.toFixed(3)} ms` : ""}`,
		);
	}
}

console.log("\ntarget                                          figure      target   result");
const line = (name: string, value: number, target: string, ok: boolean) =>
	console.log(`${name.padEnd(46)} ${value.toFixed(3).padStart(8)} ms  ${target.padEnd(8)} ${ok ? "PASS" : "MISS"}`);
for (const result of results) {
	line(`key press → frame, ${result.mode}, ${result.size} tokens`, result.key, "< 1 ms", result.key < 1);
	line(`streamed token → frame, ${result.mode}, ${result.size} tokens`, result.token, "< 1 ms", result.token < 1);
}
for (const mode of ["regular", "fullscreen"] as const) {
	const of = results.filter((result) => result.mode === mode);
	const small = of[0];
	const large = of.at(-1);
	if (!small || !large || small === large) continue;
	console.log(
		`growth ${mode}: key ×${(large.key / small.key).toFixed(2)}, token ×${(large.token / small.token).toFixed(2)} (${small.size} → ${large.size} tokens)`,
	);
}
const scroll = results.filter((result) => result.wheel !== undefined).at(-1);
if (scroll?.wheel !== undefined)
	line(`wheel scroll, fullscreen, ${scroll.size} tokens`, scroll.wheel, "< 5 ms", scroll.wheel < 5);
process.exit(0);
