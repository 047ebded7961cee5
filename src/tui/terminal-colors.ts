/**
 * Asking the terminal for its colours (for the `system` theme): OSC 10 (default foreground), OSC 11 (default
 * background) and OSC 4 for the 16 ANSI colours, followed by a primary device attributes request (DA1) that every
 * terminal answers — terminals reply in order, so the DA1 reply means every colour reply that will come has come.
 */
import type { Rgb } from "./themes/color-space.ts";

/** What the terminal reported; absent fields were not answered. */
export interface TerminalColorReport {
	foreground?: Rgb;
	background?: Rgb;
	/** ANSI colours 0–15, only when all 16 were reported. */
	palette?: Rgb[];
}

const ST = "\x1b\\";
const PALETTE_QUERY = Array.from({ length: 16 }, (_, index) => `\x1b]4;${index};?${ST}`).join("");
export const COLOR_QUERY = `\x1b]10;?${ST}\x1b]11;?${ST}${PALETTE_QUERY}`;
export const DEVICE_ATTRIBUTES_QUERY = "\x1b[c";

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal reply
const COLOR_REPLY = /^\x1b\](?:(10|11)|4;(\d{1,3}));([^\x07\x1b]*)(?:\x07|\x1b\\)$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal reply
export const DEVICE_ATTRIBUTES_REPLY = /^\x1b\[\?[\d;]*c$/;

/** One hex channel of 1–4 digits scaled to 0–255 (X11 colour specs: `rgb:ffff/8080/0000`). */
function channel(hex: string): number | undefined {
	if (!/^[0-9a-f]{1,4}$/i.test(hex)) return undefined;
	return Math.round((Number.parseInt(hex, 16) / (16 ** hex.length - 1)) * 255);
}

function parseColorSpec(spec: string): Rgb | undefined {
	const value = spec.trim();
	let parts: string[];
	if (value.startsWith("#")) {
		const digits = value.slice(1);
		if (!/^[0-9a-f]+$/i.test(digits) || digits.length % 3 !== 0 || digits.length > 12) return undefined;
		const size = digits.length / 3;
		parts = [digits.slice(0, size), digits.slice(size, 2 * size), digits.slice(2 * size)];
	} else {
		parts = value
			.replace(/^rgba?:/i, "")
			.split("/")
			.slice(0, 3);
	}
	const [r, g, b] = parts.map(channel);
	return r !== undefined && g !== undefined && b !== undefined ? { r, g, b } : undefined;
}

export type ColorReply = { target: "foreground" | "background" | number; rgb: Rgb | undefined };

/** An OSC 10/11/4 reply, or undefined when `data` is none. */
export function parseColorReply(data: string): ColorReply | undefined {
	const match = COLOR_REPLY.exec(data);
	if (!match) return undefined;
	const target = match[1] === "10" ? "foreground" : match[1] === "11" ? "background" : Number(match[2]);
	return { target, rgb: parseColorSpec(match[3] ?? "") };
}

/** Collects replies until the DA1 reply closes the round. */
export class TerminalColorCollector {
	private foreground: Rgb | undefined;
	private background: Rgb | undefined;
	private readonly palette = new Map<number, Rgb>();

	/** True when `data` was a colour reply (it is then consumed, never a key). */
	take(data: string): boolean {
		const reply = parseColorReply(data);
		if (!reply) return false;
		if (!reply.rgb) return true;
		if (reply.target === "foreground") this.foreground = reply.rgb;
		else if (reply.target === "background") this.background = reply.rgb;
		else if (reply.target < 16) this.palette.set(reply.target, reply.rgb);
		return true;
	}

	report(): TerminalColorReport {
		const palette = Array.from({ length: 16 }, (_, index) => this.palette.get(index));
		const complete = palette.every((color) => color !== undefined);
		return {
			...(this.foreground && { foreground: this.foreground }),
			...(this.background && { background: this.background }),
			...(complete && { palette: palette.filter((color) => color !== undefined) }),
		};
	}
}
