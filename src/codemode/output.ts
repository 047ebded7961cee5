/**
 * The codemode tool result, laid out as pi 1.6.0 does (docs/codemode.md): a `Script completed`/`Script failed`
 * header with the wall time, then text and image items in order (with several text items each starts with
 * `==> text N/M <==`), then one `<console_output>` block. Output over `max_output_tokens` (×4 characters) keeps its
 * start and end and the full text goes to a temp file. Every image is also saved to a temp file named before it.
 */
import type { ImageContent, TextContent } from "../ai/types.ts";
import { saveOutputFile } from "../mcp/results.ts";
import { errorMessage } from "../util/errors.ts";
import type { OutputItem } from "./protocol.ts";

type Content = TextContent | ImageContent;

export const DEFAULT_MAX_OUTPUT_TOKENS = 10_000;
const CHARS_PER_TOKEN = 4;

/** Text items numbered when there are several; console lines gathered at the end. */
export function layoutOutput(items: readonly OutputItem[]): Content[] {
	const total = items.filter((item) => item.type === "text" && !item.console).length;
	const laidOut: Content[] = [];
	const consoleLines: string[] = [];
	let index = 0;
	for (const item of items) {
		if (item.type === "image") laidOut.push(item);
		else if (item.console) consoleLines.push(item.text);
		else {
			index++;
			laidOut.push({ type: "text", text: total > 1 ? `==> text ${index}/${total} <==\n${item.text}` : item.text });
		}
	}
	if (consoleLines.length > 0)
		laidOut.push({ type: "text", text: `<console_output>\n${consoleLines.join("\n")}\n</console_output>` });
	return laidOut;
}

/** Adjacent text items joined into one, each starting on its own line (parts are joined once: no quadratic copying). */
export function joinText(items: readonly Content[]): Content[] {
	const joined: Content[] = [];
	let parts: string[] = [];
	let last = "";
	const flush = () => {
		if (parts.length > 0) joined.push({ type: "text", text: parts.join("") });
		parts = [];
		last = "";
	};
	for (const item of items) {
		if (item.type !== "text") {
			flush();
			joined.push(item);
			continue;
		}
		if (last !== "" && !last.endsWith("\n")) parts.push("\n");
		parts.push(item.text);
		if (item.text !== "") last = item.text;
	}
	flush();
	return joined;
}

/** Keep the text within the token budget: start and end kept, full text saved. Images move after the text. */
export async function limitOutput(
	items: Content[],
	maxTokens: number,
): Promise<{ items: Content[]; fullOutputPath?: string }> {
	const text = items.flatMap((item) => (item.type === "text" ? [item.text] : [])).join("\n");
	const maxChars = maxTokens * CHARS_PER_TOKEN;
	if (text.length <= maxChars) return { items };
	let fullOutputPath: string | undefined;
	let where: string;
	try {
		fullOutputPath = await saveOutputFile("pi-codemode", ".txt", text);
		where = `[Full output: ${fullOutputPath}]`;
	} catch (error) {
		where = `[Could not save the full output: ${errorMessage(error)}]`;
	}
	const head = text.slice(0, Math.floor(maxChars / 2));
	const tail = text.slice(text.length - Math.ceil(maxChars / 2));
	const cut = `${head}\n…${text.length - head.length - tail.length} chars truncated…\n${tail}\n${where}`;
	return {
		items: [{ type: "text", text: cut }, ...items.filter((item) => item.type === "image")],
		...(fullOutputPath ? { fullOutputPath } : {}),
	};
}

const EXTENSIONS: Record<string, string> = {
	"image/png": ".png",
	"image/jpeg": ".jpg",
	"image/gif": ".gif",
	"image/webp": ".webp",
};

/** Each image is saved to a temp file, and a line naming the path goes right before it. */
export async function saveImages(items: Content[]): Promise<Content[]> {
	const saved: Content[] = [];
	for (const item of items) {
		if (item.type !== "image") {
			saved.push(item);
			continue;
		}
		try {
			const path = await saveOutputFile(
				"pi-codemode",
				EXTENSIONS[item.mimeType] ?? ".img",
				Buffer.from(item.data, "base64"),
			);
			saved.push({ type: "text", text: `[Image saved to ${path}]` });
		} catch (error) {
			saved.push({ type: "text", text: `[Image could not be saved: ${errorMessage(error)}]` });
		}
		saved.push(item);
	}
	return saved;
}
