/**
 * Worker thread for image shrinking: Photon's decode/resize/encode takes seconds on a large photo, which must not
 * freeze the terminal, and its WebAssembly memory (hundreds of MB for big images) is returned to the system when
 * the worker ends. In the compiled binary this file is its own entry point (build.ts).
 */
import * as v from "valibot";
import { resizeImageHere } from "./resize-core.ts";

declare const self: Worker;

const RESIZE_REPLY = "pi:image-resize-reply";

const Request = v.object({
	bytes: v.instance(Uint8Array),
	mimeType: v.string(),
	options: v.optional(
		v.object({
			maxWidth: v.optional(v.number()),
			maxHeight: v.optional(v.number()),
			maxBytes: v.optional(v.number()),
			jpegQuality: v.optional(v.number()),
		}),
	),
});

self.onmessage = async (event: MessageEvent) => {
	try {
		const request = v.parse(Request, event.data);
		const result = await resizeImageHere(request.bytes, request.mimeType, request.options);
		self.postMessage({ type: RESIZE_REPLY, result });
	} catch (error) {
		self.postMessage({ type: RESIZE_REPLY, error: error instanceof Error ? error.message : String(error) });
	}
};
