/**
 * Camera photos store "which way is up" as an EXIF orientation tag instead of rotated pixels. pi applies it before
 * resizing, so the model sees the photo upright; so do we. Only JPEG (APP1 segment) and WebP (EXIF chunk) carry it.
 */
import type { Photon, PhotonImage } from "./photon.ts";

/** The orientation value (1–8) from a TIFF header at `start`; 1 when absent or unreadable. */
function orientationFromTiff(bytes: Uint8Array, start: number): number {
	if (start + 8 > bytes.length) return 1;
	const little = bytes[start] === 0x49 && bytes[start + 1] === 0x49;
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const u16 = (at: number) => view.getUint16(at, little);
	const u32 = (at: number) => view.getUint32(at, little);
	const directory = start + u32(start + 4);
	if (directory + 2 > bytes.length) return 1;
	const entries = u16(directory);
	for (let i = 0; i < entries; i++) {
		const entry = directory + 2 + i * 12;
		if (entry + 12 > bytes.length) return 1;
		if (u16(entry) !== 0x0112) continue;
		const value = u16(entry + 8);
		return value >= 1 && value <= 8 ? value : 1;
	}
	return 1;
}

/** "Exif\0\0" */
function isExifHeader(bytes: Uint8Array, at: number): boolean {
	return [0x45, 0x78, 0x69, 0x66, 0x00, 0x00].every((byte, i) => bytes[at + i] === byte);
}

function jpegTiffStart(bytes: Uint8Array): number | undefined {
	let at = 2;
	while (at + 1 < bytes.length) {
		if (bytes[at] !== 0xff) return undefined;
		const marker = bytes[at + 1];
		if (marker === 0xff) {
			at++; // fill byte
			continue;
		}
		if (at + 4 > bytes.length) return undefined;
		if (marker === 0xe1 && at + 10 <= bytes.length && isExifHeader(bytes, at + 4)) return at + 10;
		at += 2 + (((bytes[at + 2] ?? 0) << 8) | (bytes[at + 3] ?? 0));
	}
	return undefined;
}

function webpTiffStart(bytes: Uint8Array): number | undefined {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	let at = 12;
	while (at + 8 <= bytes.length) {
		const id = String.fromCharCode(...bytes.subarray(at, at + 4));
		const size = view.getUint32(at + 4, true);
		const data = at + 8;
		if (id === "EXIF") {
			if (data + size > bytes.length) return undefined;
			return size >= 6 && isExifHeader(bytes, data) ? data + 6 : data;
		}
		at = data + size + (size % 2); // chunks are padded to an even size
	}
	return undefined;
}

export function exifOrientation(bytes: Uint8Array): number {
	const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
	let start: number | undefined;
	if (bytes[0] === 0xff && bytes[1] === 0xd8) start = jpegTiffStart(bytes);
	else if (bytes.length >= 12 && ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") start = webpTiffStart(bytes);
	return start === undefined ? 1 : orientationFromTiff(bytes, start);
}

/** A copy turned a quarter (clockwise, or counter-clockwise with `counter`): width and height swap. */
function quarterTurn(photon: Photon, image: PhotonImage, counter: boolean): PhotonImage {
	const width = image.get_width();
	const height = image.get_height();
	const source = image.get_raw_pixels();
	const target = new Uint8Array(source.length);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) {
			// Clockwise, (x, y) lands in column (height-1-y), row x of the height-wide result.
			const to = counter ? (width - 1 - x) * height + y : x * height + (height - 1 - y);
			target.set(source.subarray((y * width + x) * 4, (y * width + x) * 4 + 4), to * 4);
		}
	}
	return new photon.PhotonImage(target, height, width);
}

/**
 * The image the right way up. Flips change `image` itself; quarter turns return a new image, and the caller frees
 * the old one when the result differs.
 */
export function uprightImage(photon: Photon, image: PhotonImage, original: Uint8Array): PhotonImage {
	switch (exifOrientation(original)) {
		case 2:
			photon.fliph(image);
			return image;
		case 3:
			photon.fliph(image);
			photon.flipv(image);
			return image;
		case 4:
			photon.flipv(image);
			return image;
		case 5: {
			const turned = quarterTurn(photon, image, false);
			photon.fliph(turned);
			return turned;
		}
		case 6:
			return quarterTurn(photon, image, false);
		case 7: {
			const turned = quarterTurn(photon, image, true);
			photon.fliph(turned);
			return turned;
		}
		case 8:
			return quarterTurn(photon, image, true);
		default:
			return image;
	}
}
