/** Real image files for image tests, drawn with Photon itself: gradients (compress well) or noise (do not). */
import { loadPhoton } from "../../src/images/photon.ts";

async function photon() {
	const loaded = await loadPhoton();
	if (!loaded) throw new Error("Photon did not load");
	return loaded;
}

function pixels(width: number, height: number, noise: boolean): Uint8Array {
	const rgba = new Uint8Array(width * height * 4);
	let seed = 12345;
	for (let i = 0; i < width * height; i++) {
		if (noise) {
			seed = (seed * 1103515245 + 12345) >>> 0;
			rgba[i * 4] = seed & 0xff;
			rgba[i * 4 + 1] = (seed >>> 8) & 0xff;
			rgba[i * 4 + 2] = (seed >>> 16) & 0xff;
		} else {
			rgba[i * 4] = (i % width) & 0xff;
			rgba[i * 4 + 1] = Math.floor(i / width) & 0xff;
			rgba[i * 4 + 2] = 128;
		}
		rgba[i * 4 + 3] = 255;
	}
	return rgba;
}

export async function makePng(width: number, height: number, options: { noise?: boolean } = {}): Promise<Uint8Array> {
	const p = await photon();
	const image = new p.PhotonImage(pixels(width, height, options.noise ?? false), width, height);
	try {
		return new Uint8Array(image.get_bytes());
	} finally {
		image.free();
	}
}

export async function makeJpeg(width: number, height: number, options: { noise?: boolean } = {}): Promise<Uint8Array> {
	const p = await photon();
	const image = new p.PhotonImage(pixels(width, height, options.noise ?? false), width, height);
	try {
		return new Uint8Array(image.get_bytes_jpeg(90));
	} finally {
		image.free();
	}
}

/** The JPEG with an EXIF APP1 segment (big-endian TIFF, one IFD entry) saying "orientation". */
export function withExifOrientation(jpeg: Uint8Array, orientation: number): Uint8Array {
	const tiff = [0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1];
	tiff.push(0x00, orientation, 0, 0, 0, 0, 0, 0);
	const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
	const length = payload.length + 2;
	const segment = [0xff, 0xe1, length >> 8, length & 0xff, ...payload];
	return new Uint8Array([...jpeg.subarray(0, 2), ...segment, ...jpeg.subarray(2)]);
}

/** A 24-bit BMP of a solid colour. */
export function makeBmp(width: number, height: number): Uint8Array {
	const rowSize = Math.ceil((width * 3) / 4) * 4;
	const size = 54 + rowSize * height;
	const bytes = new Uint8Array(size);
	const view = new DataView(bytes.buffer);
	bytes.set([0x42, 0x4d]);
	view.setUint32(2, size, true);
	view.setUint32(10, 54, true);
	view.setUint32(14, 40, true);
	view.setInt32(18, width, true);
	view.setInt32(22, height, true);
	view.setUint16(26, 1, true);
	view.setUint16(28, 24, true);
	view.setUint32(34, rowSize * height, true);
	for (let y = 0; y < height; y++) {
		for (let x = 0; x < width; x++) bytes.set([200, 100, 50], 54 + y * rowSize + x * 3);
	}
	return bytes;
}

/** Width and height of an encoded image, decoded with Photon. */
export async function dimensions(bytes: Uint8Array): Promise<[number, number]> {
	const p = await photon();
	const image = p.PhotonImage.new_from_byteslice(bytes);
	try {
		return [image.get_width(), image.get_height()];
	} finally {
		image.free();
	}
}
