/**
 * Shrinks an image to pi's inline limits (resize-core.ts) in a worker thread, so the terminal stays responsive and
 * the memory is given back afterwards; in this thread when no worker can be started.
 */
import { pathToFileURL } from "node:url";
import * as v from "valibot";
import { debugLog } from "../util/debug-log.ts";
import { errorMessage } from "../util/errors.ts";
import { type ImageResizeOptions, type ResizedImage, resizeImageHere } from "./resize-core.ts";

export { formatDimensionNote, type ImageResizeOptions, type ResizedImage } from "./resize-core.ts";

const Reply = v.union([
	v.object({
		type: v.literal("pi:image-resize-reply"),
		result: v.nullable(
			v.object({
				data: v.string(),
				mimeType: v.string(),
				originalWidth: v.number(),
				originalHeight: v.number(),
				width: v.number(),
				height: v.number(),
				wasResized: v.boolean(),
			}),
		),
	}),
	v.object({ type: v.literal("pi:image-resize-reply"), error: v.string() }),
]);

/**
 * From the sources the worker is next to this file. In the compiled binary this module sits in a bundle chunk, and
 * the worker entry is `images/resize-worker.ts` under the folder of the main entry (src/).
 */
function workerUrl(): URL {
	const compiled = import.meta.url.includes("$bunfs") || import.meta.url.includes("~BUN");
	return compiled
		? new URL("./images/resize-worker.ts", pathToFileURL(Bun.main))
		: new URL("./resize-worker.ts", import.meta.url);
}

function resizeInWorker(
	bytes: Uint8Array,
	mimeType: string,
	options?: ImageResizeOptions,
): Promise<ResizedImage | null> {
	const worker = new Worker(workerUrl());
	return new Promise<ResizedImage | null>((resolve, reject) => {
		worker.onmessage = (event: MessageEvent) => {
			const reply = v.safeParse(Reply, event.data);
			if (!reply.success) return; // not ours
			if ("error" in reply.output) reject(new Error(reply.output.error));
			else resolve(reply.output.result);
		};
		worker.onerror = (event) => reject(new Error(event.message));
		worker.addEventListener("close", () => reject(new Error("image worker stopped")));
		// A copy: the caller keeps its bytes.
		worker.postMessage({ bytes: new Uint8Array(bytes), mimeType, options });
	}).finally(() => worker.terminate());
}

/** Null when the image cannot be decoded or made to fit under the size limit. */
export async function resizeImage(
	bytes: Uint8Array,
	mimeType: string,
	options?: ImageResizeOptions,
): Promise<ResizedImage | null> {
	try {
		return await resizeInWorker(bytes, mimeType, options);
	} catch (error) {
		debugLog("image_resize_worker_failed", { error: errorMessage(error) });
		return resizeImageHere(bytes, mimeType, options);
	}
}
