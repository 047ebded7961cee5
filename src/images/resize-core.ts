/**
 * pi 1.6.0's image shrinking, run where Photon is loaded (a worker, or this thread as a fallback): an image within
 * 2000×2000 and under 4.5 MB of base64 is sent as it is; otherwise it is scaled to fit (Lanczos3), encoded as PNG
 * and as JPEG, and the smaller that fits wins; then lower JPEG qualities; then ¾ of the size, again, down to 1×1.
 * (A pure function of the bytes and options; no state survives a call.)
 */
import { uprightImage } from "./exif-orientation.ts";
import { loadPhoton, type PhotonImage } from "./photon.ts";

export interface ImageResizeOptions {
	/** Default 2000. */
	maxWidth?: number;
	/** Default 2000. */
	maxHeight?: number;
	/** Base64 size limit; default 4.5 MB, under Anthropic's 5 MB. */
	maxBytes?: number;
	/** Default 80. */
	jpegQuality?: number;
}

export interface ResizedImage {
	/** base64 */
	data: string;
	mimeType: string;
	originalWidth: number;
	originalHeight: number;
	width: number;
	height: number;
	wasResized: boolean;
}

export const DEFAULT_RESIZE_OPTIONS: Required<ImageResizeOptions> = {
	maxWidth: 2000,
	maxHeight: 2000,
	maxBytes: 4.5 * 1024 * 1024,
	jpegQuality: 80,
};

interface Encoded {
	data: string;
	size: number;
	mimeType: string;
}

function encoded(bytes: Uint8Array, mimeType: string): Encoded {
	const data = Buffer.from(bytes).toString("base64");
	return { data, size: data.length, mimeType };
}

/** Fits width×height into the limits, keeping the aspect ratio (rounded as pi rounds). */
function fitWithin(width: number, height: number, maxWidth: number, maxHeight: number): [number, number] {
	let w = width;
	let h = height;
	if (w > maxWidth) {
		h = Math.round((h * maxWidth) / w);
		w = maxWidth;
	}
	if (h > maxHeight) {
		w = Math.round((w * maxHeight) / h);
		h = maxHeight;
	}
	return [w, h];
}

/** Null when Photon is unavailable, the bytes do not decode, or nothing fits under maxBytes. */
export async function resizeImageHere(
	bytes: Uint8Array,
	mimeType: string,
	options: ImageResizeOptions = {},
): Promise<ResizedImage | null> {
	const opts = { ...DEFAULT_RESIZE_OPTIONS, ...options };
	const photon = await loadPhoton();
	if (!photon) return null;
	let image: PhotonImage | undefined;
	try {
		const decoded = photon.PhotonImage.new_from_byteslice(bytes);
		image = uprightImage(photon, decoded, bytes);
		if (image !== decoded) decoded.free();
		const source = image;
		const originalWidth = source.get_width();
		const originalHeight = source.get_height();
		const base64Size = Math.ceil(bytes.byteLength / 3) * 4;
		if (originalWidth <= opts.maxWidth && originalHeight <= opts.maxHeight && base64Size < opts.maxBytes) {
			return {
				data: Buffer.from(bytes).toString("base64"),
				mimeType,
				originalWidth,
				originalHeight,
				width: originalWidth,
				height: originalHeight,
				wasResized: false,
			};
		}

		const [firstQuality, ...lowerQualities] = [...new Set([opts.jpegQuality, 85, 70, 55, 40])];
		const tryAt = (width: number, height: number): Encoded | undefined => {
			const scaled = photon.resize(source, width, height, photon.SamplingFilter.Lanczos3);
			try {
				const fits = (candidate: Encoded) => candidate.size < opts.maxBytes;
				// pi's order: the smaller of PNG and JPEG at the chosen quality, the other one, then lower JPEG
				// qualities. Encoded lazily: the first that fits is the one pi would pick.
				const png = encoded(scaled.get_bytes(), "image/png");
				const jpeg = encoded(scaled.get_bytes_jpeg(firstQuality ?? opts.jpegQuality), "image/jpeg");
				const pair = jpeg.size < png.size ? [jpeg, png] : [png, jpeg];
				const first = pair.find(fits);
				if (first) return first;
				for (const quality of lowerQualities) {
					const candidate = encoded(scaled.get_bytes_jpeg(quality), "image/jpeg");
					if (fits(candidate)) return candidate;
				}
				return undefined;
			} finally {
				scaled.free();
			}
		};

		let [width, height] = fitWithin(originalWidth, originalHeight, opts.maxWidth, opts.maxHeight);
		while (true) {
			const fitting = tryAt(width, height);
			if (fitting) {
				return {
					data: fitting.data,
					mimeType: fitting.mimeType,
					originalWidth,
					originalHeight,
					width,
					height,
					wasResized: true,
				};
			}
			const nextWidth = Math.max(1, Math.floor(width * 0.75));
			const nextHeight = Math.max(1, Math.floor(height * 0.75));
			if (nextWidth === width && nextHeight === height) return null;
			width = nextWidth;
			height = nextHeight;
		}
	} catch {
		return null;
	} finally {
		image?.free();
	}
}

/** pi's coordinate note for a resized image (undefined when it was not resized). */
export function formatDimensionNote(result: ResizedImage): string | undefined {
	if (!result.wasResized) return undefined;
	const scale = result.originalWidth / result.width;
	return `[Image: original ${result.originalWidth}x${result.originalHeight}, displayed at ${result.width}x${result.height}. Multiply coordinates by ${scale.toFixed(2)} to map to original image.]`;
}
