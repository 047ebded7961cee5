/**
 * `--theme` and settings.theme through the real CLI in a pseudo-terminal (tmux): bad files are reported on
 * stderr naming the file, the selected custom theme colours the screen, and edits to its file are picked up.
 * Skips only when tmux is missing.
 */
import { describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { DARK_THEME } from "../../src/tui/themes/builtin.ts";
import { makePiEnv, type PiEnv, piCommand } from "../support/run-pi.ts";
import { killTmuxSession, tmux, tmuxBinary } from "../support/tmux-server.ts";

function startPi(env: PiEnv, name: string, args: string[]): void {
	const script = join(env.home, `${name}.sh`);
	const exports = Object.entries({ ...env.env, COLORTERM: "truecolor" })
		.map(([key, value]) => `export ${key}=${JSON.stringify(value)}`)
		.join("\n");
	const command = [...piCommand(), ...args].map((part) => JSON.stringify(part)).join(" ");
	writeFileSync(script, `${exports}\ncd ${JSON.stringify(env.cwd)}\n${command}\nsleep 600\n`);
	tmux("new-session", "-d", "-s", name, "-x", "100", "-y", "60", `sh ${script}`);
}

/** The screen with its SGR sequences (-e), so colours can be checked. */
function capture(name: string): string {
	return tmux("capture-pane", "-p", "-e", "-J", "-S", "-200", "-t", name);
}

async function waitFor(name: string, check: (screen: string) => boolean, timeoutMs = 10_000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let screen = "";
	while (Date.now() < deadline) {
		screen = capture(name);
		if (check(screen)) return screen;
		await Bun.sleep(25);
	}
	throw new Error(`timed out; screen:\n${screen}`);
}

function oceanTheme(border: string): string {
	const colors = { ...DARK_THEME.colors, thinkingOff: border, thinkingMedium: border };
	return JSON.stringify({ name: "ocean", vars: DARK_THEME.vars, colors });
}

describe.skipIf(!tmuxBinary)("themes in the real CLI", () => {
	test("--theme files: a bad one is reported by path, settings.theme picks the good one, edits are reloaded", async () => {
		const env = makePiEnv();
		const bad = join(env.home, "bad.json");
		const ocean = join(env.home, "ocean.json");
		writeFileSync(bad, JSON.stringify({ name: "bad", vars: DARK_THEME.vars, colors: { accent: "#ffffff" } }));
		writeFileSync(ocean, oceanTheme("#0a0b0c"));
		writeFileSync(join(env.agentDir, "settings.json"), JSON.stringify({ theme: "ocean" }));
		const name = `pi-theme-${process.pid}`;
		// Regular mode: the warnings printed on stderr before the screen starts stay in view.
		startPi(env, name, ["--tui-mode", "regular", "--theme", bad, "--theme", ocean]);
		try {
			const screen = await waitFor(name, (s) => s.includes("no-model"));
			expect(screen).toContain(`Warning: Invalid theme "${bad}": Missing required color tokens: bashMode, border`);
			expect(screen).toContain("\x1b[38;2;10;11;12m─"); // the editor border in ocean's colour

			// Saving the theme file re-applies it; each typed key redraws the editor, soon in the new colour.
			writeFileSync(ocean, oceanTheme("#0d0e0f"));
			await waitFor(name, (s) => {
				tmux("send-keys", "-t", name, "-l", "x");
				return s.includes("\x1b[38;2;13;14;15m─");
			});
		} finally {
			killTmuxSession(name);
		}
	});
});
