import { describe, expect, test } from "bun:test";
import { buildExportHtml } from "../../src/export/export-html.ts";
import { deriveExportBackgrounds, themeCssVariables } from "../../src/export/theme-vars.ts";
import { themeCssColors, themeExportColors } from "../../src/tui/themes/manager.ts";

describe("export colours", () => {
	test("derived from userMessageBg as pi: dark 0.7× / 0.85×, light 0.96× / base, info tinted", () => {
		expect(deriveExportBackgrounds("#343541")).toEqual({
			pageBg: "rgb(36, 37, 46)",
			cardBg: "rgb(44, 45, 55)",
			infoBg: "rgb(72, 68, 65)",
		});
		expect(deriveExportBackgrounds("#e8e8e8")).toEqual({
			pageBg: "rgb(223, 223, 223)",
			cardBg: "#e8e8e8",
			infoBg: "rgb(242, 237, 212)",
		});
		expect(deriveExportBackgrounds("not a colour").pageBg).toBe("rgb(24, 24, 30)");
	});

	test("every theme token becomes a CSS custom property, for the named theme", () => {
		const dark = themeCssVariables("dark");
		for (const [token, value] of Object.entries(themeCssColors("dark")))
			expect(dark).toContain(`--${token}: ${value};`);
		// pi's dark theme has its own export block.
		expect(themeExportColors("dark").pageBg).toBe("#18181e");
		expect(dark).toContain("--exportPageBg: #18181e;");
		const light = themeCssVariables("light");
		expect(light).toContain(`--userMessageBg: ${themeCssColors("light").userMessageBg};`);
		expect(light).not.toBe(dark);
	});

	test("the page uses the requested theme", () => {
		const html = buildExportHtml({ header: undefined, entries: [], leafId: null, themeName: "light" });
		expect(html).toContain(themeCssVariables("light"));
	});
});
