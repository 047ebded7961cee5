/**
 * Which files are images, judged by their first bytes (never by name) with pi 1.6.0's rules: JPEG (not JPEG-LS),
 * PNG with a real IHDR header and no animation (APNG is sent as text, as pi does), GIF, WebP, and BMP (converted to
 * PNG before sending). Anything else — including a file that merely starts with a PNG signature — is text.
 */
export type ImageMimeType = "image/jpeg" | "image/png" | "image/gif" | "image/webp" | "image/bmp";

/** Enough leading bytes to recognise every format (and to find an APNG's acTL chunk before its image data). */
export const IMAGE_SNIFF_BYTES = 4100;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function ascii(bytes: Uint8Array, at: number, text: string): boolean {
	if (bytes.length < at + text.length) return false;
	for (let i = 0; i < text.length; i++) if (bytes[at + i] !== text.charCodeAt(i)) return false;
	return true;
}

function u32be(bytes: Uint8Array, at: number): number {
	return (
		(bytes[at] ?? 0) * 0x1000000 + ((bytes[at + 1] ?? 0) << 16) + ((bytes[at + 2] ?? 0) << 8) + (bytes[at + 3] ?? 0)
	);
}

function u32le(bytes: Uint8Array, at: number): number {
	return (
		(bytes[at] ?? 0) + ((bytes[at + 1] ?? 0) << 8) + ((bytes[at + 2] ?? 0) << 16) + (bytes[at + 3] ?? 0) * 0x1000000
	);
}

function u16le(bytes: Uint8Array, at: number): number {
	return (bytes[at] ?? 0) + ((bytes[at + 1] ?? 0) << 8);
}

/** An IHDR chunk of length 13 right after the signature. */
function hasPngHeader(bytes: Uint8Array): boolean {
	return bytes.length >= 16 && u32be(bytes, 8) === 13 && ascii(bytes, 12, "IHDR");
}

/** An acTL chunk before the first IDAT marks an animated PNG. */
function isAnimatedPng(bytes: Uint8Array): boolean {
	let at = PNG_SIGNATURE.length;
	while (at + 8 <= bytes.length) {
		if (ascii(bytes, at + 4, "acTL")) return true;
		if (ascii(bytes, at + 4, "IDAT")) return false;
		const next = at + 12 + u32be(bytes, at);
		if (next <= at || next > bytes.length) return false;
		at = next;
	}
	return false;
}

/** A plausible BMP header: sizes that fit together, one colour plane, a real bit depth. */
function isBmp(bytes: Uint8Array): boolean {
	if (bytes.length < 26) return false;
	const fileSize = u32le(bytes, 2);
	const pixelOffset = u32le(bytes, 10);
	const headerSize = u32le(bytes, 14);
	if (fileSize !== 0 && fileSize < 26) return false;
	if (pixelOffset < 14 + headerSize) return false;
	if (fileSize !== 0 && pixelOffset >= fileSize) return false;
	let planes: number;
	let bits: number;
	if (headerSize === 12) {
		planes = u16le(bytes, 22);
		bits = u16le(bytes, 24);
	} else if (headerSize >= 40 && headerSize <= 124 && bytes.length >= 30) {
		planes = u16le(bytes, 26);
		bits = u16le(bytes, 28);
	} else return false;
	return planes === 1 && [1, 4, 8, 16, 24, 32].includes(bits);
}

export function sniffImageMimeType(bytes: Uint8Array): ImageMimeType | undefined {
	if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return bytes[3] === 0xf7 ? undefined : "image/jpeg";
	if (PNG_SIGNATURE.every((byte, i) => bytes[i] === byte)) {
		return hasPngHeader(bytes) && !isAnimatedPng(bytes) ? "image/png" : undefined;
	}
	if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return "image/gif";
	if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "image/webp";
	if (ascii(bytes, 0, "BM") && isBmp(bytes)) return "image/bmp";
	return undefined;
}
