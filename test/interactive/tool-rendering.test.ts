import { describe, expect, test } from "bun:test";
import {
	imagePlaceholder,
	languageFromPath,
	renderDiffLines,
} from "../../src/modes/interactive/components/tool-bodies.ts";
import { ToolExecutionView } from "../../src/modes/interactive/components/tool-execution.ts";
import { Keybindings, setActiveKeybindings } from "../../src/modes/interactive/keybindings.ts";
import { theme } from "../../src/tui/theme.ts";

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing colours to compare text
const plain = (lines: string[]) => lines.map((line) => line.replace(/\x1b\[[0-9;]*m/g, "").trimEnd());

function view(toolName: string, args: unknown, result?: Parameters<ToolExecutionView["updateResult"]>[0]) {
	const v = new ToolExecutionView(toolName, "id", args, false);
	if (result) v.updateResult(result, false);
	return v;
}

const PNG_1x2 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAACCAYAAACZgbYnAAAAEElEQVR4nGNgYGD4z8DAAAAGAQH/3G/HRwAAAABJRU5ErkJggg==";

describe("tool bodies", () => {
	test("edit shows the diff with colours; a one-line change marks the changed part", () => {
		const diff = "  1 keep\n- 2 const a = 1;\n+ 2 const a = 2;\n  3 end";
		const lines = renderDiffLines(diff);
		expect(plain(lines)).toEqual(["  1 keep", "- 2 const a = 1;", "+ 2 const a = 2;", "  3 end"]);
		expect(lines[1]).toContain("\x1b[7m1\x1b[27m");
		expect(lines[2]).toContain("\x1b[7m2\x1b[27m");
		expect(lines[1]).toBe(theme.fg("toolDiffRemoved", "- 2 const a = \x1b[7m1\x1b[27m;"));
		const box = plain(
			view(
				"edit",
				{ path: "/tmp/x.ts" },
				{ content: [{ type: "text", text: "ok" }], details: { diff }, isError: false },
			).render(60),
		).join("\n");
		expect(box).toContain("edit /tmp/x.ts");
		expect(box).toContain("+ 2 const a = 2;");
		expect(box).not.toContain("ok");
	});

	test("write shows the first 10 lines of the content, highlighted by file type, with the expand hint", () => {
		setActiveKeybindings(new Keybindings());
		const content = Array.from({ length: 14 }, (_, i) => `const v${i} = ${i};`).join("\n");
		const v = view(
			"write",
			{ path: "a.ts", content },
			{ content: [{ type: "text", text: "written" }], isError: false },
		);
		const rendered = v.render(80);
		const text = plain(rendered).join("\n");
		expect(text).toContain("const v9 = 9;");
		expect(text).not.toContain("const v10");
		expect(text).toContain("... (4 more lines, 14 total, ctrl+o to expand)");
		// Keywords are coloured differently from identifiers: the content was highlighted.
		// biome-ignore lint/suspicious/noControlCharactersInRegex: the ANSI escape is what is being checked
		expect(rendered.join("\n")).toMatch(/\x1b\[[0-9;]*mconst/);
		v.setExpanded(true);
		expect(plain(v.render(80)).join("\n")).toContain("const v13 = 13;");
		expect(languageFromPath("x/Dockerfile")).toBe("dockerfile");
		expect(languageFromPath("notes.unknown")).toBeUndefined();
	});

	test("read shows 10 lines and the truncation note", () => {
		const text = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n");
		const v = view(
			"read",
			{ path: "notes.txt" },
			{
				content: [{ type: "text", text }],
				details: {
					truncation: { truncated: true, truncatedBy: "lines", totalLines: 5000, outputLines: 2000, maxLines: 2000 },
				},
				isError: false,
			},
		);
		const out = plain(v.render(80)).join("\n");
		expect(out).toContain("line 10");
		expect(out).not.toContain("line 11");
		expect(out).toContain("... (2 more lines, ctrl+o to expand)");
		expect(out).toContain("[Truncated: showing 2000 of 5000 lines (2000 line limit)]");
	});

	test("bash keeps the last 5 lines, says how many are hidden, and how long it took", () => {
		const output = Array.from({ length: 9 }, (_, i) => `out ${i + 1}`).join("\n");
		const v = new ToolExecutionView("bash", "b", { command: "seq 9" }, false);
		v.markStarted();
		v.updateResult({ content: [{ type: "text", text: output }], isError: false }, false);
		const out = plain(v.render(80)).join("\n");
		expect(out).toContain("$ seq 9");
		expect(out).toContain("... (4 earlier lines, ctrl+o to expand)");
		expect(out).not.toContain("out 4");
		expect(out).toContain("out 9");
		expect(out).toMatch(/Took \d+\.\ds/);
	});

	test("the expand hint follows the keybinding table", () => {
		setActiveKeybindings(new Keybindings({ "app.tools.expand": "ctrl+x" }));
		try {
			const output = Array.from({ length: 30 }, (_, i) => `match ${i}`).join("\n");
			const out = plain(
				view("grep", { pattern: "m" }, { content: [{ type: "text", text: output }], isError: false }).render(80),
			);
			expect(out.join("\n")).toContain("... (15 more lines, ctrl+x to expand)");
			expect(out.join("\n")).toContain("grep /m/ in .");
		} finally {
			setActiveKeybindings(new Keybindings());
		}
	});

	test("images become a placeholder line with their size; errors are shown in full", () => {
		expect(imagePlaceholder({ type: "image", data: PNG_1x2, mimeType: "image/png" })).toBe("[Image: [image/png] 1x2]");
		const out = plain(
			view(
				"read",
				{ path: "pic.png" },
				{
					content: [
						{ type: "text", text: "Read image file [image/png]" },
						{ type: "image", data: PNG_1x2, mimeType: "image/png" },
					],
					isError: false,
				},
			).render(80),
		).join("\n");
		expect(out).toContain("[Image: [image/png] 1x2]");
		const failed = plain(
			view(
				"write",
				{ path: "a.txt", content: "x" },
				{ content: [{ type: "text", text: "EACCES" }], isError: true },
			).render(80),
		);
		expect(failed.join("\n")).toContain("EACCES");
	});
});
