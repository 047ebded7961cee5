/**
 * Colour arithmetic for the `system` theme: sRGB ↔ OKLab/OKLCH (Björn Ottosson's published matrices) and the
 * WCAG 2 contrast ratio. OKLab lightness moves a colour lighter or darker without shifting its hue.
 */

export interface Rgb {
	r: number;
	g: number;
	b: number;
}

export interface Oklch {
	/** Lightness 0–1. */
	l: number;
	/** Chroma, 0 (grey) up to about 0.37. */
	c: number;
	/** Hue in degrees. */
	h: number;
}

const toLinear = (channel: number): number => {
	const v = channel / 255;
	return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const fromLinear = (v: number): number => (v <= 0.0031308 ? 12.92 * v : 1.055 * v ** (1 / 2.4) - 0.055) * 255;

export function rgbToOklch({ r, g, b }: Rgb): Oklch {
	const lr = toLinear(r);
	const lg = toLinear(g);
	const lb = toLinear(b);
	const l = Math.cbrt(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb);
	const m = Math.cbrt(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb);
	const s = Math.cbrt(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb);
	const L = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
	const A = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
	const B = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
	const h = (Math.atan2(B, A) * 180) / Math.PI;
	return { l: L, c: Math.hypot(A, B), h: h < 0 ? h + 360 : h };
}

/** Linear sRGB channels of an OKLCH colour; values outside 0–1 mean it lies outside sRGB. */
function oklchToLinear({ l, c, h }: Oklch): [number, number, number] {
	const A = c * Math.cos((h * Math.PI) / 180);
	const B = c * Math.sin((h * Math.PI) / 180);
	const l3 = (l + 0.3963377774 * A + 0.2158037573 * B) ** 3;
	const m3 = (l - 0.1055613458 * A - 0.0638541728 * B) ** 3;
	const s3 = (l - 0.0894841775 * A - 1.291485548 * B) ** 3;
	return [
		4.0767416621 * l3 - 3.3077115913 * m3 + 0.2309699292 * s3,
		-1.2684380046 * l3 + 2.6097574011 * m3 - 0.3413193965 * s3,
		-0.0041960863 * l3 - 0.7034186147 * m3 + 1.707614701 * s3,
	];
}

const inGamut = (channels: readonly number[]) => channels.every((v) => v >= -1e-4 && v <= 1 + 1e-4);

/** The sRGB colour for an OKLCH one; outside the gamut the chroma is reduced (hue and lightness kept). */
export function oklchToRgb(color: Oklch): Rgb {
	let channels = oklchToLinear(color);
	if (!inGamut(channels)) {
		let [low, high] = [0, color.c];
		for (let i = 0; i < 16; i++) {
			const middle = (low + high) / 2;
			if (inGamut(oklchToLinear({ ...color, c: middle }))) low = middle;
			else high = middle;
		}
		channels = oklchToLinear({ ...color, c: low });
	}
	const [r = 0, g = 0, b = 0] = channels.map((v) => Math.round(Math.min(255, Math.max(0, fromLinear(v)))));
	return { r, g, b };
}

export function relativeLuminance({ r, g, b }: Rgb): number {
	return 0.2126 * toLinear(r) + 0.7152 * toLinear(g) + 0.0722 * toLinear(b);
}

/** WCAG 2 contrast ratio, 1–21. */
export function contrastRatio(a: Rgb, b: Rgb): number {
	const x = relativeLuminance(a);
	const y = relativeLuminance(b);
	return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

export function rgbToHex({ r, g, b }: Rgb): string {
	return `#${[r, g, b].map((v) => v.toString(16).padStart(2, "0")).join("")}`;
}
