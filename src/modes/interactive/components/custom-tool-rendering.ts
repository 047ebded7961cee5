/**
 * A tool row drawn by the tool's own renderers (an extension's `renderCall` / `renderResult`), as pi 1.6.0 composes
 * it: both components inside a Box with the pending/success/error background and `outputPad` padding, or on their
 * own with `renderShell: "self"`. A slot without a renderer, or whose renderer throws or returns no component, falls
 * back to pi's plain rendering (the tool name and arguments; the result's text). The components are built again
 * when the call changes (arguments, result, expansion) and drawn every frame, so components that animate or update
 * themselves show it.
 */
import type { Component } from "../../../tui/component.ts";
import { Box } from "../../../tui/components/box.ts";
import { sanitizeForTerminal } from "../../../tui/text-utils.ts";
import { formatToolHeader } from "../format.ts";
import { bg, bold, fg } from "../style.ts";
import { TextBlock } from "./primitives.ts";
import { type ToolResultLike, toolOutputText } from "./tool-bodies.ts";

export type RendererFunction = (...args: unknown[]) => unknown;

/** What the chat needs to draw a tool with an extension's renderers. */
export interface ToolRenderers {
	renderCall?: RendererFunction;
	renderResult?: RendererFunction;
	renderShell: "default" | "self";
	/** The theme object renderers receive (pi's Theme). */
	theme(): unknown;
	keyText(keybinding: string): string;
	keyHint(keybinding: string, description: string): string;
	cwd: string;
	requestRender(): void;
}

/** The state of the call the renderers are shown. */
export interface ToolCallState {
	toolName: string;
	toolCallId: string;
	args: unknown;
	result: ToolResultLike | undefined;
	partial: boolean;
	started: boolean;
	expanded: boolean;
	showImages: boolean;
	durationMs: number | undefined;
}

const PREVIEW_LINES = 10;
const OUTPUT_PAD = 1;

function isComponent(value: unknown): value is Component {
	return typeof value === "object" && value !== null && "render" in value && typeof value.render === "function";
}

function details(result: ToolResultLike): unknown {
	return "details" in result ? result.details : undefined;
}

export class CustomToolRendering {
	/** Shared between renderCall and renderResult of this row (pi's context.state). */
	private readonly state: Record<string, unknown> = {};
	private callComponent: Component | undefined;
	private resultComponent: Component | undefined;
	private shell: Component = { render: () => [] };

	constructor(
		private readonly renderers: ToolRenderers,
		/** The row itself: drop its cached lines (a renderer's context.invalidate()). */
		private readonly invalidateRow: () => void,
	) {}

	private context(call: ToolCallState, lastComponent: Component | undefined): Record<string, unknown> {
		const { renderers } = this;
		return {
			args: call.args,
			toolCallId: call.toolCallId,
			invalidate: () => {
				this.invalidateRow();
				renderers.requestRender();
			},
			lastComponent,
			state: this.state,
			cwd: renderers.cwd,
			executionStarted: call.started,
			argsComplete: call.started || !call.partial,
			isPartial: call.partial,
			expanded: call.expanded,
			showImages: call.showImages,
			isError: call.result?.isError ?? false,
			durationMs: call.partial ? undefined : call.durationMs,
			outputPad: OUTPUT_PAD,
			keyText: (id: string) => renderers.keyText(id),
			keyHint: (id: string, description: string) => renderers.keyHint(id, description),
		};
	}

	private callFallback(call: ToolCallState): Component {
		const header = formatToolHeader(call.toolName, call.args);
		let text = fg("toolTitle", bold(header === undefined ? call.toolName : sanitizeForTerminal(header)));
		if (header === undefined) {
			const json = JSON.stringify(call.args, null, 2);
			if (json && json !== "{}") text += `\n\n${json}`;
		}
		return new TextBlock(text, 0, 0);
	}

	private resultFallback(call: ToolCallState, result: ToolResultLike): Component | undefined {
		const output = sanitizeForTerminal(toolOutputText(result)).trimEnd();
		if (!output) return undefined;
		const lines = output.split("\n");
		const shown = call.expanded ? lines : lines.slice(0, PREVIEW_LINES);
		let text = shown.map((line) => fg("toolOutput", line)).join("\n");
		const more = lines.length - shown.length;
		if (more > 0) {
			text += `\n${fg("muted", `... (${more} more lines,`)} ${this.renderers.keyHint("app.tools.expand", "to expand")}${fg("muted", ")")}`;
		}
		return new TextBlock(text, 0, 0);
	}

	/** Runs the renderers for the call as it is now. */
	rebuild(call: ToolCallState): void {
		const { renderers } = this;
		const parts: Component[] = [];
		try {
			const made = renderers.renderCall?.(call.args, renderers.theme(), this.context(call, this.callComponent));
			this.callComponent = isComponent(made) ? made : undefined;
		} catch {
			this.callComponent = undefined;
		}
		parts.push(this.callComponent ?? this.callFallback(call));
		if (call.result) {
			const result = call.result;
			let made: unknown;
			try {
				made = renderers.renderResult?.(
					{ content: result.content, details: details(result) },
					{ expanded: call.expanded, isPartial: call.partial },
					renderers.theme(),
					this.context(call, this.resultComponent),
				);
			} catch {
				made = undefined;
			}
			this.resultComponent = isComponent(made) ? made : undefined;
			const shown = this.resultComponent ?? this.resultFallback(call, result);
			if (shown) parts.push(shown);
		}
		if (renderers.renderShell === "self") {
			this.shell = { render: (width) => parts.flatMap((part) => part.render(width)) };
			return;
		}
		const token = call.partial ? "toolPendingBg" : call.result?.isError ? "toolErrorBg" : "toolSuccessBg";
		const box = new Box(OUTPUT_PAD, 1, (line) => bg(token, line));
		for (const part of parts) box.addChild(part);
		this.shell = box;
	}

	render(width: number): string[] {
		return this.shell.render(width);
	}

	invalidate(): void {
		this.callComponent?.invalidate?.();
		this.resultComponent?.invalidate?.();
		this.shell.invalidate?.();
	}
}
