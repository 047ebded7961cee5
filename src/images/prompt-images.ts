/**
 * Images attached to a prompt (@file, pasted, RPC `images`), processed as pi 1.6.0's AgentSession does before the
 * message is sent and saved: each one shrunk to the inline limits or dropped, and the notes (coordinate mapping,
 * conversion, "[Image omitted …]") appended to the prompt text after a blank line.
 */
import type { ImageContent } from "../ai/types.ts";
import type { ImageResizeOptions } from "./resize-core.ts";

export interface PromptImages {
	images: ImageContent[] | undefined;
	/** Appended to the prompt text, one per line, after a blank line. */
	hints: string[];
}

export async function preparePromptImages(
	images: readonly ImageContent[] | undefined,
	autoResize: boolean,
	resizeOptions?: ImageResizeOptions,
): Promise<PromptImages> {
	if (!images?.length) return { images: images ? [] : undefined, hints: [] };
	const { processImage } = await import("./process.ts");
	const kept: ImageContent[] = [];
	const hints: string[] = [];
	for (const image of images) {
		const processed = await processImage(Buffer.from(image.data, "base64"), image.mimeType, {
			autoResize,
			resizeOptions,
		});
		if (!processed.ok) {
			hints.push(processed.message);
			continue;
		}
		kept.push({ type: "image", data: processed.data, mimeType: processed.mimeType });
		hints.push(...processed.hints);
	}
	return { images: kept, hints };
}

/** The prompt text with the image notes after it (unchanged without notes). */
export function withImageHints(text: string, hints: readonly string[]): string {
	return hints.length > 0 ? `${text}\n\n${hints.join("\n")}` : text;
}
