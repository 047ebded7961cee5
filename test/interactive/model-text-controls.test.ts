/**
 * Terminal control sequences in what the model sends (answer, thinking, tool-call arguments) are drawn as plain
 * text, never executed: no clipboard write (OSC 52), no window title, no alternate screen, no cursor jumps.
 */
import { expect, test } from "bun:test";
import { sanitizeForTerminal } from "../../src/tui/text-utils.ts";
import { startInteractive } from "./harness.ts";

const ESC = "\x1b";
const BEL = "\x07";
const HOSTILE = [
	`${ESC}]52;c;${btoa("rm -rf ~")}${BEL}`, // clipboard write
	`${ESC}]0;pwned title${BEL}`, // window title
	`${ESC}]2;other title${ESC}\\`, // title, ST-terminated
	`${ESC}[?1049h`, // alternate screen
	`${ESC}[2J${ESC}[H`, // clear + home
	"\x9b31m", // 8-bit CSI
	"\r\b\x00", // carriage return, backspace, NUL
].join("");

test("sanitizeForTerminal keeps text, newlines and tabs, drops every control sequence", () => {
	expect(sanitizeForTerminal("plain\ttext\nline two")).toBe("plain\ttext\nline two");
	expect(sanitizeForTerminal(`before ${HOSTILE}after`)).toBe("before after");
	// An unterminated OSC loses its introducer: what is left is harmless text.
	expect(sanitizeForTerminal(`${ESC}]52;c;abc`)).toBe("52;c;abc");
});

test("answer, thinking and a bash command with control sequences do not reach the terminal as sequences", async () => {
	const h = await startInteractive({
		turns: [
			{
				chunks: [`Visible answer ${HOSTILE}end of answer`],
				toolCalls: [{ type: "toolCall", id: "t1", name: "echo", arguments: { text: `tool arg ${HOSTILE}done` } }],
			},
			{ chunks: [`Second ${ESC}]0;again${BEL}answer`] },
		],
	});
	const osc: number[] = [];
	for (const code of [0, 1, 2, 52]) {
		h.terminal.xterm.parser.registerOscHandler(code, () => {
			osc.push(code);
			return true;
		});
	}
	h.type("go\r");
	await h.waitFor("Second answer");
	expect(h.screen()).toContain("Visible answer end of answer");
	expect(osc).toEqual([]);
	expect(h.terminal.xterm.buffer.active.type).toBe("normal");
	expect(h.terminal.writes.join("")).not.toContain(`${ESC}]52`);
	expect(await h.close()).toBe(0);
});
