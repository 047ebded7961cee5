/**
 * `@file` arguments and piped stdin become the first prompt (pi-spec §1.6): text files are inlined in
 * `<file name="…">` tags, images are attached (BMP converted to PNG, as pi 1.6.0; a conversion note or pi's
 * "[Image omitted …]" note goes in the tag). Shrinking to the inline limits happens when the prompt is sent.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import type { ImageContent } from "../ai/types.ts";
import { resolveReadPath } from "../tools/path-utils.ts";
import { errorMessage, FileError } from "../util/errors.ts";
import { sniffImageMimeType } from "../util/image-mime.ts";
import { stripBom } from "../util/text-file.ts";

export interface FileArguments {
	text: string;
	images: ImageContent[];
}

export async function processFileArguments(fileArgs: string[], cwd: string): Promise<FileArguments> {
	let text = "";
	const images: ImageContent[] = [];
	for (const arg of fileArgs) {
		const path = resolve(resolveReadPath(arg, cwd));
		let size: number;
		try {
			size = statSync(path).size;
		} catch {
			throw new FileError(`File not found: ${path}`);
		}
		if (size === 0) continue;
		let bytes: Buffer;
		try {
			bytes = readFileSync(path);
		} catch (error) {
			throw new FileError(`Could not read file ${path}: ${errorMessage(error)}`);
		}
		const mimeType = sniffImageMimeType(bytes);
		if (mimeType) {
			const { processImage } = await import("../images/process.ts");
			// Like pi 1.6.0, shrinking waits for the prompt (AgentSession), whose notes then end the message.
			const processed = await processImage(bytes, mimeType, { autoResize: false });
			if (!processed.ok) {
				text += `<file name="${path}">${processed.message}</file>\n`;
				continue;
			}
			// pi 1.6.0's key order: data before mimeType.
			images.push({ type: "image", data: processed.data, mimeType: processed.mimeType });
			text += `<file name="${path}">${processed.hints.join("\n")}</file>\n`;
		} else {
			// A leading byte-order mark (Windows editors) is dropped, as pi 1.6.0 does.
			text += `<file name="${path}">\n${stripBom(bytes.toString("utf8"))}\n</file>\n`;
		}
	}
	return { text, images };
}

/**
 * stdin text (trimmed, as pi reads it), then the @file text, then the first message, concatenated with nothing
 * in between; the rest stay separate prompts.
 */
export function buildInitialMessage(
	messages: string[],
	files: FileArguments,
	stdin: string | undefined,
): { initialMessage?: string; initialImages?: ImageContent[]; remaining: string[] } {
	const [first, ...remaining] = messages;
	const parts = [stdin?.trim() || undefined, files.text || undefined, first].filter(
		(part): part is string => part !== undefined,
	);
	return {
		initialMessage: parts.length > 0 ? parts.join("") : undefined,
		initialImages: files.images.length > 0 ? files.images : undefined,
		remaining,
	};
}
