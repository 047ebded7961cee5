/** The image formats every provider accepts, recognised by their first bytes (never by file name). */
export type ImageMimeType = "image/jpeg" | "image/png" | "image/gif" | "image/webp";

export function sniffImageMimeType(bytes: Uint8Array): ImageMimeType | undefined {
	const at = (i: number) => bytes[i] ?? -1;
	if (at(0) === 0xff && at(1) === 0xd8 && at(2) === 0xff) return "image/jpeg";
	if (at(0) === 0x89 && at(1) === 0x50 && at(2) === 0x4e && at(3) === 0x47) return "image/png";
	if (at(0) === 0x47 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x38) return "image/gif";
	const riff = at(0) === 0x52 && at(1) === 0x49 && at(2) === 0x46 && at(3) === 0x46;
	const webp = at(8) === 0x57 && at(9) === 0x45 && at(10) === 0x42 && at(11) === 0x50;
	if (riff && webp) return "image/webp";
	return undefined;
}
