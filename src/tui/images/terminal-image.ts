/**
 * Inline images in the terminal: which protocol the terminal speaks (kitty graphics or iTerm2 inline images), the
 * escape sequences of each, and the text placeholder for terminals that speak neither.
 */

export type ImageProtocol = "kitty" | "iterm2";

export interface ImageDimensions {
	widthPx: number;
	heightPx: number;
}

export interface CellSize {
	widthPx: number;
	heightPx: number;
}

/**
 * The protocol the terminal supports, detected as pi does from the environment. PI_TERMINAL_IMAGES=kitty|iterm2|none
 * overrides the detection (pi has no such switch; useful for terminals that are not recognised and for tests).
 */
export function detectImageProtocol(env: Record<string, string | undefined> = process.env): ImageProtocol | null {
	const forced = env.PI_TERMINAL_IMAGES?.toLowerCase();
	if (forced === "kitty" || forced === "iterm2") return forced;
	if (forced === "none" || forced === "off" || forced === "0") return null;
	const program = env.TERM_PROGRAM?.toLowerCase() ?? "";
	const term = env.TERM?.toLowerCase() ?? "";
	// tmux and screen need opt-in passthrough with differently wrapped sequences: no images there.
	if (env.TMUX || term.startsWith("tmux") || term.startsWith("screen")) return null;
	if (env.KITTY_WINDOW_ID || program === "kitty") return "kitty";
	if (program === "ghostty" || term.includes("ghostty") || env.GHOSTTY_RESOURCES_DIR) return "kitty";
	if (env.WEZTERM_PANE || program === "wezterm") return "kitty";
	if (env.ITERM_SESSION_ID || program === "iterm.app") return "iterm2";
	return null;
}

let protocol: ImageProtocol | null | undefined;
/** pi's default until the terminal reports its cell size (CSI 16 t). */
let cellSize: CellSize = { widthPx: 9, heightPx: 18 };

export function getImageProtocol(): ImageProtocol | null {
	// `undefined` means not detected yet; `null` (no images) is an answer and stays, whether detected or set.
	if (protocol === undefined) protocol = detectImageProtocol();
	return protocol;
}

/** Overrides the detected protocol (undefined: detect again on next use). */
export function setImageProtocol(value: ImageProtocol | null | undefined): void {
	protocol = value;
}

export function getCellSize(): CellSize {
	return cellSize;
}

export function setCellSize(size: CellSize): void {
	if (size.widthPx > 0 && size.heightPx > 0) cellSize = size;
}

const KITTY_START = "\x1b_G";
const ITERM2_START = "\x1b]1337;File=";
const ST = "\x1b\\";
const KITTY_CHUNK = 4096;

/** True for a line carrying image data (the renderer must neither measure nor truncate it). */
export function isImageLine(line: string): boolean {
	return line.includes(KITTY_START) || line.includes(ITERM2_START);
}

/** Image ids (i=) of the kitty commands in a line. */
export function kittyImageIds(line: string): number[] {
	const ids: number[] = [];
	let start = line.indexOf(KITTY_START);
	while (start !== -1) {
		const controlEnd = line.indexOf(";", start);
		const end = line.indexOf(ST, start);
		const control = line.slice(start + KITTY_START.length, controlEnd === -1 || controlEnd > end ? end : controlEnd);
		const match = /(?:^|,)i=(\d+)(?:,|$)/.exec(control);
		// Deletion commands carry ids too; only transmissions place an image.
		if (match && !/(?:^|,)a=d(?:,|$)/.test(control)) ids.push(Number(match[1]));
		start = end === -1 ? -1 : line.indexOf(KITTY_START, end);
	}
	return ids;
}

export interface KittyOptions {
	columns?: number;
	rows?: number;
	imageId?: number;
	/** False: the cursor stays where it was (C=1), so the renderer's row bookkeeping holds. */
	moveCursor?: boolean;
}

/**
 * Kitty graphics "transmit and display" of PNG data (f=100), quiet (q=2), split into 4096-byte chunks with m=1 on
 * all but the last.
 */
export function encodeKitty(base64: string, options: KittyOptions = {}): string {
	const control = ["a=T", "f=100", "q=2"];
	if (options.moveCursor === false) control.push("C=1");
	if (options.columns) control.push(`c=${options.columns}`);
	if (options.rows) control.push(`r=${options.rows}`);
	if (options.imageId) control.push(`i=${options.imageId}`);
	if (base64.length <= KITTY_CHUNK) return `${KITTY_START}${control.join(",")};${base64}${ST}`;
	let out = "";
	for (let offset = 0; offset < base64.length; offset += KITTY_CHUNK) {
		const chunk = base64.slice(offset, offset + KITTY_CHUNK);
		const more = offset + KITTY_CHUNK < base64.length ? 1 : 0;
		const head = offset === 0 ? `${control.join(",")},m=${more}` : `m=${more}`;
		out += `${KITTY_START}${head};${chunk}${ST}`;
	}
	return out;
}

/** Frees a kitty image's data and removes its placements. */
export function deleteKittyImage(id: number): string {
	return `${KITTY_START}a=d,d=I,i=${id},q=2${ST}`;
}

export function deleteKittyImages(ids: Iterable<number>): string {
	let out = "";
	for (const id of new Set(ids)) out += deleteKittyImage(id);
	return out;
}

export interface ITerm2Options {
	width?: number | string;
	height?: number | string;
	name?: string;
	preserveAspectRatio?: boolean;
}

/** iTerm2 inline image (OSC 1337 File=...), shown inline, BEL-terminated. */
export function encodeITerm2(base64: string, options: ITerm2Options = {}): string {
	const args = ["inline=1"];
	if (options.width !== undefined) args.push(`width=${options.width}`);
	if (options.height !== undefined) args.push(`height=${options.height}`);
	if (options.name) args.push(`name=${Buffer.from(options.name).toString("base64")}`);
	if (options.preserveAspectRatio === false) args.push("preserveAspectRatio=0");
	return `${ITERM2_START}${args.join(";")}:${base64}\x07`;
}

/** Rows an image takes when scaled to `columns` cells wide. */
export function imageRows(image: ImageDimensions, columns: number, cell: CellSize = cellSize): number {
	const scaledHeight = (image.heightPx * columns * cell.widthPx) / Math.max(1, image.widthPx);
	return Math.max(1, Math.ceil(scaledHeight / cell.heightPx));
}

/** Random ids keep images of independent renderers (e.g. extensions) from replacing each other. */
export function newKittyImageId(): number {
	return 1 + Math.floor(Math.random() * 0xfffffffe);
}

/** pi's placeholder: `[Image: name.png [image/png] 800x600]`. */
export function imagePlaceholder(mimeType: string, dimensions?: ImageDimensions, filename?: string): string {
	const parts: string[] = [];
	if (filename) parts.push(filename);
	parts.push(`[${mimeType}]`);
	if (dimensions) parts.push(`${dimensions.widthPx}x${dimensions.heightPx}`);
	return `[Image: ${parts.join(" ")}]`;
}
