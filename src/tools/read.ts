/** The `read` tool (pi-spec §6.2): text with head truncation and continuation hints, or an image attachment. */
import { constants } from "node:fs";
import { access, open, readFile } from "node:fs/promises";
import * as v from "valibot";
import type { AgentTool } from "../agent/types.ts";
import type { ImageContent, TextContent } from "../ai/types.ts";
import type { ImageResizeOptions } from "../images/resize-core.ts";
import { IMAGE_SNIFF_BYTES, sniffImageMimeType } from "../util/image-mime.ts";
import { lazySchema } from "../util/lazy-schema.ts";
import { runAbortable } from "./abortable.ts";
import { assertReadableAsFile } from "./file-kind.ts";
import { resolveReadPath } from "./path-utils.ts";
import { READ_SPEC } from "./schemas.ts";
import { argumentParser, vNumber, vObject, vString } from "./tool-args.ts";
import { DEFAULT_MAX_BYTES, formatSize, type TruncationResult, truncateHead, utf8Length } from "./truncate.ts";

const readArgsSchema = lazySchema(() =>
	vObject({ path: vString(), offset: v.optional(vNumber()), limit: v.optional(vNumber()) }),
);
export type ReadArgs = v.InferOutput<typeof readArgsSchema>;
export interface ReadDetails {
	truncation?: TruncationResult;
}

async function sniffFile(path: string) {
	const handle = await open(path, "r");
	try {
		const buffer = new Uint8Array(IMAGE_SNIFF_BYTES);
		const { bytesRead } = await handle.read(buffer, 0, IMAGE_SNIFF_BYTES, 0);
		return sniffImageMimeType(buffer.subarray(0, bytesRead));
	} catch {
		// Directories and unreadable special files: let the text path report the OS error.
		return undefined;
	} finally {
		await handle.close();
	}
}

/** pi 1.6.0: shrunk to the inline limits with a coordinate note, or pi's "[Image omitted …]" note instead. */
async function readImage(
	path: string,
	mimeType: string,
	autoResize: boolean,
	resizeOptions: ImageResizeOptions | undefined,
): Promise<(TextContent | ImageContent)[]> {
	const { processImage } = await import("../images/process.ts");
	const processed = await processImage(await readFile(path), mimeType, { autoResize, resizeOptions });
	if (!processed.ok) return [{ type: "text", text: `Read image file [${mimeType}]\n${processed.message}` }];
	const notes = processed.hints.map((hint) => `\n${hint}`).join("");
	return [
		{ type: "text", text: `Read image file [${processed.mimeType}]${notes}` },
		{ type: "image", data: processed.data, mimeType: processed.mimeType },
	];
}

/** Select lines [offset, offset+limit), truncate, and add the notice that tells the model how to continue. */
function formatTextRead(
	text: string,
	displayPath: string,
	offset: number | undefined,
	limit: number | undefined,
): { text: string; details?: ReadDetails } {
	const allLines = text.split("\n");
	const startLine = offset ? Math.max(0, offset - 1) : 0;
	const firstShown = startLine + 1;
	if (startLine >= allLines.length) {
		throw new Error(`Offset ${offset} is beyond end of file (${allLines.length} lines total)`);
	}
	const endLine = limit !== undefined ? Math.min(startLine + limit, allLines.length) : allLines.length;
	const truncation = truncateHead(allLines.slice(startLine, endLine).join("\n"));

	if (truncation.firstLineExceedsLimit) {
		const size = formatSize(utf8Length(allLines[startLine] ?? ""));
		return {
			text: `[Line ${firstShown} is ${size}, exceeds ${formatSize(DEFAULT_MAX_BYTES)} limit. Use bash: sed -n '${firstShown}p' ${displayPath} | head -c ${DEFAULT_MAX_BYTES}]`,
			details: { truncation },
		};
	}
	if (truncation.truncated) {
		const lastShown = firstShown + truncation.outputLines - 1;
		const limitNote = truncation.truncatedBy === "lines" ? "" : ` (${formatSize(DEFAULT_MAX_BYTES)} limit)`;
		return {
			text: `${truncation.content}\n\n[Showing lines ${firstShown}-${lastShown} of ${allLines.length}${limitNote}. Use offset=${lastShown + 1} to continue.]`,
			details: { truncation },
		};
	}
	if (limit !== undefined && endLine < allLines.length) {
		const remaining = allLines.length - endLine;
		return {
			text: `${truncation.content}\n\n[${remaining} more lines in file. Use offset=${endLine + 1} to continue.]`,
		};
	}
	return { text: truncation.content };
}

export function createReadTool(
	cwd: string,
	options: {
		autoResizeImages?: boolean;
		/** The current model's image limits (models.json `inputLimits.images.resize`), read at each call. */
		imageResizeOptions?: () => ImageResizeOptions | undefined;
	} = {},
): AgentTool<ReadArgs, ReadDetails | undefined> {
	const autoResize = options.autoResizeImages ?? true;
	return {
		...READ_SPEC,
		label: "read",
		parseArgs: argumentParser(READ_SPEC.name, READ_SPEC.parameters, readArgsSchema),
		execute: (_id, { path, offset, limit }, signal) =>
			runAbortable(signal, async () => {
				const absolutePath = resolveReadPath(path, cwd);
				await access(absolutePath, constants.R_OK);
				await assertReadableAsFile(absolutePath, path);
				const mimeType = await sniffFile(absolutePath);
				if (mimeType) {
					const content = await readImage(absolutePath, mimeType, autoResize, options.imageResizeOptions?.());
					return { content, details: undefined };
				}
				// Binary files are decoded like pi does: lossy UTF-8, replacement characters included.
				const text = (await readFile(absolutePath)).toString("utf-8");
				const result = formatTextRead(text, path, offset, limit);
				return { content: [{ type: "text", text: result.text }], details: result.details };
			}),
	};
}
