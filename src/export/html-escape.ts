/** Everything from a session file is untrusted: it only reaches the page through these. */

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes text for element content and for quoted attribute values. */
export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (ch) => ENTITIES[ch] ?? ch);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>`, `&` and the JS line separators are written as
 * \u escapes so that no string in the data can close the script element.
 */
export function jsonForScript(value: unknown): string {
	return JSON.stringify(value).replace(
		/[<>&\u2028\u2029]/g,
		(ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
	);
}

/** Only these URL schemes become links; anything else (javascript:, data:, …) stays plain text. */
export function isSafeUrl(url: string): boolean {
	return /^(https?:|mailto:)/i.test(url.trim());
}

/** Image data from a session becomes a data: URL only when the MIME type is an image type and the data is base64. */
export function imageDataUrl(mimeType: string, data: string): string | undefined {
	if (!/^image\/[a-z0-9.+-]+$/i.test(mimeType)) return undefined;
	if (!/^[A-Za-z0-9+/=\s]*$/.test(data)) return undefined;
	return `data:${mimeType};base64,${data.replace(/\s/g, "")}`;
}
