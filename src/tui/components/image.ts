import type { Component } from "../component.ts";
import { imageDimensionsFromBase64 } from "../images/dimensions.ts";
import {
	encodeITerm2,
	encodeKitty,
	getCellSize,
	getImageProtocol,
	type ImageDimensions,
	imagePlaceholder,
	imageRows,
	newKittyImageId,
} from "../images/terminal-image.ts";
import { truncateToWidth } from "../text-utils.ts";
import { theme } from "../theme.ts";

export interface ImageOptions {
	/** Widest the image may be drawn, in cells (pi's default: 60). */
	maxWidthCells?: number;
	/** Tallest the image may be drawn, in rows; a taller image is drawn narrower. */
	maxHeightCells?: number;
	/** Shown in the placeholder on terminals without image support. */
	filename?: string;
	/** Colours the placeholder (default: the theme's muted colour; pi's tool output passes toolOutput). */
	fallbackColor?: (text: string) => string;
}

/** pi's assumption when the header cannot be read. */
const UNKNOWN_DIMENSIONS: ImageDimensions = { widthPx: 800, heightPx: 600 };

/**
 * An image drawn inline (kitty graphics or iTerm2), or a one-line placeholder on other terminals. The image takes
 * `rows` lines: all but the last are empty and reserve the space; the last moves the cursor up, draws the image and
 * (kitty, which is told not to move the cursor) moves back down, so the renderer's row accounting stays exact. The
 * lines are cached, so an unchanged frame never re-sends the image data.
 */
export class Image implements Component {
	readonly dimensions: ImageDimensions | undefined;
	private kittyId: number | undefined;
	private cache: { width: number; lines: string[] } | undefined;

	constructor(
		private readonly base64: string,
		private readonly mimeType: string,
		private readonly options: ImageOptions = {},
	) {
		this.dimensions = imageDimensionsFromBase64(base64, mimeType);
	}

	/** The kitty image id once drawn through the kitty protocol. */
	get imageId(): number | undefined {
		return this.kittyId;
	}

	invalidate(): void {
		this.cache = undefined;
	}

	render(width: number): string[] {
		if (this.cache?.width === width) return this.cache.lines;
		const lines = this.renderLines(width);
		this.cache = { width, lines };
		return lines;
	}

	private renderLines(width: number): string[] {
		const protocol = getImageProtocol();
		if (!protocol) {
			const text = imagePlaceholder(this.mimeType, this.dimensions, this.options.filename);
			const color = this.options.fallbackColor ?? ((plain: string) => theme.fg("muted", plain));
			return [color(truncateToWidth(text, width))];
		}
		const size = this.dimensions ?? UNKNOWN_DIMENSIONS;
		const cell = getCellSize();
		let columns = Math.max(1, Math.min(width - 2, this.options.maxWidthCells ?? 60));
		let rows = imageRows(size, columns, cell);
		const maxRows = this.options.maxHeightCells;
		if (maxRows !== undefined && rows > maxRows) {
			// Narrow the image until it fits the height (keeps the aspect ratio).
			rows = Math.max(1, maxRows);
			columns = Math.max(1, Math.floor((rows * cell.heightPx * size.widthPx) / (size.heightPx * cell.widthPx)));
			rows = Math.min(rows, imageRows(size, columns, cell));
		}
		const up = rows > 1 ? `\x1b[${rows - 1}A` : "";
		let sequence: string;
		let down = "";
		if (protocol === "kitty") {
			this.kittyId ??= newKittyImageId();
			sequence = encodeKitty(this.base64, { columns, rows, imageId: this.kittyId, moveCursor: false });
			down = rows > 1 ? `\x1b[${rows - 1}B` : "";
		} else {
			sequence = encodeITerm2(this.base64, {
				width: columns,
				height: "auto",
				name: this.options.filename,
			});
		}
		const lines: string[] = [];
		for (let i = 0; i < rows - 1; i++) lines.push("");
		lines.push(up + sequence + down);
		return lines;
	}
}
