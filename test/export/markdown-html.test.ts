import { describe, expect, test } from "bun:test";
import { escapeHtml, imageDataUrl, jsonForScript } from "../../src/export/html-escape.ts";
import { renderMarkdown } from "../../src/export/markdown-html.ts";

describe("escaping", () => {
	test("escapeHtml covers the five special characters", () => {
		expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
			"&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;",
		);
	});

	test("jsonForScript cannot close a script element and still parses to the same value", () => {
		const value = { text: "</script><script>alert(1)</script>&\u2028" };
		const json = jsonForScript(value);
		expect(json).not.toContain("<");
		expect(json).not.toContain(">");
		expect(JSON.parse(json)).toEqual(value);
	});

	test("image data URLs only for image MIME types and base64 data", () => {
		expect(imageDataUrl("image/png", "iVBORw0KGgo=")).toBe("data:image/png;base64,iVBORw0KGgo=");
		expect(imageDataUrl("text/html", "PHNjcmlwdD4=")).toBeUndefined();
		expect(imageDataUrl("image/png", '"><script>')).toBeUndefined();
	});
});

describe("renderMarkdown", () => {
	test("raw HTML is shown as text", () => {
		const html = renderMarkdown("Hello <script>alert(1)</script> <img src=x onerror=alert(2)>");
		expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
		expect(html).not.toContain("<script");
		expect(html).not.toContain("<img");
	});

	test("blocks: headings, fenced code, lists, quotes, rules, tables", () => {
		const html = renderMarkdown(
			[
				"# Title",
				"",
				"```ts",
				"const a = 1 < 2;",
				"```",
				"",
				"- one",
				"- two",
				"",
				"3. three",
				"4. four",
				"",
				"> quoted",
				"",
				"---",
				"",
				"| a | b |",
				"|---|---|",
				"| 1 | 2 |",
			].join("\n"),
		);
		expect(html).toContain("<h1>Title</h1>");
		expect(html).toContain(
			'<pre class="code-block"><code class="language-ts"><span class="hljs-keyword">const</span> a = <span class="hljs-number">1</span> &lt; <span class="hljs-number">2</span>;</code></pre>',
		);
		expect(html).toContain("<ul><li>one</li><li>two</li></ul>");
		expect(html).toContain('<ol start="3"><li>three</li><li>four</li></ol>');
		expect(html).toContain("<blockquote><p>quoted</p></blockquote>");
		expect(html).toContain("<hr>");
		expect(html).toContain(
			"<table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>",
		);
	});

	test("inline: emphasis, code spans keep their content, safe links only", () => {
		const html = renderMarkdown(
			"**bold** *it* `a*b*c <x>` [ok](https://example.com/a_b_c) [bad](javascript:alert(1)) ~~gone~~",
		);
		expect(html).toContain("<strong>bold</strong>");
		expect(html).toContain("<em>it</em>");
		expect(html).toContain("<code>a*b*c &lt;x&gt;</code>");
		expect(html).toContain('<a href="https://example.com/a_b_c" target="_blank" rel="noopener noreferrer">ok</a>');
		expect(html).not.toContain('href="javascript');
		expect(html).toContain("<del>gone</del>");
	});

	test("a link URL cannot break out of its attribute", () => {
		const html = renderMarkdown('[x](https://e.com/"onmouseover="alert(1))');
		expect(html).not.toContain('"onmouseover="');
	});

	test("paragraph lines keep their breaks; an unclosed fence runs to the end", () => {
		expect(renderMarkdown("a\nb")).toBe("<p>a<br>b</p>");
		expect(renderMarkdown("```\ncode <b>")).toBe('<pre class="code-block"><code>code &lt;b&gt;</code></pre>');
	});
});
