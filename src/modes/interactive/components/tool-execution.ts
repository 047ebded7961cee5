/**
 * One tool call in the chat: a box whose background says pending / success / error, a header built from
 * the arguments (pi-spec §9.8) and the result text, collapsed to a short preview until Ctrl+O.
 */
import type { ImageContent, TextContent } from "../../../ai/types.ts";
import { wrapTextWithAnsi } from "../../../tui/text-utils.ts";
import { collapsedPreview, formatToolHeader } from "../format.ts";
import { bg, bold, fg } from "../style.ts";
import { boxLines, RenderCache, type UiComponent } from "./primitives.ts";

export interface ToolResultLike {
	content: (TextContent | ImageContent)[];
	isError?: boolean;
}

// Terminal control sequences in tool output would corrupt the screen.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping escape sequences is the point
const ANSI_PATTERN = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: see above
const CONTROL_PATTERN = /[\x00-\x08\x0b-\x1f\x7f]/g;

export function toolOutputText(result: ToolResultLike | undefined): string {
	if (!result) return "";
	const parts: string[] = [];
	for (const block of result.content) {
		if (block.type === "text") {
			parts.push(block.text.replace(ANSI_PATTERN, "").replace(/\r/g, "").replace(/\t/g, "   "));
		} else parts.push(`[Image: ${block.mimeType}]`);
	}
	return parts.join("\n").replace(CONTROL_PATTERN, "").replace(/\n+$/, "");
}

export class ToolExecutionView implements UiComponent {
	private result: ToolResultLike | undefined;
	private partial = true;
	private readonly cache = new RenderCache();

	constructor(
		readonly toolName: string,
		readonly toolCallId: string,
		private args: unknown,
		private expanded: boolean,
	) {}

	updateArgs(args: unknown): void {
		this.args = args;
		this.cache.clear();
	}

	/** `partial`: a streamed update while the tool still runs. */
	updateResult(result: ToolResultLike, partial: boolean): void {
		this.result = result;
		this.partial = partial;
		this.cache.clear();
	}

	setExpanded(expanded: boolean): void {
		this.expanded = expanded;
		this.cache.clear();
	}

	invalidate(): void {
		this.cache.clear();
	}

	get isDone(): boolean {
		return !this.partial;
	}

	render(width: number): string[] {
		return this.cache.get(width, () => this.draw(width));
	}

	private draw(width: number): string[] {
		const innerWidth = Math.max(1, width - 2);
		const token = this.partial ? "toolPendingBg" : this.result?.isError ? "toolErrorBg" : "toolSuccessBg";
		const header = formatToolHeader(this.toolName, this.args);
		const inner: string[] = [];
		const wrap = (text: string) => text.split("\n").flatMap((line) => wrapTextWithAnsi(line, innerWidth));
		if (header !== undefined) inner.push(...wrap(fg("toolTitle", bold(header))));
		else {
			inner.push(fg("toolTitle", bold(this.toolName)));
			const json = JSON.stringify(this.args, null, 2);
			if (json && json !== "{}") inner.push("", ...wrap(json));
		}
		const output = toolOutputText(this.result);
		if (output) {
			inner.push("");
			const lines = output.split("\n");
			const { lines: limit, fromEnd } = collapsedPreview(this.toolName);
			const hidden = this.expanded ? 0 : Math.max(0, lines.length - limit);
			const shown = hidden === 0 ? lines : fromEnd ? lines.slice(-limit) : lines.slice(0, limit);
			const color = this.result?.isError ? "error" : "toolOutput";
			const hint = (text: string) => fg("muted", text) + fg("dim", " ctrl+o") + fg("muted", " to expand)");
			if (hidden > 0 && fromEnd) inner.push(hint(`... (${hidden} earlier lines,`));
			for (const line of shown) inner.push(...wrap(fg(color, line)));
			if (hidden > 0 && !fromEnd) inner.push(hint(`... (${hidden} more lines,`));
		}
		return ["", ...boxLines(inner, width, 1, 1, (line) => bg(token, line))];
	}
}
