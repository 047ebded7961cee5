/**
 * The page's colours from the active pi theme (pi-spec §10): every theme token as a CSS custom property, plus
 * the three export backgrounds — the theme's `export` block if it has one, else derived from userMessageBg the
 * way pi derives them (lighter themes: page 0.96×, card = base; darker: page 0.7×, card 0.85×; info tinted).
 */
import { themeCssColors, themeExportColors } from "../tui/themes/manager.ts";

interface Rgb {
	r: number;
	g: number;
	b: number;
}

function parseColor(color: string): Rgb | undefined {
	const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color);
	if (hex)
		return {
			r: Number.parseInt(hex[1] ?? "0", 16),
			g: Number.parseInt(hex[2] ?? "0", 16),
			b: Number.parseInt(hex[3] ?? "0", 16),
		};
	const rgb = /^rgb\s*\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$/i.exec(color);
	if (rgb) return { r: Number(rgb[1]), g: Number(rgb[2]), b: Number(rgb[3]) };
	return undefined;
}

/** WCAG relative luminance, 0 (black) … 1 (white). */
function luminance({ r, g, b }: Rgb): number {
	const linear = (channel: number) => {
		const s = channel / 255;
		return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
	};
	return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function scaled({ r, g, b }: Rgb, factor: number): string {
	const clamp = (channel: number) => Math.min(255, Math.max(0, Math.round(channel * factor)));
	return `rgb(${clamp(r)}, ${clamp(g)}, ${clamp(b)})`;
}

export interface ExportBackgrounds {
	pageBg: string;
	cardBg: string;
	infoBg: string;
}

export function deriveExportBackgrounds(base: string): ExportBackgrounds {
	const rgb = parseColor(base);
	if (!rgb) return { pageBg: "rgb(24, 24, 30)", cardBg: "rgb(30, 30, 36)", infoBg: "rgb(60, 55, 40)" };
	if (luminance(rgb) > 0.5) {
		return {
			pageBg: scaled(rgb, 0.96),
			cardBg: base,
			infoBg: `rgb(${Math.min(255, rgb.r + 10)}, ${Math.min(255, rgb.g + 5)}, ${Math.max(0, rgb.b - 20)})`,
		};
	}
	return {
		pageBg: scaled(rgb, 0.7),
		cardBg: scaled(rgb, 0.85),
		infoBg: `rgb(${Math.min(255, rgb.r + 20)}, ${Math.min(255, rgb.g + 15)}, ${rgb.b})`,
	};
}

/** Theme files are user input too: only plain colour values may reach the <style> element. */
function isPlainColor(value: string): boolean {
	return /^(#[0-9a-f]{3,8}|rgba?\(\s*[\d.\s,%]+\)|[a-z]+)$/i.test(value.trim());
}

/** `:root { --accent: …; … --exportPageBg: …; }` for the named theme (default: the active one). */
export function themeCssVariables(themeName?: string): string {
	let colors: Record<string, string>;
	let exportColors: Partial<ExportBackgrounds>;
	try {
		colors = themeCssColors(themeName);
		exportColors = themeExportColors(themeName);
	} catch {
		colors = themeCssColors("dark");
		exportColors = {};
	}
	const derived = deriveExportBackgrounds(colors.userMessageBg ?? "#343541");
	const all: Record<string, string | undefined> = {
		...colors,
		exportPageBg: exportColors.pageBg ?? derived.pageBg,
		exportCardBg: exportColors.cardBg ?? derived.cardBg,
		exportInfoBg: exportColors.infoBg ?? derived.infoBg,
	};
	const lines = Object.entries(all)
		.filter((pair): pair is [string, string] => typeof pair[1] === "string" && isPlainColor(pair[1]))
		.map(([name, value]) => `\t--${name}: ${value.trim()};`);
	return `:root {\n${lines.join("\n")}\n}\n`;
}
