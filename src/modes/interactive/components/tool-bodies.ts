/**
 * What a tool box shows under its header (pi 0.73.1): the edit diff coloured line by line, write content and read
 * output syntax-highlighted by file type, bash output collapsed to its last lines, truncation notes, and a text
 * line in place of each image.
 */
import * as v from "valibot";
import type { ImageContent, TextContent } from "../../../ai/types.ts";
import { nestedCallRows } from "../../../codemode/render.ts";
import { languageFromPath } from "../../../tui/components/languages.ts";
import { highlightCode } from "../../../tui/components/markdown-highlight.ts";
import { stripAnsi } from "../../../tui/text-utils.ts";
import { lazySchema } from "../../../util/lazy-schema.ts";
import { fg } from "../style.ts";

export interface ToolResultLike {
	content: (TextContent | ImageContent)[];
	details?: unknown;
	isError?: boolean;
}

// Terminal control sequences in tool output would corrupt the screen (escape sequences go through stripAnsi).
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const CONTROL_PATTERN = /[\x00-\x08\x0b-\x1f\x7f]/g;

const DetailsSchema = lazySchema(() =>
	v.object({
		diff: v.optional(v.string()),
		truncation: v.optional(
			v.object({
				truncated: v.boolean(),
				truncatedBy: v.nullish(v.string()),
				totalLines: v.optional(v.number()),
				outputLines: v.optional(v.number()),
				maxLines: v.optional(v.number()),
				maxBytes: v.optional(v.number()),
				firstLineExceedsLimit: v.optional(v.boolean()),
			}),
		),
		fullOutputPath: v.optional(v.string()),
	}),
);
type ToolDetails = v.InferOutput<typeof DetailsSchema>;

function toolDetails(result: ToolResultLike | undefined): ToolDetails {
	const parsed = v.safeParse(DetailsSchema, result?.details);
	return parsed.success ? parsed.output : {};
}

function clean(text: string): string {
	return stripAnsi(text).replace(/\r/g, "").replace(/\t/g, "   ").replace(CONTROL_PATTERN, "");
}

/** Width × height from a PNG, GIF or JPEG header (base64), for the image placeholder. */
export function imageDimensions(data: string, mimeType: string): { width: number; height: number } | undefined {
	let bytes: Buffer;
	try {
		bytes = Buffer.from(data.slice(0, 64_000), "base64");
	} catch {
		return undefined;
	}
	if (mimeType === "image/png" && bytes.length >= 24)
		return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
	if (mimeType === "image/gif" && bytes.length >= 10)
		return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
	if (mimeType === "image/jpeg") {
		let offset = 2;
		while (offset + 9 < bytes.length) {
			if (bytes[offset] !== 0xff) return undefined;
			const marker = bytes[offset + 1] ?? 0;
			// SOF0..SOF15 except DHT (c4), JPG (c8) and DAC (cc) carry the frame size.
			if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
				return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
			}
			offset += 2 + bytes.readUInt16BE(offset + 2);
		}
	}
	return undefined;
}

/** pi's text stand-in for an image the terminal does not draw: `[Image: [image/png] 640x480]`. */
export function imagePlaceholder(image: ImageContent): string {
	const size = imageDimensions(image.data, image.mimeType);
	return `[Image: [${image.mimeType}]${size ? ` ${size.width}x${size.height}` : ""}]`;
}

/**
 * Text blocks joined, control sequences removed; images as placeholder lines unless the box draws them
 * (`imagesDrawn`: the terminal shows images and showImages is on).
 */
export function toolOutputText(result: ToolResultLike | undefined, imagesDrawn = false): string {
	if (!result) return "";
	const text = result.content
		.filter((block): block is TextContent => block.type === "text")
		.map((block) => clean(block.text))
		.join("\n");
	const images = imagesDrawn
		? []
		: result.content.filter((block): block is ImageContent => block.type === "image").map(imagePlaceholder);
	return [text, ...images].filter(Boolean).join("\n").replace(/\n+$/, "");
}

export { languageFromPath };

/** Highlighted lines when the language is known, otherwise the plain lines in the tool output colour. */
function codeLines(text: string, path: string | undefined): string[] {
	const language = path ? languageFromPath(path) : undefined;
	const highlighted = language ? highlightCode(text, language) : undefined;
	const lines = highlighted ?? text.split("\n").map((line) => fg("toolOutput", line));
	let end = lines.length;
	while (end > 0 && stripAnsi(lines[end - 1] ?? "") === "") end--;
	return lines.slice(0, end);
}

function expandHint(text: string, expandKeys: string): string {
	return `${fg("muted", text)} ${fg("dim", expandKeys)}${fg("muted", " to expand")})`;
}

function headLines(lines: string[], limit: number, expanded: boolean, hint: (hidden: number) => string): string[] {
	if (expanded || lines.length <= limit) return lines;
	return [...lines.slice(0, limit), hint(lines.length - limit)];
}

// ----------------------------------------------------------------- edit diff

const DIFF_LINE = /^([+\- ])(\s*\d*)\s(.*)$/;

function changedMiddle(before: string, after: string): { removed: string; added: string } {
	let start = 0;
	while (start < before.length && start < after.length && before[start] === after[start]) start++;
	let end = 0;
	while (
		end < before.length - start &&
		end < after.length - start &&
		before[before.length - 1 - end] === after[after.length - 1 - end]
	)
		end++;
	const mark = (text: string) => {
		const middle = text.slice(start, text.length - end);
		return middle ? `${text.slice(0, start)}\x1b[7m${middle}\x1b[27m${text.slice(text.length - end)}` : text;
	};
	return { removed: mark(before), added: mark(after) };
}

/** pi's diff colouring: context dim, removals red, additions green; a one-line change marks the changed part. */
export function renderDiffLines(diff: string): string[] {
	const lines = diff.split("\n");
	const out: string[] = [];
	let i = 0;
	const parse = (line: string | undefined) => (line === undefined ? undefined : DIFF_LINE.exec(line));
	while (i < lines.length) {
		const line = lines[i] ?? "";
		const match = parse(line);
		if (!match) {
			out.push(fg("toolDiffContext", line));
			i++;
			continue;
		}
		const [, sign, number = "", content = ""] = match;
		if (sign === "-") {
			const removed: { number: string; content: string }[] = [];
			const added: { number: string; content: string }[] = [];
			for (let m = parse(lines[i]); m && m[1] === "-"; m = parse(lines[++i]))
				removed.push({ number: m[2] ?? "", content: m[3] ?? "" });
			for (let m = parse(lines[i]); m && m[1] === "+"; m = parse(lines[++i]))
				added.push({ number: m[2] ?? "", content: m[3] ?? "" });
			const [onlyRemoved] = removed;
			const [onlyAdded] = added;
			if (removed.length === 1 && added.length === 1 && onlyRemoved && onlyAdded) {
				const marked = changedMiddle(onlyRemoved.content, onlyAdded.content);
				out.push(fg("toolDiffRemoved", `-${onlyRemoved.number} ${marked.removed}`));
				out.push(fg("toolDiffAdded", `+${onlyAdded.number} ${marked.added}`));
			} else {
				for (const r of removed) out.push(fg("toolDiffRemoved", `-${r.number} ${r.content}`));
				for (const a of added) out.push(fg("toolDiffAdded", `+${a.number} ${a.content}`));
			}
			continue;
		}
		out.push(
			sign === "+" ? fg("toolDiffAdded", `+${number} ${content}`) : fg("toolDiffContext", ` ${number} ${content}`),
		);
		i++;
	}
	return out;
}

// --------------------------------------------------------------- tool bodies

export interface BodyContext {
	toolName: string;
	args: Record<string, unknown>;
	result: ToolResultLike | undefined;
	partial: boolean;
	expanded: boolean;
	/** Effective keys of app.tools.expand, for the hints. */
	expandKeys: string;
	/** "Took 1.2s" / "Elapsed 3.0s" line of bash, when known. */
	timing?: string;
	/** The result's images are drawn under the box, so no placeholder lines. */
	imagesDrawn?: boolean;
}

function str(value: unknown): string | undefined {
	return typeof value === "string" ? value : undefined;
}

function truncationNotes(details: ToolDetails, tool: "read" | "bash"): string[] {
	const t = details.truncation;
	const notes: string[] = [];
	if (tool === "bash" && details.fullOutputPath) notes.push(`Full output: ${details.fullOutputPath}`);
	if (t?.truncated) {
		const kb = `${Math.round((t.maxBytes ?? 50 * 1024) / 1024)}KB`;
		if (tool === "read" && t.firstLineExceedsLimit) return [fg("warning", `[First line exceeds ${kb} limit]`)];
		if (t.truncatedBy === "lines") {
			notes.push(
				tool === "read"
					? `Truncated: showing ${t.outputLines} of ${t.totalLines} lines (${t.maxLines ?? 2000} line limit)`
					: `Truncated: showing ${t.outputLines} of ${t.totalLines} lines`,
			);
		} else notes.push(`Truncated: ${t.outputLines} lines shown (${kb} limit)`);
	}
	if (notes.length === 0) return [];
	return tool === "read" ? notes.map((note) => fg("warning", `[${note}]`)) : [fg("warning", `[${notes.join(". ")}]`)];
}

/** Body lines (before wrapping) of a finished or running tool box; [] when there is nothing under the header. */
export function toolBodyLines(ctx: BodyContext): string[] {
	const { toolName, args, result, expanded } = ctx;
	const path = str(args.path) ?? str(args.file_path);
	const isError = result?.isError === true;
	const output = toolOutputText(result, ctx.imagesDrawn);
	const details = toolDetails(result);
	if (isError) return output ? [fg("error", output)] : [];
	switch (toolName) {
		case "edit": {
			return details.diff ? renderDiffLines(details.diff) : [];
		}
		case "write": {
			const content = str(args.content);
			if (!content) return [];
			const lines = codeLines(clean(content), path);
			return headLines(lines, 10, expanded, (hidden) =>
				expandHint(`... (${hidden} more lines, ${lines.length} total,`, ctx.expandKeys),
			);
		}
		case "read": {
			if (!output) return [];
			const lines = headLines(codeLines(output, path), 10, expanded, (hidden) =>
				expandHint(`... (${hidden} more lines,`, ctx.expandKeys),
			);
			return [...lines, ...truncationNotes(details, "read")];
		}
		case "bash": {
			const body: string[] = [];
			const lines = output.trim()
				? output
						.trim()
						.split("\n")
						.map((line) => fg("toolOutput", line))
				: [];
			if (!expanded && lines.length > 5) {
				body.push(expandHint(`... (${lines.length - 5} earlier lines,`, ctx.expandKeys), ...lines.slice(-5));
			} else body.push(...lines);
			const notes = truncationNotes(details, "bash");
			if (notes.length > 0) body.push("", ...notes);
			if (ctx.timing) body.push("", fg("muted", ctx.timing));
			return body;
		}
		case "codemode": {
			const rows = nestedCallRows(result?.details).map((row) => fg("muted", row));
			const lines = output ? output.split("\n").map((line) => fg("toolOutput", line)) : [];
			const shown = headLines(lines, 20, expanded, (hidden) =>
				expandHint(`... (${hidden} more lines,`, ctx.expandKeys),
			);
			return rows.length > 0 && shown.length > 0 ? [...rows, "", ...shown] : [...rows, ...shown];
		}
		default: {
			if (!output) return [];
			const limit = toolName === "grep" ? 15 : 20;
			const lines = output.split("\n").map((line) => fg("toolOutput", line));
			return headLines(lines, limit, expanded, (hidden) => expandHint(`... (${hidden} more lines,`, ctx.expandKeys));
		}
	}
}
