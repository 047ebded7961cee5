/**
 * MCP tool results as the model sees them (docs/mcp.md): text and images pass through, embedded text resources
 * become text, image resources images, other binary resources are saved to a temp file whose path the model gets,
 * resource links name `read_mcp_resource`, audio is a placeholder. Text over 20 KB keeps its start and end around a
 * `…N chars truncated…` marker (Codex's format) and the full text is saved to a temp file. Codemode scripts get the
 * complete `CallToolResult` instead (`structuredContent` of the tool result), never truncated.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ImageContent, TextContent } from "../ai/types.ts";
import { formatSize } from "../tools/truncate.ts";
import { errorMessage } from "../util/errors.ts";
import { READ_RESOURCE_TOOL } from "./naming.ts";

/** Model-facing text of one result beyond this is cut in the middle. */
export const MCP_OUTPUT_MAX_BYTES = 20 * 1024;

type ModelContent = TextContent | ImageContent;

/** The content blocks MCP servers send, as far as we read them; unknown fields are ignored. */
export type McpContentBlock =
	| { type: "text"; text: string }
	| { type: "image"; data: string; mimeType: string }
	| { type: "audio"; data: string; mimeType: string }
	| {
			type: "resource_link";
			uri: string;
			name: string;
			title?: string;
			description?: string;
			mimeType?: string;
			size?: number;
	  }
	| {
			type: "resource";
			resource: { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string };
	  };

/** Writes a file only the user can read into the temp folder and returns its path (`pi-mcp-<hex><ext>`). */
export async function saveOutputFile(prefix: string, extension: string, data: string | Uint8Array): Promise<string> {
	const path = join(tmpdir(), `${prefix}-${randomBytes(8).toString("hex")}${extension}`);
	// `wx`: never follow a link someone else placed at the path.
	await writeFile(path, data, { mode: 0o600, flag: "wx" });
	return path;
}

function extensionOf(uri: string): string {
	const path = URL.canParse(uri) ? new URL(uri).pathname : uri;
	return /\.[A-Za-z0-9]{1,8}$/.exec(path)?.[0] ?? ".bin";
}

function isTextMime(mimeType: string | undefined): boolean {
	const type = (mimeType ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
	return type.startsWith("text/") || type === "application/json" || type.endsWith("+json") || type.endsWith("+xml");
}

export interface ConvertOptions {
	/** Whether `read_mcp_resource` can read this server's resources (resource links then name it). */
	readableResources?: boolean;
}

async function blockToContent(
	server: string,
	block: McpContentBlock,
	options: ConvertOptions,
): Promise<ModelContent[]> {
	switch (block.type) {
		case "text":
			return [{ type: "text", text: block.text }];
		case "image":
			return [{ type: "image", data: block.data, mimeType: block.mimeType }];
		case "audio":
			return [{ type: "text", text: `[audio ${block.mimeType} omitted]` }];
		case "resource_link": {
			const facts = [block.mimeType, block.size === undefined ? undefined : formatSize(block.size)].filter(Boolean);
			const about = block.description ? `: ${block.description}` : "";
			const read = options.readableResources ? `. Read it with ${READ_RESOURCE_TOOL} (server "${server}")` : "";
			const text = `[Resource ${block.uri} "${block.title ?? block.name}"${facts.length ? ` (${facts.join(", ")})` : ""}${about}${read}]`;
			return [{ type: "text", text }];
		}
		case "resource":
			return resourceToContent(block.resource);
	}
}

/** One resource's contents (embedded in a result, or read with read_mcp_resource) for the model. */
export async function resourceToContent(
	resource: { uri: string; mimeType?: string; text: string } | { uri: string; mimeType?: string; blob: string },
): Promise<ModelContent[]> {
	if ("text" in resource) return [{ type: "text", text: resource.text }];
	const { uri, mimeType, blob } = resource;
	if (mimeType?.startsWith("image/")) return [{ type: "image", data: blob, mimeType }];
	const data = Buffer.from(blob, "base64");
	if (isTextMime(mimeType)) return [{ type: "text", text: data.toString("utf8") }];
	const kind = `${mimeType ?? "unknown type"}, ${formatSize(data.length)}`;
	try {
		const path = await saveOutputFile("pi-mcp", extensionOf(uri), data);
		return [{ type: "text", text: `[Binary resource ${uri} (${kind}) saved to ${path}]` }];
	} catch (error) {
		return [{ type: "text", text: `[Binary resource ${uri} (${kind}) could not be saved: ${errorMessage(error)}]` }];
	}
}

interface MiddleCut {
	text: string;
	totalBytes: number;
	totalLines: number;
}

/** Keep half of `maxBytes` from each end, cut at character boundaries; undefined when the text fits. */
export function cutMiddle(text: string, maxBytes: number): MiddleCut | undefined {
	const bytes = Buffer.from(text, "utf8");
	if (bytes.length <= maxBytes) return undefined;
	const startsCharacter = (index: number) => index >= bytes.length || ((bytes[index] ?? 0) & 0xc0) !== 0x80;
	let headEnd = Math.floor(maxBytes / 2);
	while (headEnd > 0 && !startsCharacter(headEnd)) headEnd--;
	let tailStart = bytes.length - (maxBytes - Math.floor(maxBytes / 2));
	while (tailStart < bytes.length && !startsCharacter(tailStart)) tailStart++;
	const removed = [...bytes.subarray(headEnd, tailStart).toString("utf8")].length;
	const head = bytes.subarray(0, headEnd).toString("utf8");
	const end = bytes.subarray(tailStart).toString("utf8");
	const totalLines = text.split("\n").length - (text.endsWith("\n") ? 1 : 0);
	return { text: `${head}…${removed} chars truncated…${end}`, totalBytes: bytes.length, totalLines };
}

/** Keep the model-facing text within {@link MCP_OUTPUT_MAX_BYTES}; the full text goes to a temp file. */
export async function limitContent(
	content: ModelContent[],
): Promise<{ content: ModelContent[]; fullOutputPath?: string }> {
	const combined = content.flatMap((block) => (block.type === "text" ? [block.text] : [])).join("\n");
	const cut = cutMiddle(combined, MCP_OUTPUT_MAX_BYTES);
	if (!cut) return { content };
	let fullOutputPath: string | undefined;
	let where: string;
	try {
		fullOutputPath = await saveOutputFile("pi-mcp", ".txt", combined);
		where = `\n\n[Full output: ${fullOutputPath} (read it with offset/limit)]`;
	} catch (error) {
		where = `\n\n[Could not save the full output: ${errorMessage(error)}]`;
	}
	const text = `Warning: truncated output (original token count: ${Math.ceil(cut.totalBytes / 4)})\nTotal output lines: ${cut.totalLines}\n\n${cut.text}${where}`;
	const images = content.filter((block) => block.type === "image");
	return { content: [{ type: "text", text }, ...images], ...(fullOutputPath ? { fullOutputPath } : {}) };
}

export interface McpCallResult {
	content: McpContentBlock[];
	structuredContent?: unknown;
	isError?: boolean;
}

/** Model-facing content of a result: its blocks, or its structured content as JSON when it sent no blocks. */
export async function resultToContent(
	server: string,
	tool: string,
	result: McpCallResult,
	options: ConvertOptions = {},
): Promise<{ content: ModelContent[]; fullOutputPath?: string }> {
	const converted: ModelContent[] =
		result.content.length > 0
			? (await Promise.all(result.content.map((block) => blockToContent(server, block, options)))).flat()
			: result.structuredContent !== undefined
				? [{ type: "text", text: JSON.stringify(result.structuredContent, null, 2) }]
				: [];
	if (result.isError && !converted.some((block) => block.type === "text" && block.text !== "")) {
		converted.push({ type: "text", text: `MCP tool ${server}/${tool} returned an error` });
	}
	return limitContent(converted);
}
