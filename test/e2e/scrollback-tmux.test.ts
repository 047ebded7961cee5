// Regular mode never loses or duplicates scrollback (issue 15): in a real terminal with history (tmux), a long
// session streams while the window is resized narrower, wider, shorter and taller, between the answers and while
// they stream; afterwards every numbered line is in the terminal's history exactly once and in order. Waits for
// what pi drew; no sleeps.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type LlmTestServer, startLlmServer } from "../support/llm-server.ts";
import { makePiEnv } from "../support/run-pi.ts";
import { TmuxPi, tmuxBinary } from "../support/tmux-pi.ts";
import { tmux } from "../support/tmux-server.ts";

let server: LlmTestServer;
beforeAll(async () => {
	server = await startLlmServer();
});
afterAll(async () => {
	await server.close();
});

const PER_ANSWER = 40;
const label = (n: number) => `L${String(n).padStart(4, "0")}`;
const SIZES = [
	[60, 20],
	[110, 30],
	[70, 16],
	[90, 28],
	[80, 24],
] as const;

describe.skipIf(!tmuxBinary)("regular mode keeps the terminal's scrollback", () => {
	test("a long streamed session with resizes: every line in the history once, in order", async () => {
		const env = makePiEnv(server.url);
		const pi = new TmuxPi(env, ["--tui-mode", "regular"], { columns: 80, rows: 24 });
		try {
			tmux("set-option", "-t", pi.name, "history-limit", "50000");
			await pi.waitFor("test-model");
			let drawnAt = 0;
			for (const [index, [columns, rows]] of SIZES.entries()) {
				const first = index * PER_ANSWER + 1;
				const lines = Array.from({ length: PER_ANSWER }, (_, i) => `${label(first + i)} the quick brown fox`);
				server.enqueue({ text: lines.join("\n\n"), chunkDelayMs: 2 });
				pi.type(`answer ${index}`);
				pi.keys("Enter");
				await pi.waitFor(label(first + PER_ANSWER - 1));
				await pi.waitFor((screen) => !screen.includes("Working"));
				// Resized once the answer is drawn; the next prompt waits until pi has drawn after the resize.
				drawnAt = Bun.file(pi.outputFile).size;
				pi.resize(columns, rows);
				await pi.waitFor(() => Bun.file(pi.outputFile).size > drawnAt);
				await pi.waitFor((screen) => screen.includes("test-model"));
			}
			const history = tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", pi.name);
			const seen = [...history.matchAll(/L(\d{4}) the quick brown fox/g)].map((match) => Number(match[1]));
			expect(seen).toEqual(Array.from({ length: SIZES.length * PER_ANSWER }, (_, i) => i + 1));
			pi.pressCtrlCTwice();
			expect((await pi.exited()).code).toBe(0);
		} finally {
			pi.kill();
		}
	}, 120_000);

	// A resize that lands while the answer streams: pi may have a frame in flight, drawn for the old size, when the
	// terminal reflows. Each resize is sent once the screen shows a given line, so it lands mid-stream however slow
	// the machine (the server's chunk delay keeps each answer streaming for a few seconds).
	test("resizes while an answer streams keep every line once", async () => {
		const env = makePiEnv(server.url);
		const pi = new TmuxPi(env, ["--tui-mode", "regular"], { columns: 80, rows: 24 });
		const answers = 2;
		const perAnswer = 150;
		try {
			tmux("set-option", "-t", pi.name, "history-limit", "50000");
			await pi.waitFor("test-model");
			for (let index = 0; index < answers; index++) {
				const first = index * perAnswer + 1;
				const lines = Array.from({ length: perAnswer }, (_, i) => `${label(first + i)} the quick brown fox`);
				server.enqueue({ text: lines.join("\n\n"), chunkDelayMs: 3 });
				pi.type(`answer ${index}`);
				pi.keys("Enter");
				for (const [step, [columns, rows]] of SIZES.entries()) {
					await pi.waitFor(label(first + 10 + step * 25));
					pi.resize(columns, rows);
				}
				await pi.waitFor(label(first + perAnswer - 1));
				await pi.waitFor((screen) => !screen.includes("Working"));
			}
			const history = tmux("capture-pane", "-p", "-J", "-S", "-", "-E", "-", "-t", pi.name);
			const seen = [...history.matchAll(/L(\d{4}) the quick brown fox/g)].map((match) => Number(match[1]));
			expect(seen).toEqual(Array.from({ length: answers * perAnswer }, (_, i) => i + 1));
			pi.pressCtrlCTwice();
			expect((await pi.exited()).code).toBe(0);
		} finally {
			pi.kill();
		}
	}, 120_000);
});
