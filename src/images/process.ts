/**
 * What happens to an image before it goes to the model, as pi 1.6.0's processImage: BMP is converted to PNG;
 * with `images.autoResize` (default on) it is shrunk to the inline limits (resize.ts) and the model is told the
 * original size; when that is impossible the image is replaced by pi's "[Image omitted …]" note.
 * Used for read-tool images, @file attachments and images pasted or sent over RPC.
 */
import { uprightImage } from "./exif-orientation.ts";
import { loadPhoton } from "./photon.ts";
import { formatDimensionNote, type ImageResizeOptions, resizeImage } from "./resize.ts";

export type ProcessedImage =
	| { ok: true; data: string; mimeType: string; hints: string[] }
	| { ok: false; message: string };

const DIRECTLY_SUPPORTED: Record<string, string> = {
	"image/png": "image/png",
	"image/jpeg": "image/jpeg",
	"image/jpg": "image/jpeg",
	"image/gif": "image/gif",
	"image/webp": "image/webp",
};

function baseMimeType(mimeType: string): string {
	return (mimeType.split(";")[0] ?? mimeType).trim().toLowerCase();
}

/** Any format Photon decodes (BMP, …) as PNG bytes; null when it does not decode. */
async function convertToPng(bytes: Uint8Array): Promise<Uint8Array | null> {
	const photon = await loadPhoton();
	if (!photon) return null;
	try {
		const decoded = photon.PhotonImage.new_from_byteslice(bytes);
		const image = uprightImage(photon, decoded, bytes);
		if (image !== decoded) decoded.free();
		try {
			return new Uint8Array(image.get_bytes());
		} finally {
			image.free();
		}
	} catch {
		return null;
	}
}

export async function processImage(
	bytes: Uint8Array,
	mimeType: string,
	options: { autoResize?: boolean; resizeOptions?: ImageResizeOptions } = {},
): Promise<ProcessedImage> {
	let input = bytes;
	let type = DIRECTLY_SUPPORTED[baseMimeType(mimeType)];
	let convertedFrom: string | undefined;
	if (!type) {
		const png = await convertToPng(bytes);
		if (!png)
			return { ok: false, message: "[Image omitted: could not be converted to a supported inline image format.]" };
		input = png;
		type = "image/png";
		convertedFrom = baseMimeType(mimeType);
	}
	const conversionNote = (to: string) =>
		convertedFrom && convertedFrom !== to ? [`[Image converted from ${convertedFrom} to ${to}.]`] : [];

	if (options.autoResize ?? true) {
		const resized = await resizeImage(input, type, options.resizeOptions);
		if (!resized)
			return { ok: false, message: "[Image omitted: could not be resized below the inline image size limit.]" };
		const dimensions = formatDimensionNote(resized);
		return {
			ok: true,
			data: resized.data,
			mimeType: resized.mimeType,
			hints: [...conversionNote(resized.mimeType), ...(dimensions ? [dimensions] : [])],
		};
	}
	return { ok: true, data: Buffer.from(input).toString("base64"), mimeType: type, hints: conversionNote(type) };
}
