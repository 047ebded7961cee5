/**
 * pi-tui's Markdown and Image for extensions, over our renderers: the same constructors as pi-tui. A Markdown theme
 * the extension builds may leave out hooks ours has (table borders, the code indent); the app's defaults fill them.
 */
import { Image as TuiImage } from "../../tui/components/image.ts";
import { defaultMarkdownTheme, type MarkdownTheme, Markdown as TuiMarkdown } from "../../tui/components/markdown.ts";

function markdownTheme(given: unknown): MarkdownTheme {
	const base = defaultMarkdownTheme();
	if (typeof given !== "object" || given === null) return base;
	const merged: MarkdownTheme = { ...base };
	for (const [key, value] of Object.entries(given)) {
		if (!(key in base)) continue;
		if (typeof value === "function" || (key === "codeBlockIndent" && typeof value === "string")) {
			Reflect.set(merged, key, value);
		}
	}
	return merged;
}

export class Markdown extends TuiMarkdown {
	constructor(text = "", paddingX = 1, paddingY = 0, theme?: unknown, _defaultTextStyle?: unknown) {
		super(text, paddingX, paddingY, markdownTheme(theme));
	}
}

export interface ImageTheme {
	fallbackColor?: (text: string) => string;
}

export class Image extends TuiImage {
	constructor(
		base64: string,
		mimeType: string,
		theme: ImageTheme = {},
		options: { maxWidthCells?: number; maxHeightCells?: number; filename?: string } = {},
	) {
		super(base64, mimeType, { ...options, fallbackColor: theme.fallbackColor });
	}

	getImageId(): number | undefined {
		return this.imageId;
	}
}
