import { describe, expect, test } from "bun:test";
import { highlightCode, languageForPath } from "../../src/export/code-highlight.ts";
import { renderToolCall } from "../../src/export/render-tools.ts";

describe("syntax colouring", () => {
	test("known languages get token classes; markup in code stays escaped", () => {
		const html = highlightCode('const s = "</pre><script>alert(1)</script>";', "ts");
		expect(html).toContain('<span class="hljs-keyword">const</span>');
		expect(html).not.toContain("<script");
		expect(html).toContain("&lt;script&gt;");
	});

	test("unknown or missing language: escaped only", () => {
		expect(highlightCode("<b>x</b>", "no-such-language")).toBe("&lt;b&gt;x&lt;/b&gt;");
		expect(highlightCode("<b>x</b>", undefined)).toBe("&lt;b&gt;x&lt;/b&gt;");
	});

	test("language from a file's extension", () => {
		expect(languageForPath("src/a.ts")).toBe("ts");
		expect(languageForPath("x/y.py")).toBe("py");
		expect(languageForPath("Makefile")).toBeUndefined();
		expect(languageForPath("notes.unknownext")).toBeUndefined();
	});

	test("read results and written files are coloured by the file's extension", () => {
		const read = renderToolCall(
			{ type: "toolCall", id: "r", name: "read", arguments: { path: "main.py" } },
			{
				role: "toolResult",
				toolCallId: "r",
				toolName: "read",
				content: [{ type: "text", text: "def main():\n    return 1\n" }],
				isError: false,
				timestamp: 1,
			},
		);
		expect(read).toContain('<span class="hljs-keyword">def</span>');
		const write = renderToolCall(
			{ type: "toolCall", id: "w", name: "write", arguments: { path: "a.js", content: "let x = 1;" } },
			undefined,
		);
		expect(write).toContain('<span class="hljs-keyword">let</span>');
	});
});
