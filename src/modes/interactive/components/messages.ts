/** Chat entries: user and assistant messages, summaries, custom messages and one-line notices. */
import type { AssistantMessage } from "../../../ai/types.ts";
import { Markdown } from "../../../tui/components/markdown.ts";
import { sanitizeForTerminal } from "../../../tui/text-utils.ts";
import { activeKeybindings } from "../keybindings.ts";
import { bg, bold, fg, italic } from "../style.ts";
import { markdownLines } from "./markdown-lines.ts";
import { boxLines, RenderCache, type UiComponent } from "./primitives.ts";

/** A user prompt: markdown on the user background, one cell of padding all around. */
export class UserMessageView implements UiComponent {
	private readonly cache = new RenderCache();
	/** Fullscreen's "previous/next prompt" keys jump between user messages. */
	readonly promptMark = true;

	constructor(private readonly text: string) {}

	estimateHeight(width: number): number {
		return estimateRows([this.text], width) + 2;
	}

	invalidate(): void {
		this.cache.clear();
	}

	render(width: number): string[] {
		return this.cache.get(width, () => this.draw(width));
	}

	private draw(width: number): string[] {
		const inner = markdownLines(this.text, Math.max(1, width - 2), { color: (t) => fg("userMessageText", t) });
		return ["", ...boxLines(inner, width, 1, 1, (line) => bg("userMessageBg", line))];
	}
}

let hiddenThinkingLabel = "Thinking...";

/** How an answer's Markdown lines are drawn: indented by one cell, thinking in italics and its own colour. */
const LINE_STYLES = {
	text: (line: string) => ` ${line}`,
	thinking: (line: string) => ` ${italic(fg("thinkingText", line))}`,
};

/** What a hidden thinking block shows (pi's ctx.ui.setHiddenThinkingLabel); undefined restores "Thinking...". */
export function setHiddenThinkingLabel(label: string | undefined): void {
	hiddenThinkingLabel = label ?? "Thinking...";
}

/** An assistant answer: thinking (italic, or one `Thinking...` line when hidden), markdown text, abort/error. */
export class AssistantMessageView implements UiComponent {
	private message: AssistantMessage;

	constructor(
		message: AssistantMessage,
		private hideThinking: boolean,
	) {
		this.message = message;
	}

	private readonly cache = new RenderCache();
	/** One Markdown per content block, kept across updates: a streaming block only lays out its last paragraph. */
	private readonly markdowns = new Map<number, Markdown>();
	/** Per content block, its last Markdown lines and their styled versions (see `styled`). */
	private readonly styledLines = new Map<number, { kind: keyof typeof LINE_STYLES; source: string[]; out: string[] }>();

	/** Rows this answer roughly takes (fullscreen places unrendered components by it). */
	estimateHeight(width: number): number {
		return estimateRows(
			this.message.content.map((block) =>
				block.type === "text" ? block.text : block.type === "thinking" && !this.hideThinking ? block.thinking : "",
			),
			width,
		);
	}

	update(message: AssistantMessage): void {
		this.message = message;
		this.cache.clear();
	}

	setHideThinking(hide: boolean): void {
		this.hideThinking = hide;
		this.cache.clear();
	}

	invalidate(): void {
		this.cache.clear();
		this.styledLines.clear();
		for (const markdown of this.markdowns.values()) markdown.invalidate();
	}

	render(width: number): string[] {
		return this.cache.get(width, () => this.draw(width));
	}

	private draw(width: number): string[] {
		const message = this.message;
		const innerWidth = Math.max(1, width - 2);
		const visible = message.content.filter(
			(block) => (block.type === "text" && block.text.trim()) || (block.type === "thinking" && block.thinking.trim()),
		);
		const lines: string[] = [];
		if (visible.length > 0) lines.push("");
		visible.forEach((block, index) => {
			const more = index < visible.length - 1;
			const contentIndex = message.content.indexOf(block);
			if (block.type === "text") {
				const source = this.markdown(contentIndex, block.text.trim(), innerWidth);
				for (const line of this.styled(contentIndex, "text", source)) lines.push(line);
			} else if (block.type === "thinking") {
				if (this.hideThinking) lines.push(` ${italic(fg("thinkingText", hiddenThinkingLabel))}`);
				else {
					const source = this.markdown(contentIndex, block.thinking.trim(), innerWidth);
					for (const line of this.styled(contentIndex, "thinking", source)) lines.push(line);
				}
				if (more) lines.push("");
			}
		});
		const hasToolCalls = message.content.some((block) => block.type === "toolCall");
		if (!hasToolCalls) {
			if (message.stopReason === "aborted") {
				const text =
					message.errorMessage && message.errorMessage !== "Request was aborted"
						? message.errorMessage
						: "Operation aborted";
				lines.push("", ` ${fg("error", text)}`);
			} else if (message.stopReason === "error") {
				lines.push("", ` ${fg("error", `Error: ${sanitizeForTerminal(message.errorMessage || "Unknown error")}`)}`);
			}
		}
		return lines;
	}

	/**
	 * `source` mapped line by line with `style`; the lines that are the very strings mapped last time for this block
	 * keep their result, so a streaming block styles its new lines only.
	 */
	private styled(index: number, kind: keyof typeof LINE_STYLES, source: string[]): string[] {
		const before = this.styledLines.get(index);
		const previous = before?.kind === kind ? before : undefined;
		const style = LINE_STYLES[kind];
		const out: string[] = [];
		for (let i = 0; i < source.length; i++) {
			const line = source[i] ?? "";
			out.push(previous && previous.source[i] === line ? (previous.out[i] ?? style(line)) : style(line));
		}
		this.styledLines.set(index, { kind, source, out });
		return out;
	}

	private markdown(index: number, text: string, width: number): string[] {
		let markdown = this.markdowns.get(index);
		if (!markdown) {
			markdown = new Markdown("", 0, 0);
			this.markdowns.set(index, markdown);
		}
		// Model text may carry terminal control sequences (OSC 52, titles, alternate screen): drawn, they would act.
		markdown.setText(sanitizeForTerminal(text));
		return markdown.render(Math.max(1, width));
	}
}

/** Rough rows of markdown texts at `width`: wrapped lines plus blank lines between blocks. */
export function estimateRows(texts: readonly string[], width: number): number {
	let rows = 1;
	const usable = Math.max(10, width - 4);
	for (const text of texts) {
		if (!text) continue;
		for (const line of text.split("\n")) rows += Math.max(1, Math.ceil(line.length / usable));
	}
	return rows;
}

/**
 * Compaction and branch summaries: a collapsed one-liner, the whole summary when expanded (Ctrl+O),
 * on the custom-message background like pi.
 */
/** A chat entry Ctrl+O collapses and expands; its lines are cached per width until either changes. */
abstract class CollapsibleView implements UiComponent {
	private readonly cache = new RenderCache();

	constructor(protected expanded: boolean) {}

	setExpanded(expanded: boolean): void {
		this.expanded = expanded;
		this.cache.clear();
	}

	invalidate(): void {
		this.cache.clear();
	}

	render(width: number): string[] {
		return this.cache.get(width, () => this.draw(width));
	}

	protected abstract draw(width: number): string[];
}

export class SummaryView extends CollapsibleView {
	constructor(
		private readonly kind: "compaction" | "branch",
		private readonly summary: string,
		private readonly tokensBefore: number,
		expanded: boolean,
	) {
		super(expanded);
	}

	estimateHeight(width: number): number {
		return this.expanded ? estimateRows([this.summary], width) + 6 : 6;
	}

	protected draw(width: number): string[] {
		const label = this.kind === "compaction" ? "[compaction]" : "[branch]";
		const inner: string[] = [fg("customMessageLabel", bold(label)), ""];
		const tokens = this.tokensBefore.toLocaleString("en-US");
		if (this.expanded) {
			const header = this.kind === "compaction" ? `**Compacted from ${tokens} tokens**` : "**Branch Summary**";
			const text = `${header}\n\n${this.summary}`;
			inner.push(...markdownLines(text, Math.max(1, width - 2), { color: (t) => fg("customMessageText", t) }));
		} else {
			const lead = this.kind === "compaction" ? `Compacted from ${tokens} tokens (` : "Branch summary (";
			inner.push(fg("customMessageText", lead) + fg("dim", "ctrl+o") + fg("customMessageText", " to expand)"));
		}
		return ["", ...boxLines(inner, width, 1, 1, (line) => bg("customMessageBg", line))];
	}
}

/** A `/skill:name` prompt's skill block (pi's `<skill name=… location=…>` wrapper) and what the user typed after it. */
export interface SkillBlock {
	name: string;
	location: string;
	content: string;
	userMessage: string | undefined;
}

/** pi's parseSkillBlock: the skill block a `/skill:name` prompt starts with, or undefined. */
export function parseSkillBlock(text: string): SkillBlock | undefined {
	const match = text.match(/^<skill name="([^"]+)" location="([^"]+)">\n([\s\S]*?)\n<\/skill>(?:\n\n([\s\S]+))?$/);
	if (!match) return undefined;
	return {
		name: match[1] ?? "",
		location: match[2] ?? "",
		content: match[3] ?? "",
		userMessage: match[4]?.trim() || undefined,
	};
}

/** A skill invocation as pi draws it: collapsed to `[skill] name`, the whole skill when expanded (Ctrl+O). */
export class SkillInvocationView extends CollapsibleView {
	constructor(
		private readonly skill: SkillBlock,
		expanded: boolean,
	) {
		super(expanded);
	}

	estimateHeight(width: number): number {
		return this.expanded ? estimateRows([this.skill.content], width) + 5 : 4;
	}

	protected draw(width: number): string[] {
		const label = fg("customMessageLabel", bold("[skill]"));
		const inner = this.expanded
			? [
					label,
					...markdownLines(`**${this.skill.name}**\n\n${this.skill.content}`, Math.max(1, width - 2), {
						color: (t) => fg("customMessageText", t),
					}),
				]
			: [
					`${label} ${fg("customMessageText", this.skill.name)}${fg("dim", ` (${activeKeybindings().keyText("app.tools.expand")} to expand)`)}`,
				];
		return ["", ...boxLines(inner, width, 1, 1, (line) => bg("customMessageBg", line))];
	}
}

/** A custom (extension) message shown with its type as label. */
export class CustomMessageView implements UiComponent {
	constructor(
		private readonly customType: string,
		private readonly text: string,
	) {}

	private readonly cache = new RenderCache();

	invalidate(): void {
		this.cache.clear();
	}

	render(width: number): string[] {
		return this.cache.get(width, () => {
			const inner = [
				fg("customMessageLabel", bold(`[${this.customType}]`)),
				...markdownLines(this.text, Math.max(1, width - 2), { color: (t) => fg("customMessageText", t) }),
			];
			return ["", ...boxLines(inner, width, 1, 1, (line) => bg("customMessageBg", line))];
		});
	}
}
