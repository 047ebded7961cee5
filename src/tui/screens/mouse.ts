/** Mouse input in fullscreen mode: SGR reports (mode 1006) and wheel acceleration. */

// biome-ignore lint/suspicious/noControlCharactersInRegex: terminal report
const SGR_MOUSE = /^\x1b\[<(\d+);(\d+);(\d+)([Mm])$/;

/** Button press/drag reporting with SGR coordinates; focus reporting stays with the terminal. */
export const MOUSE_ON = "\x1b[?1000h\x1b[?1002h\x1b[?1006h";
export const MOUSE_OFF = "\x1b[?1006l\x1b[?1002l\x1b[?1000l";

export interface MouseEvent {
	kind: "press" | "release" | "drag" | "wheel";
	/** 0 left, 1 middle, 2 right. */
	button: number;
	/** Wheel: -1 up, 1 down. */
	direction: -1 | 1;
	/** Screen cell, 0-based. */
	x: number;
	y: number;
	shift: boolean;
	alt: boolean;
	ctrl: boolean;
}

export function parseMouse(data: string): MouseEvent | undefined {
	const match = SGR_MOUSE.exec(data);
	if (!match) return undefined;
	const code = Number(match[1]);
	const x = Number(match[2]) - 1;
	const y = Number(match[3]) - 1;
	const release = match[4] === "m";
	const mods = { shift: (code & 4) !== 0, alt: (code & 8) !== 0, ctrl: (code & 16) !== 0 };
	const button = code & 3;
	if (code & 64) return { kind: "wheel", button, direction: button === 1 ? 1 : -1, x, y, ...mods };
	if (release) return { kind: "release", button, direction: 1, x, y, ...mods };
	if (code & 32) return { kind: "drag", button, direction: 1, x, y, ...mods };
	return { kind: "press", button, direction: 1, x, y, ...mods };
}

/** Lines per wheel event, or "auto": one per notch, up to six when the wheel spins fast. */
export type WheelLines = number | "auto";

const GESTURE_GAP_MS = 200;
const BURST_GAP_MS = 5;
const REFERENCE_GAP_MS = 100;
const MAX_AUTO_LINES = 6;

/** macOS terminals (not over SSH) send wheel events the OS already accelerated. */
function systemAccelerates(env: Record<string, string | undefined>): boolean {
	return process.platform === "darwin" && !env.SSH_CONNECTION && !env.SSH_CLIENT && !env.SSH_TTY;
}

export class WheelAccelerator {
	private lastTime = Number.NEGATIVE_INFINITY;
	private lastDirection = 0;
	private averageGap: number | undefined;
	private carry = 0;

	constructor(
		public lines: WheelLines = "auto",
		private readonly accelerate = !systemAccelerates(process.env),
	) {}

	next(direction: -1 | 1, now: number): number {
		if (this.lines !== "auto") return Math.max(1, Math.min(100, Math.floor(this.lines)));
		if (!this.accelerate) return 1;
		const gap = now - this.lastTime;
		const sameGesture = direction === this.lastDirection && gap <= GESTURE_GAP_MS;
		this.lastTime = now;
		this.lastDirection = direction;
		if (!sameGesture) {
			this.averageGap = undefined;
			this.carry = 0;
			return 1;
		}
		if (gap < BURST_GAP_MS) return 1;
		this.averageGap = this.averageGap === undefined ? gap : (this.averageGap + gap) / 2;
		const lines = Math.min(MAX_AUTO_LINES, Math.max(1, REFERENCE_GAP_MS / this.averageGap)) + this.carry;
		const whole = Math.floor(lines);
		this.carry = lines - whole;
		return whole;
	}
}
