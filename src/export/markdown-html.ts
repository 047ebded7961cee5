/**
 * A small Markdown → HTML renderer for the export (assistant text, summaries). It covers what models write:
 * fenced code, headings, lists, quotes, rules, tables, emphasis, code spans and links. Every piece of text is
 * escaped before any markup is added, so raw HTML in a message is shown as text, never interpreted.
 */
import { highlightCode } from "./code-highlight.ts";
import { escapeHtml, isSafeUrl } from "./html-escape.ts";

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)/;
const HEADING = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const BULLET = /^(\s*)([-*+])\s+(.*)$/;
const ORDERED = /^(\s*)(\d{1,9})[.)]\s+(.*)$/;
const TABLE_DIVIDER = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** Inline markup on text that is already escaped; code spans are cut out first so nothing inside them changes. */
function renderInline(text: string): string {
	const parts = text.split(/(`+[^`]*?`+)/);
	return parts
		.map((part, index) => {
			if (index % 2 === 1) {
				const code = part.replace(/^`+|`+$/g, "");
				return `<code>${escapeHtml(code)}</code>`;
			}
			return renderEmphasisAndLinks(escapeHtml(part));
		})
		.join("");
}

function renderEmphasisAndLinks(escaped: string): string {
	// Links are set aside while emphasis is applied, so an `_` or `*` in a URL cannot change it.
	const links: string[] = [];
	const keep = (html: string): string => `\uE000${links.push(html) - 1}\uE000`;
	return escaped
		.replace(/\uE000/g, "")
		.replace(/!?\[([^\]]*)\]\(([^)\s]+)\)/g, (match, label: string, url: string) => {
			if (match.startsWith("!") || !isSafeUrl(url)) return match;
			return keep(`<a href="${url}" target="_blank" rel="noopener noreferrer">${label}</a>`);
		})
		.replace(/(^|[\s(])(https?:\/\/[^\s<]+[^\s<.,;:!?)'"])/g, (_m, lead: string, url: string) => {
			return lead + keep(`<a href="${url}" target="_blank" rel="noopener noreferrer">${url}</a>`);
		})
		.replace(/\*\*(?=\S)([\s\S]*?\S)\*\*/g, "<strong>$1</strong>")
		.replace(/__(?=\S)([\s\S]*?\S)__/g, "<strong>$1</strong>")
		.replace(/(^|[^*\w])\*(?=\S)([^*]*?\S)\*(?![*\w])/g, "$1<em>$2</em>")
		.replace(/(^|[^_\w])_(?=\S)([^_]*?\S)_(?![_\w])/g, "$1<em>$2</em>")
		.replace(/~~(?=\S)([\s\S]*?\S)~~/g, "<del>$1</del>")
		.replace(/\uE000(\d+)\uE000/g, (_m, index: string) => links[Number(index)] ?? "");
}

function splitTableRow(line: string): string[] {
	return line
		.trim()
		.replace(/^\|/, "")
		.replace(/\|$/, "")
		.split("|")
		.map((cell) => cell.trim());
}

function isBlockStart(line: string, next: string | undefined): boolean {
	return (
		FENCE.test(line) ||
		HEADING.test(line) ||
		RULE.test(line) ||
		QUOTE.test(line) ||
		BULLET.test(line) ||
		ORDERED.test(line) ||
		(line.includes("|") && next !== undefined && TABLE_DIVIDER.test(next))
	);
}

export function renderMarkdown(markdown: string): string {
	const lines = markdown.replace(/\r\n?/g, "\n").split("\n");
	const out: string[] = [];
	let i = 0;
	while (i < lines.length) {
		const line = lines[i] ?? "";
		const next = lines[i + 1];
		if (line.trim() === "") {
			i++;
			continue;
		}
		const fence = FENCE.exec(line);
		if (fence) {
			const marker = fence[1] ?? "```";
			const language = fence[2] ?? "";
			const body: string[] = [];
			i++;
			while (i < lines.length && !(lines[i] ?? "").trimStart().startsWith(marker)) {
				body.push(lines[i] ?? "");
				i++;
			}
			i++; // closing fence (or end of text)
			const langClass = language ? ` class="language-${escapeHtml(language)}"` : "";
			out.push(`<pre class="code-block"><code${langClass}>${highlightCode(body.join("\n"), language)}</code></pre>`);
			continue;
		}
		const heading = HEADING.exec(line);
		if (heading) {
			const level = (heading[1] ?? "#").length;
			out.push(`<h${level}>${renderInline(heading[2] ?? "")}</h${level}>`);
			i++;
			continue;
		}
		if (RULE.test(line)) {
			out.push("<hr>");
			i++;
			continue;
		}
		if (QUOTE.test(line)) {
			const quoted: string[] = [];
			for (let m = QUOTE.exec(lines[i] ?? ""); m && i < lines.length; m = QUOTE.exec(lines[i] ?? "")) {
				quoted.push(m[1] ?? "");
				i++;
			}
			out.push(`<blockquote>${renderMarkdown(quoted.join("\n"))}</blockquote>`);
			continue;
		}
		if (BULLET.test(line) || ORDERED.test(line)) {
			const ordered = !BULLET.test(line);
			const pattern = ordered ? ORDERED : BULLET;
			const items: string[][] = [];
			while (i < lines.length) {
				const current = lines[i] ?? "";
				const item = pattern.exec(current);
				if (item) items.push([item[3] ?? ""]);
				else if (current.trim() !== "" && /^\s+/.test(current) && items.length > 0) items.at(-1)?.push(current.trim());
				else break;
				i++;
			}
			const tag = ordered ? "ol" : "ul";
			const start = ordered ? Number(ORDERED.exec(line)?.[2] ?? "1") : 1;
			const startAttr = ordered && start !== 1 ? ` start="${start}"` : "";
			const lis = items.map((item) => `<li>${item.map(renderInline).join("<br>")}</li>`).join("");
			out.push(`<${tag}${startAttr}>${lis}</${tag}>`);
			continue;
		}
		if (line.includes("|") && next !== undefined && TABLE_DIVIDER.test(next)) {
			const head = splitTableRow(line);
			i += 2;
			const rows: string[][] = [];
			while (i < lines.length && (lines[i] ?? "").includes("|") && (lines[i] ?? "").trim() !== "") {
				rows.push(splitTableRow(lines[i] ?? ""));
				i++;
			}
			const th = head.map((cell) => `<th>${renderInline(cell)}</th>`).join("");
			const trs = rows.map((row) => `<tr>${row.map((cell) => `<td>${renderInline(cell)}</td>`).join("")}</tr>`);
			out.push(`<table><thead><tr>${th}</tr></thead><tbody>${trs.join("")}</tbody></table>`);
			continue;
		}
		const paragraph: string[] = [line];
		i++;
		while (i < lines.length && (lines[i] ?? "").trim() !== "" && !isBlockStart(lines[i] ?? "", lines[i + 1])) {
			paragraph.push(lines[i] ?? "");
			i++;
		}
		out.push(`<p>${paragraph.map(renderInline).join("<br>")}</p>`);
	}
	return out.join("\n");
}
