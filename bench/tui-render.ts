/**
 * Renderer benchmark: a 10,000-line transcript with one assistant message streaming at the bottom.
 * Measures the time of one frame after a single streamed token and the bytes that frame writes.
 * Targets (issue #7): < 1 ms per frame, < 1 KB per frame. Exits 1 if a target is missed.
 * Then reports the cost of shiki's first code block (loaded lazily): time until the language is ready, the longest
 * event-loop stall meanwhile, the RSS it adds, and the per-frame cost of a code block streaming line by line.
 *
 * Run: ./node_modules/.bin/bun bench/tui-render.ts
 */
import { Editor } from "../src/tui/components/editor.ts";
import { Markdown } from "../src/tui/components/markdown.ts";
import { loadShikiLanguage, shikiHighlight } from "../src/tui/components/shiki-highlight.ts";
import { Text } from "../src/tui/components/text.ts";
import type { Terminal } from "../src/tui/terminal.ts";
import { Container, TUI } from "../src/tui/tui.ts";

/** Counts what would reach the TTY without drawing anything. */
class CountingTerminal implements Terminal {
	bytes = 0;
	columns = 120;
	rows = 40;
	start(): void {}
	stop(): void {}
	write(data: string): void {
		this.bytes += Buffer.byteLength(data);
	}
	hideCursor(): void {}
	showCursor(): void {}
}

const TRANSCRIPT_LINES = 10_000;
const FRAMES = 200;

const terminal = new CountingTerminal();
const tui = new TUI(terminal);
const chat = new Container();
tui.addChild(chat);

let lines = 0;
let message = 0;
while (lines < TRANSCRIPT_LINES) {
	const block = new Markdown(
		`**Message ${message++}**: some *markdown* text with \`code\` that is long enough to wrap once on a 120 column terminal, more or less.\n\n- item one\n- item two`,
		1,
		0,
	);
	chat.addChild(block);
	lines += block.render(terminal.columns).length;
}
const streaming = new Markdown("", 1, 0);
chat.addChild(streaming);
const editor = new Editor({ terminalRows: () => terminal.rows });
tui.addChild(new Text("status", 1, 0));
tui.addChild(editor);
tui.addChild(new Text("~/project (main) • footer line", 1, 0));
tui.setFocus(editor);
tui.start();
tui.renderFrame();

let text = "Streaming answer:";
const times: number[] = [];
const bytes: number[] = [];
for (let i = 0; i < FRAMES; i++) {
	text += ` token${i}`;
	streaming.setText(text);
	const before = terminal.bytes;
	const start = performance.now();
	tui.renderFrame();
	times.push(performance.now() - start);
	bytes.push(terminal.bytes - before);
}
tui.stop();

times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? 0;
const p95 = times[Math.floor(times.length * 0.95)] ?? 0;
const maxBytes = Math.max(...bytes);
const totalLines = chat.render(terminal.columns).length;
console.log(`transcript lines: ${totalLines}`);
console.log(`frame time: median ${median.toFixed(3)} ms, p95 ${p95.toFixed(3)} ms`);
console.log(`bytes per frame: max ${maxBytes}, median ${bytes.sort((a, b) => a - b)[Math.floor(bytes.length / 2)]}`);
const ok = median < 1 && maxBytes < 1024;
console.log(ok ? "OK" : "TARGET MISSED");

await measureShiki();
process.exit(ok ? 0 : 1);

async function measureShiki(): Promise<void> {
	const code = Array.from(
		{ length: 60 },
		(_, i) =>
			`export function handler${i}(input: string, count = ${i}): string[] {\n\treturn input.split(",").slice(0, count); // part ${i}\n}`,
	).join("\n");
	Bun.gc(true);
	const rssBefore = process.memoryUsage().rss;
	let lastTick = performance.now();
	let maxStall = 0;
	const monitor = setInterval(() => {
		const now = performance.now();
		maxStall = Math.max(maxStall, now - lastTick);
		lastTick = now;
	}, 1);
	const start = performance.now();
	shikiHighlight(code, "ts"); // starts loading; the caller shows the fallback meanwhile
	await loadShikiLanguage("typescript", code);
	const readyMs = performance.now() - start;
	clearInterval(monitor);
	const firstStart = performance.now();
	shikiHighlight(code, "ts");
	const firstMs = performance.now() - firstStart;
	// Streaming: the block grows a few characters per frame.
	const streamTimes: number[] = [];
	for (let end = 1000; end <= 3000; end += 20) {
		const t = performance.now();
		shikiHighlight(code.slice(0, end), "ts");
		streamTimes.push(performance.now() - t);
	}
	streamTimes.sort((a, b) => a - b);
	Bun.gc(true);
	const rssMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
	console.log(
		`shiki (typescript): ready after ${readyMs.toFixed(0)} ms (longest stall ${maxStall.toFixed(0)} ms), ` +
			`first ${code.split("\n").length}-line block ${firstMs.toFixed(1)} ms, streaming frame median ` +
			`${(streamTimes[Math.floor(streamTimes.length / 2)] ?? 0).toFixed(2)} ms, RSS +${rssMb.toFixed(0)} MB`,
	);
}
