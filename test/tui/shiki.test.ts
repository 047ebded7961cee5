import { describe, expect, test } from "bun:test";
import { Markdown } from "../../src/tui/components/markdown.ts";
import { highlightCode } from "../../src/tui/components/markdown-highlight.ts";
import {
	highlighterGeneration,
	loadShikiLanguage,
	onHighlighterReady,
	shikiHighlight,
	shikiLanguageId,
} from "../../src/tui/components/shiki-highlight.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";
import { darkThemeColors, fgColor, lightThemeColors, theme } from "../../src/tui/theme.ts";
import { TUI } from "../../src/tui/tui.ts";
import { VirtualTerminal } from "../support/virtual-terminal.ts";

const PYTHON = "def greet(name):\n    # say hello\n    return f'hi {name}' + 42";

describe("shiki highlighting", () => {
	test("fence names map to shiki ids; unknown languages are not offered", () => {
		expect(shikiLanguageId("ts")).toBe("typescript");
		expect(shikiLanguageId("Bash")).toBe("shellscript");
		expect(shikiLanguageId("rust")).toBe("rust");
		expect(shikiLanguageId("brainfuck")).toBeUndefined();
		expect(shikiLanguageId("")).toBeUndefined();
	});

	test("the first request draws plain, loads in the background, then shiki colours with pi's tokens", async () => {
		let ready = 0;
		const unsubscribe = onHighlighterReady(() => ready++);
		const before = highlighterGeneration();
		// Not loaded yet: nothing to colour with (the caller draws the code plain).
		expect(shikiHighlight(PYTHON, "py")).toBeUndefined();
		expect(highlightCode(PYTHON, "py")).toBeUndefined();
		await loadShikiLanguage("python");
		unsubscribe();
		expect(ready).toBe(1);
		expect(highlighterGeneration()).toBe(before + 1);
		const lines = shikiHighlight(PYTHON, "python");
		expect(lines?.map(stripAnsi)).toEqual(PYTHON.split("\n"));
		const [first, comment, last] = lines ?? [];
		expect(first).toContain(fgColor(theme.colors.syntaxKeyword, "def"));
		expect(first).toContain(fgColor(theme.colors.syntaxFunction, "greet"));
		expect(comment).toContain(fgColor(theme.colors.syntaxComment, "# say hello"));
		expect(last).toContain(fgColor(theme.colors.syntaxNumber, "42"));
		expect(highlightCode(PYTHON, "py")).toEqual(lines);
	});

	test("a language shiki is not offered for stays plain; one highlighter only", () => {
		expect(highlightCode("+++", "no-such-language")).toBeUndefined();
		expect(shikiLanguageId("lisp")).toBe("common-lisp");
		expect(shikiLanguageId("tf")).toBe("hcl");
	});

	test("a streaming block is tokenized incrementally and stays correct across a multi-line construct", async () => {
		await loadShikiLanguage("typescript");
		const full = 'const a = 1;\n/* a comment\nstill comment */\nconst s = "str";\nlet b = a + 2;';
		let previous: string[] | undefined;
		for (let end = 1; end <= full.length; end += 3) {
			const partial = full.slice(0, end);
			previous = shikiHighlight(partial, "ts");
			expect(previous?.map(stripAnsi)).toEqual(partial.split("\n"));
		}
		const lines = shikiHighlight(full, "ts") ?? [];
		expect(lines[2]).toContain(fgColor(theme.colors.syntaxComment, "still comment */"));
		expect(lines[3]).toContain(fgColor(theme.colors.syntaxString, '"str"'));
		// Same result as tokenizing the whole block in one go (a new, unrelated prefix).
		expect(shikiHighlight(`\n${full}`, "ts")?.slice(1)).toEqual(lines);
	});

	test("a Markdown code block on screen switches from the fallback to shiki by itself", async () => {
		const terminal = new VirtualTerminal(60, 12);
		const tui = new TUI(terminal);
		const code = "fn main() {\n    let x: u32 = 7;\n}";
		tui.addChild(new Markdown(`\`\`\`rust\n${code}\n\`\`\``, 0, 0));
		tui.start();
		await terminal.settle();
		expect(terminal.getViewport().slice(0, 5)).toEqual([
			"```rust",
			"  fn main() {",
			"      let x: u32 = 7;",
			"  }",
			"```",
		]);
		// The grammar may already be loading (the fallback render asked for it) or loaded (another test file in this
		// process used rust), so wait for the shiki colours to be drawn instead of counting redraws from a moment.
		await loadShikiLanguage("rust");
		const highlighted = fgColor(theme.colors.syntaxType, "u32");
		const deadline = Date.now() + 15_000;
		while (!terminal.writes.join("").includes(highlighted) && Date.now() < deadline) {
			await terminal.settle();
			await Bun.sleep(10);
		}
		expect(terminal.writes.join("")).toContain(highlighted);
		expect(terminal.getViewport().slice(0, 5)).toEqual([
			"```rust",
			"  fn main() {",
			"      let x: u32 = 7;",
			"  }",
			"```",
		]);
		tui.stop();
	});

	test("a theme switch recolours cached output", async () => {
		await loadShikiLanguage("python");
		const code = "x = 1  # note";
		try {
			theme.apply({ ...darkThemeColors }, { name: "dark" });
			const darkShiki = shikiHighlight(code, "python")?.[0] ?? "";
			theme.apply({ ...lightThemeColors }, { name: "light" });
			const lightShiki = shikiHighlight(code, "python")?.[0] ?? "";
			expect(darkShiki).toContain(fgColor(darkThemeColors.syntaxComment, "# note"));
			expect(lightShiki).toContain(fgColor(lightThemeColors.syntaxComment, "# note"));
			expect(stripAnsi(lightShiki)).toBe(code);
		} finally {
			theme.apply({ ...darkThemeColors }, { name: "dark" });
		}
	});
});
