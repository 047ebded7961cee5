/** Output of a user `!command`: header, streamed output (last 20 lines collapsed), status line. */
import type { BashResult } from "../../../agent/agent-session.ts";
import { wrapTextWithAnsi } from "../../../tui/text-utils.ts";
import { bold, fg } from "../style.ts";
import { RenderCache, type UiComponent } from "./primitives.ts";

const PREVIEW_LINES = 20;

export class BashExecutionView implements UiComponent {
	private output = "";
	private state: "running" | "done" = "running";
	private result: BashResult | undefined;
	private readonly cache = new RenderCache();

	constructor(
		private readonly command: string,
		private readonly excludeFromContext: boolean,
		private expanded: boolean,
	) {}

	appendOutput(chunk: string): void {
		this.output += chunk;
		this.cache.clear();
	}

	setComplete(result: BashResult): void {
		this.state = "done";
		this.result = result;
		this.output = result.output;
		this.cache.clear();
	}

	setExpanded(expanded: boolean): void {
		this.expanded = expanded;
		this.cache.clear();
	}

	invalidate(): void {
		this.cache.clear();
	}

	/** Rows this box roughly takes (fullscreen places unrendered components by it). */
	estimateHeight(): number {
		const lines = this.output ? this.output.split("\n").length : 0;
		return 5 + (this.expanded ? lines : Math.min(lines, PREVIEW_LINES));
	}

	render(width: number): string[] {
		return this.cache.get(width, () => this.draw(width));
	}

	private draw(width: number): string[] {
		const token = this.excludeFromContext ? "dim" : "bashMode";
		const border = fg(token, "─".repeat(Math.max(1, width)));
		const innerWidth = Math.max(1, width - 2);
		const wrap = (text: string) => wrapTextWithAnsi(text, innerWidth).map((line) => ` ${line}`);
		const lines = ["", border, ...wrap(fg(token, bold(`$ ${this.command}`)))];
		const all = this.output.replace(/\r/g, "").replace(/\n+$/, "");
		const outputLines = all ? all.split("\n") : [];
		const hidden = this.expanded ? 0 : Math.max(0, outputLines.length - PREVIEW_LINES);
		const shown = outputLines.slice(hidden);
		if (shown.length > 0) {
			lines.push("");
			for (const line of shown) lines.push(...wrap(fg("muted", line)));
		}
		const status: string[] = [];
		if (this.state === "running") status.push(fg("muted", "Running... (escape to cancel)"));
		else {
			if (hidden > 0) status.push(`${fg("muted", `... ${hidden} more lines`)} (${fg("dim", "ctrl+o")} to expand)`);
			const result = this.result;
			if (result?.cancelled) status.push(fg("warning", "(cancelled)"));
			else if (result && result.exitCode !== 0 && result.exitCode !== undefined) {
				status.push(fg("error", `(exit ${result.exitCode})`));
			}
			if (result?.truncated && result.fullOutputPath) {
				status.push(fg("warning", `Output truncated. Full output: ${result.fullOutputPath}`));
			}
		}
		if (status.length > 0) lines.push("", ...status.flatMap(wrap));
		lines.push(border);
		return lines;
	}
}
