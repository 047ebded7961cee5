/**
 * Tool calls in the export: each call is drawn with its result (found by tool-call id), with a layout per
 * built-in tool (bash command, read/write paths, edit diffs) and arguments as JSON for any other tool.
 * Long outputs are cut to a preview with the rest in a native <details>, so the page needs no script for it.
 */
import type { ImageContent, TextContent, ToolCall, ToolResultMessage } from "../ai/types.ts";
import { highlightCode, languageForPath } from "./code-highlight.ts";
import { escapeHtml, imageDataUrl } from "./html-escape.ts";

const PREVIEW_LINES = 10;

function str(value: unknown): string | undefined {
	return typeof value === "string" ? value : undefined;
}

function num(value: unknown): number | undefined {
	return typeof value === "number" && Number.isFinite(value) ? value : undefined;
}

/**
 * Text that may be long: the first lines are shown, the whole text is one click away. `render` turns text into
 * escaped HTML (plain escaping, or syntax colouring); preview and full text are rendered separately so that no
 * markup is cut in half.
 */
export function expandableOutput(
	text: string,
	previewLines = PREVIEW_LINES,
	className = "tool-output",
	render: (text: string) => string = escapeHtml,
): string {
	const trimmed = text.replace(/\n+$/, "");
	const lines = trimmed.split("\n");
	if (lines.length <= previewLines) return `<pre class="${className}">${render(trimmed)}</pre>`;
	const preview = lines.slice(0, previewLines).join("\n");
	const more = lines.length - previewLines;
	return (
		`<details class="expandable ${className}-expandable"><summary><pre class="${className} preview">${render(preview)}</pre>` +
		`<span class="expand-hint">… ${more} more line${more === 1 ? "" : "s"} (click to expand)</span></summary>` +
		`<pre class="${className}">${render(trimmed)}</pre></details>`
	);
}

function codeRenderer(path: string | undefined): (text: string) => string {
	const language = languageForPath(path);
	return (text) => highlightCode(text, language);
}

export function renderImages(images: ImageContent[]): string {
	const tags = images.map((image) => {
		const url = imageDataUrl(image.mimeType, image.data);
		return url
			? `<img class="message-image" src="${escapeHtml(url)}" alt="image (${escapeHtml(image.mimeType)})">`
			: `<div class="muted">[image with unsupported type ${escapeHtml(image.mimeType)}]</div>`;
	});
	return tags.length > 0 ? `<div class="message-images">${tags.join("")}</div>` : "";
}

/** A message's text blocks joined by newlines, and its images. */
export function contentParts(content: string | (TextContent | ImageContent)[]): {
	text: string;
	images: ImageContent[];
} {
	if (typeof content === "string") return { text: content, images: [] };
	const text = content
		.filter((block): block is TextContent => block.type === "text")
		.map((block) => block.text)
		.join("\n");
	return { text, images: content.filter((block): block is ImageContent => block.type === "image") };
}

function diffHtml(diff: string): string {
	const lines = diff.split("\n").map((line) => {
		const kind = line.startsWith("+") ? "diff-added" : line.startsWith("-") ? "diff-removed" : "diff-context";
		return `<span class="${kind}">${escapeHtml(line)}</span>`;
	});
	return `<pre class="tool-diff">${lines.join("\n")}</pre>`;
}

function pathLabel(args: Record<string, unknown>): string {
	const path = str(args.path) ?? str(args.file_path) ?? "";
	return `<span class="tool-path">${escapeHtml(path)}</span>`;
}

/** The call line(s) of one tool invocation. */
function renderCallHead(call: ToolCall): string {
	const args = call.arguments;
	const name = `<span class="tool-name">${escapeHtml(call.name)}</span>`;
	switch (call.name) {
		case "bash": {
			const timeout = num(args.timeout);
			const suffix = timeout !== undefined ? ` <span class="muted">(timeout ${timeout}s)</span>` : "";
			return `<div class="tool-command">$ ${escapeHtml(str(args.command) ?? "")}${suffix}</div>`;
		}
		case "read": {
			const offset = num(args.offset);
			const limit = num(args.limit);
			let range = "";
			if (offset !== undefined || limit !== undefined) {
				const start = offset ?? 1;
				range = limit !== undefined ? `:${start}-${start + limit - 1}` : `:${start}`;
			}
			return `<div class="tool-header">${name} ${pathLabel(args)}<span class="muted">${escapeHtml(range)}</span></div>`;
		}
		case "write":
		case "edit":
		case "ls":
			return `<div class="tool-header">${name} ${pathLabel(args)}</div>`;
		case "grep":
		case "find": {
			const pattern = str(args.pattern) ?? "";
			const where = str(args.path);
			const inPath = where ? ` <span class="muted">in</span> <span class="tool-path">${escapeHtml(where)}</span>` : "";
			return `<div class="tool-header">${name} <span class="tool-pattern">${escapeHtml(pattern)}</span>${inPath}</div>`;
		}
		default:
			return `<div class="tool-header">${name}</div>${expandableOutput(JSON.stringify(args, null, 2), 20, "tool-args")}`;
	}
}

/** Extra body of the call itself (what is written or replaced), shown even before a result exists. */
function renderCallBody(call: ToolCall, result: ToolResultMessage | undefined): string {
	const args = call.arguments;
	if (call.name === "write") {
		return expandableOutput(str(args.content) ?? "", PREVIEW_LINES, "tool-content", codeRenderer(str(args.path)));
	}
	if (call.name === "edit") {
		const details = result?.details;
		const diff = typeof details === "object" && details !== null && "diff" in details ? str(details.diff) : undefined;
		if (diff && !result?.isError) return diffHtml(diff);
		const edits = Array.isArray(args.edits)
			? args.edits
			: [{ oldText: args.oldText ?? args.old_string, newText: args.newText ?? args.new_string }];
		return edits
			.map((edit: unknown) => {
				const record = typeof edit === "object" && edit !== null ? (edit as Record<string, unknown>) : {};
				const removed = (str(record.oldText) ?? "").split("\n").map((line) => `-${line}`);
				const added = (str(record.newText) ?? "").split("\n").map((line) => `+${line}`);
				return diffHtml([...removed, ...added].join("\n"));
			})
			.join("");
	}
	return "";
}

function renderResult(call: ToolCall, result: ToolResultMessage): string {
	const { text, images } = contentParts(result.content);
	// A successful edit or write says only "Successfully …": the diff/content above already shows it.
	const quiet = !result.isError && (call.name === "edit" || call.name === "write");
	if (quiet || text === "") return renderImages(images);
	const output =
		call.name === "read" && !result.isError
			? expandableOutput(text, 15, "tool-output", codeRenderer(str(call.arguments.path)))
			: expandableOutput(text);
	return output + renderImages(images);
}

export function renderToolCall(call: ToolCall, result: ToolResultMessage | undefined): string {
	const state = result === undefined ? "pending" : result.isError ? "error" : "success";
	const body = result ? renderResult(call, result) : `<div class="muted">(no result)</div>`;
	return (
		`<div class="tool-execution ${state}" data-tool-call-id="${escapeHtml(call.id)}">` +
		`${renderCallHead(call)}${renderCallBody(call, result)}<div class="tool-result">${body}</div></div>`
	);
}
