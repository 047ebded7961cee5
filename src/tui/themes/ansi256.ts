/** Hex ↔ xterm-256 conversion for terminals without truecolor, matching pi's choice of palette entry. */

export function hexToRgb(hex: string): [number, number, number] {
	const digits = hex.startsWith("#") ? hex.slice(1) : hex;
	if (!/^[0-9a-fA-F]{6}$/.test(digits)) throw new Error(`Invalid hex color: ${hex}`);
	const n = Number.parseInt(digits, 16);
	return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const CUBE_STEPS = [0, 95, 135, 175, 215, 255];
const GREY_STEPS = Array.from({ length: 24 }, (_, i) => 8 + i * 10);

function nearestIndex(steps: readonly number[], value: number): number {
	let best = 0;
	for (let i = 1; i < steps.length; i++) {
		if (Math.abs((steps[i] ?? 0) - value) < Math.abs((steps[best] ?? 0) - value)) best = i;
	}
	return best;
}

/** Squared distance weighted by luma, since the eye is most sensitive to green. */
function perceivedDistance(a: readonly number[], b: readonly number[]): number {
	const weights = [0.299, 0.587, 0.114];
	let sum = 0;
	for (let i = 0; i < 3; i++) sum += ((a[i] ?? 0) - (b[i] ?? 0)) ** 2 * (weights[i] ?? 0);
	return sum;
}

/**
 * Closest xterm-256 entry: the 6×6×6 cube, or the grey ramp when the colour is nearly neutral (channel spread
 * under 10) and the grey is closer — tinted colours keep their hue even where a grey would be nearer.
 */
export function rgbTo256(r: number, g: number, b: number): number {
	const cube = [nearestIndex(CUBE_STEPS, r), nearestIndex(CUBE_STEPS, g), nearestIndex(CUBE_STEPS, b)];
	const cubeRgb = cube.map((i) => CUBE_STEPS[i] ?? 0);
	const cubeIndex = 16 + 36 * (cube[0] ?? 0) + 6 * (cube[1] ?? 0) + (cube[2] ?? 0);
	const luma = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
	const greyIdx = nearestIndex(GREY_STEPS, luma);
	const grey = GREY_STEPS[greyIdx] ?? 0;
	const spread = Math.max(r, g, b) - Math.min(r, g, b);
	const nearlyNeutral = spread < 10;
	if (nearlyNeutral && perceivedDistance([r, g, b], [grey, grey, grey]) < perceivedDistance([r, g, b], cubeRgb)) {
		return 232 + greyIdx;
	}
	return cubeIndex;
}

export function hexTo256(hex: string): number {
	const [r, g, b] = hexToRgb(hex);
	return rgbTo256(r, g, b);
}

const BASIC_16 = [
	"#000000",
	"#800000",
	"#008000",
	"#808000",
	"#000080",
	"#800080",
	"#008080",
	"#c0c0c0",
	"#808080",
	"#ff0000",
	"#00ff00",
	"#ffff00",
	"#0000ff",
	"#ff00ff",
	"#00ffff",
	"#ffffff",
];

/** A palette index as "#rrggbb" (for HTML export, where there is no terminal palette). */
export function ansi256ToHex(index: number): string {
	const hex2 = (n: number) => n.toString(16).padStart(2, "0");
	if (index < 16) return BASIC_16[index] ?? "#000000";
	if (index < 232) {
		const i = index - 16;
		const level = (step: number) => (step === 0 ? 0 : 55 + step * 40);
		return `#${hex2(level(Math.floor(i / 36)))}${hex2(level(Math.floor((i % 36) / 6)))}${hex2(level(i % 6))}`;
	}
	const grey = hex2(8 + (index - 232) * 10);
	return `#${grey}${grey}${grey}`;
}
