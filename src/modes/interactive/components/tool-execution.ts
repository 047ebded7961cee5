/**
 * One tool call in the chat: a box whose background says pending / success / error, a header built from
 * the arguments (pi-spec §9.8) and a body that depends on the tool (see tool-bodies.ts), collapsed until Ctrl+O.
 */
import type { ImageContent } from "../../../ai/types.ts";
import { Image } from "../../../tui/components/image.ts";
import { getImageProtocol } from "../../../tui/images/terminal-image.ts";
import { sanitizeForTerminal, wrapTextWithAnsi } from "../../../tui/text-utils.ts";
import { formatToolHeader } from "../format.ts";
import { activeKeybindings } from "../keybindings.ts";
import { bg, bold, fg } from "../style.ts";
import { CustomToolRendering, type ToolRenderers } from "./custom-tool-rendering.ts";
import { boxLines, RenderCache, type UiComponent } from "./primitives.ts";
import { type ToolResultLike, toolBodyLines, toolOutputText } from "./tool-bodies.ts";

export { type ToolResultLike, toolOutputText } from "./tool-bodies.ts";

function argsRecord(args: unknown): Record<string, unknown> {
	if (typeof args !== "object" || args === null || Array.isArray(args)) return {};
	return Object.fromEntries(Object.entries(args));
}

/** How result images are shown (pi's terminal.showImages and terminal.imageWidthCells settings). */
export interface ToolImageSettings {
	showImages: boolean;
	widthCells: number;
}

const DEFAULT_IMAGE_SETTINGS: ToolImageSettings = { showImages: true, widthCells: 60 };

export class ToolExecutionView implements UiComponent {
	/** Inline images of the result, drawn below the box; rebuilt when the result changes. */
	private images: Image[] = [];
	private result: ToolResultLike | undefined;
	private partial = true;
	private readonly cache = new RenderCache();
	/** Bash shows how long the command ran. */
	private startedAt: number | undefined;
	private endedAt: number | undefined;
	/** The tool's own renderers (an extension's renderCall/renderResult), when it has any. */
	private readonly custom: CustomToolRendering | undefined;
	private customFrame: { width: number; lines: readonly string[]; rows: string[] } | undefined;

	constructor(
		readonly toolName: string,
		readonly toolCallId: string,
		private args: unknown,
		private expanded: boolean,
		private readonly imageSettings: () => ToolImageSettings = () => DEFAULT_IMAGE_SETTINGS,
		renderers?: ToolRenderers,
	) {
		this.custom = renderers && new CustomToolRendering(renderers, () => this.invalidate());
		this.changed();
	}

	/** Something the row shows changed: cached lines go, and the tool's renderers run again. */
	private changed(): void {
		this.cache.clear();
		this.customFrame = undefined;
		this.custom?.rebuild({
			toolName: this.toolName,
			toolCallId: this.toolCallId,
			args: this.args,
			result: this.result,
			partial: this.partial,
			started: this.startedAt !== undefined,
			expanded: this.expanded,
			showImages: this.imagesDrawn(),
			durationMs:
				this.startedAt !== undefined && this.endedAt !== undefined ? this.endedAt - this.startedAt : undefined,
		});
	}

	/** Images are drawn only where the terminal can (kitty takes PNG only, as in pi) and showImages is on. */
	private imagesDrawn(): boolean {
		return getImageProtocol() !== null && this.imageSettings().showImages;
	}

	private buildImages(): void {
		this.images = [];
		if (!this.result || !this.imagesDrawn()) return;
		const kitty = getImageProtocol() === "kitty";
		const maxWidthCells = this.imageSettings().widthCells;
		for (const block of this.result.content) {
			if (block.type !== "image" || !block.data) continue;
			const image: ImageContent = block;
			if (kitty && image.mimeType !== "image/png") continue;
			this.images.push(new Image(image.data, image.mimeType, { maxWidthCells }));
		}
	}

	updateArgs(args: unknown): void {
		// Huge streamed arguments are re-parsed only now and then: the same object means nothing new to draw.
		if (args === this.args) return;
		this.args = args;
		this.changed();
	}

	/** `partial`: a streamed update while the tool still runs. */
	updateResult(result: ToolResultLike, partial: boolean): void {
		this.result = result;
		this.partial = partial;
		if (!partial) this.endedAt ??= Date.now();
		this.buildImages();
		this.changed();
	}

	/** The tool started running now (tool_execution_start). */
	markStarted(): void {
		this.startedAt ??= Date.now();
		this.changed();
	}

	setExpanded(expanded: boolean): void {
		this.expanded = expanded;
		this.changed();
	}

	invalidate(): void {
		// Settings (showImages) may have changed: the images are rebuilt with the box.
		this.buildImages();
		this.custom?.invalidate();
		this.changed();
	}

	/** Rows this box roughly takes (fullscreen places unrendered components by it). */
	estimateHeight(): number {
		const lines = this.result ? toolOutputText(this.result).split("\n").length : 0;
		return 5 + (this.expanded ? lines : Math.min(lines, 10));
	}

	get isDone(): boolean {
		return !this.partial;
	}

	render(width: number): string[] {
		// An extension's components may change between frames (a spinner): they are asked every frame.
		if (this.custom) {
			const lines = this.custom.render(width);
			// The same lines as last frame (the Box returns its cached array): the same array, so nothing is redrawn.
			const last = this.customFrame;
			if (last && last.lines === lines && last.width === width) return last.rows;
			const images = this.images.flatMap((image) => ["", ...image.render(width)]);
			const rows = lines.length > 0 || images.length > 0 ? ["", ...lines, ...images] : [];
			this.customFrame = { width, lines, rows };
			return rows;
		}
		return this.cache.get(width, () => this.draw(width));
	}

	private timing(): string | undefined {
		if (this.toolName !== "bash" || this.startedAt === undefined) return undefined;
		const end = this.endedAt ?? Date.now();
		return `${this.endedAt === undefined ? "Elapsed" : "Took"} ${((end - this.startedAt) / 1000).toFixed(1)}s`;
	}

	private draw(width: number): string[] {
		const innerWidth = Math.max(1, width - 2);
		const token = this.partial ? "toolPendingBg" : this.result?.isError ? "toolErrorBg" : "toolSuccessBg";
		// The header shows the model's arguments (a bash command, a path): no control sequences reach the terminal.
		const rawHeader = formatToolHeader(this.toolName, this.args);
		const header = rawHeader === undefined ? undefined : sanitizeForTerminal(rawHeader);
		const inner: string[] = [];
		const wrap = (text: string) => text.split("\n").flatMap((line) => wrapTextWithAnsi(line, innerWidth));
		if (header !== undefined) inner.push(...wrap(fg("toolTitle", bold(header))));
		else {
			inner.push(fg("toolTitle", bold(this.toolName)));
			const json = JSON.stringify(this.args, null, 2);
			if (json && json !== "{}") inner.push("", ...wrap(json));
		}
		const body = toolBodyLines({
			toolName: this.toolName,
			args: argsRecord(this.args),
			result: this.result,
			partial: this.partial,
			expanded: this.expanded,
			expandKeys: activeKeybindings().keyText("app.tools.expand"),
			timing: this.timing(),
			imagesDrawn: this.imagesDrawn(),
		});
		if (body.length > 0) inner.push("", ...body.flatMap(wrap));
		const images = this.images.flatMap((image) => ["", ...image.render(width)]);
		return ["", ...boxLines(inner, width, 1, 1, (line) => bg(token, line)), ...images];
	}
}
