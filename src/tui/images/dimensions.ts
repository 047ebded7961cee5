/** Pixel size of PNG, JPEG, GIF and WebP images, read from their headers (no decoding). */
import type { ImageDimensions } from "./terminal-image.ts";

export function imageDimensions(data: Uint8Array, mimeType: string): ImageDimensions | undefined {
	switch (mimeType.toLowerCase()) {
		case "image/png":
			return pngDimensions(data);
		case "image/jpeg":
		case "image/jpg":
			return jpegDimensions(data);
		case "image/gif":
			return gifDimensions(data);
		case "image/webp":
			return webpDimensions(data);
		default:
			return pngDimensions(data) ?? jpegDimensions(data) ?? gifDimensions(data) ?? webpDimensions(data);
	}
}

export function imageDimensionsFromBase64(base64: string, mimeType: string): ImageDimensions | undefined {
	// Headers sit at the start, except JPEG's frame header, which may follow large metadata segments.
	const head = mimeType.toLowerCase().includes("jp") ? base64 : base64.slice(0, 64);
	return imageDimensions(Buffer.from(head, "base64"), mimeType);
}

function view(data: Uint8Array): DataView {
	return new DataView(data.buffer, data.byteOffset, data.byteLength);
}

function ascii(data: Uint8Array, start: number, end: number): string {
	return String.fromCharCode(...data.subarray(start, end));
}

function valid(widthPx: number, heightPx: number): ImageDimensions | undefined {
	return widthPx > 0 && heightPx > 0 ? { widthPx, heightPx } : undefined;
}

/** Signature, then the IHDR chunk: width and height as big-endian 32-bit at 16 and 20. */
function pngDimensions(data: Uint8Array): ImageDimensions | undefined {
	if (data.length < 24 || data[0] !== 0x89 || ascii(data, 1, 4) !== "PNG") return undefined;
	const dv = view(data);
	return valid(dv.getUint32(16), dv.getUint32(20));
}

/** Walks the segments to the first start-of-frame marker (SOF0..SOF15 except DHT, JPG and DAC). */
function jpegDimensions(data: Uint8Array): ImageDimensions | undefined {
	if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) return undefined;
	const dv = view(data);
	let offset = 2;
	while (offset + 9 < data.length) {
		if (data[offset] !== 0xff) {
			offset++;
			continue;
		}
		const marker = data[offset + 1] ?? 0;
		if (marker === 0xff) {
			offset++; // fill byte
			continue;
		}
		const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
		if (isFrame) return valid(dv.getUint16(offset + 7), dv.getUint16(offset + 5));
		// Markers without a length field.
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			offset += 2;
			continue;
		}
		const length = dv.getUint16(offset + 2);
		if (length < 2) return undefined;
		offset += 2 + length;
	}
	return undefined;
}

/** Logical screen width and height, little-endian 16-bit after the signature. */
function gifDimensions(data: Uint8Array): ImageDimensions | undefined {
	if (data.length < 10) return undefined;
	const signature = ascii(data, 0, 6);
	if (signature !== "GIF87a" && signature !== "GIF89a") return undefined;
	const dv = view(data);
	return valid(dv.getUint16(6, true), dv.getUint16(8, true));
}

/** RIFF container; the first chunk is lossy (VP8), lossless (VP8L) or extended (VP8X). */
function webpDimensions(data: Uint8Array): ImageDimensions | undefined {
	if (data.length < 30 || ascii(data, 0, 4) !== "RIFF" || ascii(data, 8, 12) !== "WEBP") return undefined;
	const dv = view(data);
	const chunk = ascii(data, 12, 16);
	if (chunk === "VP8 ") return valid(dv.getUint16(26, true) & 0x3fff, dv.getUint16(28, true) & 0x3fff);
	if (chunk === "VP8L") {
		const bits = dv.getUint32(21, true);
		return valid((bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
	}
	if (chunk === "VP8X") {
		const width = 1 + ((data[24] ?? 0) | ((data[25] ?? 0) << 8) | ((data[26] ?? 0) << 16));
		const height = 1 + ((data[27] ?? 0) | ((data[28] ?? 0) << 8) | ((data[29] ?? 0) << 16));
		return valid(width, height);
	}
	return undefined;
}
