/** pi's startup warning about tmux's extended-keys settings. */
import { describe, expect, test } from "bun:test";
import { tmuxKeyboardWarning } from "../../src/modes/interactive/tmux-check.ts";

const reader = (values: Record<string, string | undefined>) => async (option: string) => values[option];

describe("tmux keyboard warning", () => {
	test("outside tmux nothing is asked", async () => {
		let asked = false;
		const warning = await tmuxKeyboardWarning({}, async () => {
			asked = true;
			return "off";
		});
		expect(warning).toBeUndefined();
		expect(asked).toBe(false);
	});

	test("extended-keys off, xterm format, and a good setup", async () => {
		const env = { TMUX: "/tmp/tmux-1000/default,1,0" };
		expect(await tmuxKeyboardWarning(env, reader({ "extended-keys": "off" }))).toBe(
			"tmux extended-keys is off. Modified Enter keys may not work. Add `set -g extended-keys on` to ~/.tmux.conf and restart tmux.",
		);
		expect(
			await tmuxKeyboardWarning(env, reader({ "extended-keys": "on", "extended-keys-format": "xterm" })),
		).toContain("extended-keys-format is xterm");
		expect(
			await tmuxKeyboardWarning(env, reader({ "extended-keys": "always", "extended-keys-format": "csi-u" })),
		).toBeUndefined();
		// tmux could not be asked: no warning rather than a wrong one.
		expect(await tmuxKeyboardWarning(env, reader({}))).toBeUndefined();
	});
});
