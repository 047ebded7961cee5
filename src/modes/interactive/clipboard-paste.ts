/**
 * Ctrl+V (Alt+V on Windows), as pi 0.73.1: the clipboard image is saved as <tmpdir>/pi-clipboard-<uuid>.<ext>
 * and its path typed into the editor; the model then reads the file with its tools.
 */
import { randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errorMessage } from "../../util/errors.ts";
import { type ClipboardResult, extensionForImageType, readClipboardImage } from "./clipboard-image.ts";

/** The saved file, or why there is none: a status line (nothing to paste) or an error (the save failed). */
export type PasteOutcome =
	| { kind: "saved"; path: string }
	| { kind: "status"; message: string }
	| { kind: "error"; message: string };

/** pi ignores a failed paste silently; a status line says why nothing happened. */
function clipboardProblem(result: Extract<ClipboardResult, { ok: false }>): string {
	switch (result.reason) {
		case "no-tool":
			// wl-paste comes in the wl-clipboard package.
			return `Cannot read images from the clipboard: install ${result.tools.map((tool) => (tool === "wl-paste" ? "wl-clipboard" : tool)).join(" or ")}`;
		case "unsupported":
			return "Pasting images from the clipboard is not supported on this platform";
		default:
			return "No image in clipboard";
	}
}

export async function saveClipboardImage(): Promise<PasteOutcome> {
	let result: ClipboardResult;
	try {
		result = await readClipboardImage({ env: process.env, platform: process.platform });
	} catch {
		result = { ok: false, reason: "no-image", tools: [] };
	}
	if (!result.ok) return { kind: "status", message: clipboardProblem(result) };
	const extension = extensionForImageType(result.image.mimeType) ?? "png";
	const path = join(tmpdir(), `pi-clipboard-${randomUUID()}.${extension}`);
	try {
		writeFileSync(path, result.image.bytes);
	} catch (error) {
		const reason = errorMessage(error);
		return { kind: "error", message: `Could not save the pasted image: ${reason}` };
	}
	return { kind: "saved", path };
}
