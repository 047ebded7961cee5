/** pi 1.6.0's image handling on real encoded images: detection, shrinking, notes, EXIF orientation, the worker. */
import { describe, expect, test } from "bun:test";
import { processImage } from "../../src/images/process.ts";
import { resizeImage } from "../../src/images/resize.ts";
import { formatDimensionNote, resizeImageHere } from "../../src/images/resize-core.ts";
import { sniffImageMimeType } from "../../src/util/image-mime.ts";
import { dimensions, makeBmp, makeJpeg, makePng, withExifOrientation } from "./fixtures.ts";

const fromBase64 = (data: string) => new Uint8Array(Buffer.from(data, "base64"));

describe("which bytes are an image (pi's rules)", () => {
	test("real PNG, JPEG, GIF, WebP and BMP headers; a bare signature, APNG and JPEG-LS are text", async () => {
		expect(sniffImageMimeType(await makePng(4, 4))).toBe("image/png");
		expect(sniffImageMimeType(await makeJpeg(4, 4))).toBe("image/jpeg");
		expect(sniffImageMimeType(new TextEncoder().encode("GIF89a......"))).toBe("image/gif");
		expect(sniffImageMimeType(new TextEncoder().encode("RIFF\0\0\0\0WEBPVP8 "))).toBe("image/webp");
		expect(sniffImageMimeType(makeBmp(3, 2))).toBe("image/bmp");
		const pngSignatureOnly = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5, 6, 7, 8]);
		expect(sniffImageMimeType(pngSignatureOnly)).toBeUndefined();
		const png = await makePng(4, 4);
		const apng = new Uint8Array([
			...png.subarray(0, 33),
			0,
			0,
			0,
			8,
			...new TextEncoder().encode("acTL"),
			...png.subarray(33),
		]);
		expect(sniffImageMimeType(apng)).toBeUndefined();
		expect(sniffImageMimeType(new Uint8Array([0xff, 0xd8, 0xff, 0xf7, 0]))).toBeUndefined();
		expect(sniffImageMimeType(new TextEncoder().encode("BM not really"))).toBeUndefined();
	});
});

describe("resizing", () => {
	test("an image within 2000x2000 and the size limit is sent untouched", async () => {
		const png = await makePng(300, 200);
		const result = await resizeImageHere(png, "image/png");
		expect(result).toMatchObject({ mimeType: "image/png", width: 300, height: 200, wasResized: false });
		expect(result?.data).toBe(Buffer.from(png).toString("base64"));
		expect(result && formatDimensionNote(result)).toBeUndefined();
	});

	test("a larger one fits 2000x2000 (aspect kept) with pi's coordinate note, in the worker too", async () => {
		const png = await makePng(2200, 1100);
		const here = await resizeImageHere(png, "image/png");
		expect(here).toMatchObject({
			originalWidth: 2200,
			originalHeight: 1100,
			width: 2000,
			height: 1000,
			wasResized: true,
		});
		expect(here && formatDimensionNote(here)).toBe(
			"[Image: original 2200x1100, displayed at 2000x1000. Multiply coordinates by 1.10 to map to original image.]",
		);
		expect(await dimensions(fromBase64(here?.data ?? ""))).toEqual([2000, 1000]);
		const inWorker = await resizeImage(png, "image/png");
		expect(inWorker).toEqual(here);
	}, 60_000);

	test("over the byte limit: re-encoded (JPEG when smaller), then smaller, else null", async () => {
		const noisy = await makePng(400, 400, { noise: true });
		const limit = 120_000;
		const result = await resizeImageHere(noisy, "image/png", { maxBytes: limit });
		expect(result?.wasResized).toBe(true);
		expect(result?.mimeType).toBe("image/jpeg");
		expect(result?.data.length).toBeLessThan(limit);
		expect(await resizeImageHere(noisy, "image/png", { maxBytes: 10 })).toBeNull();
	}, 60_000);

	test("EXIF orientation 6 (rotated camera photo) comes out upright: width and height swap", async () => {
		const jpeg = withExifOrientation(await makeJpeg(300, 100), 6);
		const result = await resizeImageHere(jpeg, "image/jpeg", { maxWidth: 50 });
		expect(result).toMatchObject({ originalWidth: 100, originalHeight: 300, width: 50, height: 150 });
	});
});

describe("processImage (pi's notes)", () => {
	test("a body that does not decode is omitted with pi's note; without autoResize it is passed on", async () => {
		const broken = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6]);
		expect(await processImage(broken, "image/jpeg")).toEqual({
			ok: false,
			message: "[Image omitted: could not be resized below the inline image size limit.]",
		});
		expect(await processImage(broken, "image/jpeg", { autoResize: false })).toMatchObject({ ok: true, hints: [] });
	});

	test("BMP is converted to PNG and says so; an undecodable BMP is omitted", async () => {
		const converted = await processImage(makeBmp(20, 10), "image/bmp");
		expect(converted).toMatchObject({
			ok: true,
			mimeType: "image/png",
			hints: ["[Image converted from image/bmp to image/png.]"],
		});
		const broken = makeBmp(20, 10).subarray(0, 60);
		expect(await processImage(broken, "image/bmp")).toEqual({
			ok: false,
			message: "[Image omitted: could not be converted to a supported inline image format.]",
		});
	});
});
