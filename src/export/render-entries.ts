/**
 * Every session entry (all branches) rendered once to static HTML. The page's script only chooses which of
 * them are visible (the path from the root to the selected entry), so the content never goes through the
 * browser's HTML parser as a string built at runtime.
 */
import type { AgentMessage } from "../agent/types.ts";
import type { AssistantMessage, ImageContent, TextContent, ToolResultMessage, UserMessage } from "../ai/types.ts";
import type { SessionEntry } from "../session/types.ts";
import { escapeHtml } from "./html-escape.ts";
import { renderMarkdown } from "./markdown-html.ts";
import { contentParts, expandableOutput, renderImages, renderToolCall } from "./render-tools.ts";

export type ToolResultsById = ReadonlyMap<string, ToolResultMessage>;

/** Tool results of all branches by tool-call id, so each call can be drawn with its result. */
export function collectToolResults(entries: readonly SessionEntry[]): Map<string, ToolResultMessage> {
	const results = new Map<string, ToolResultMessage>();
	for (const entry of entries) {
		if (entry.type === "message" && entry.message.role === "toolResult") {
			results.set(entry.message.toolCallId, entry.message);
		}
	}
	return results;
}

function formatTime(iso: string | number): string {
	const date = new Date(iso);
	return Number.isNaN(date.getTime())
		? ""
		: date
				.toISOString()
				.replace("T", " ")
				.replace(/\.\d+Z$/, " UTC");
}

function renderUser(message: UserMessage): string {
	const { text, images } = contentParts(message.content);
	return `<div class="user-message">${renderImages(images)}<div class="user-text">${escapeHtml(text)}</div></div>`;
}

function renderAssistant(message: AssistantMessage, results: ToolResultsById): string {
	let html = "";
	for (const block of message.content) {
		if (block.type === "text" && block.text.trim() !== "") {
			html += `<div class="assistant-text markdown">${renderMarkdown(block.text)}</div>`;
		} else if (block.type === "thinking" && (block.thinking.trim() !== "" || block.redacted)) {
			const text = block.redacted ? "(thinking redacted by the provider)" : block.thinking;
			html += `<div class="thinking"><div class="thinking-text">${escapeHtml(text)}</div><div class="thinking-collapsed">Thinking …</div></div>`;
		} else if (block.type === "toolCall") {
			html += renderToolCall(block, results.get(block.id));
		}
	}
	if (message.stopReason === "aborted") html += `<div class="error-text">Aborted</div>`;
	else if (message.stopReason === "error") {
		html += `<div class="error-text">Error: ${escapeHtml(message.errorMessage ?? "Unknown error")}</div>`;
	}
	const model = `<div class="message-meta">${escapeHtml(`${message.provider}/${message.model}`)}</div>`;
	return `<div class="assistant-message">${html}${model}</div>`;
}

function renderMessage(message: AgentMessage, results: ToolResultsById): string {
	switch (message.role) {
		case "user":
			return renderUser(message);
		case "assistant":
			return renderAssistant(message, results);
		case "toolResult":
			return ""; // drawn inside its tool call
		case "bashExecution": {
			const failed = message.cancelled || (message.exitCode !== undefined && message.exitCode !== 0);
			let html = `<div class="tool-execution bash-execution ${failed ? "error" : "success"}">`;
			html += `<div class="tool-command">$ ${escapeHtml(message.command)}</div>`;
			if (message.output) html += expandableOutput(message.output);
			if (message.cancelled) html += `<div class="warning-text">(cancelled)</div>`;
			else if (message.exitCode !== undefined && message.exitCode !== 0) {
				html += `<div class="error-text">(exit ${message.exitCode})</div>`;
			}
			if (message.truncated) html += `<div class="muted">(output truncated)</div>`;
			if (message.excludeFromContext) html += `<div class="muted">(not sent to the model)</div>`;
			return `${html}</div>`;
		}
		case "custom": {
			if (!message.display) return "";
			return renderCustom(message.customType, message.content);
		}
		case "branchSummary":
			return renderBranchSummary(message.summary);
		case "compactionSummary":
			return renderCompaction(message.summary, message.tokensBefore);
		case "system":
			return ""; // prompt and tool state: the header shows the system prompt
	}
}

function renderCustom(customType: string, content: string | (TextContent | ImageContent)[]): string {
	const { text, images } = contentParts(content);
	return (
		`<div class="custom-message"><div class="custom-type">[${escapeHtml(customType)}]</div>` +
		`<div class="markdown">${renderMarkdown(text)}</div>${renderImages(images)}</div>`
	);
}

function renderBranchSummary(summary: string): string {
	return `<div class="branch-summary"><div class="summary-label">Branch summary</div><div class="markdown">${renderMarkdown(summary)}</div></div>`;
}

function renderCompaction(summary: string, tokensBefore: number): string {
	const title = `Compacted from ${tokensBefore.toLocaleString("en-US")} tokens`;
	return (
		`<details class="compaction"><summary><span class="summary-label">[compaction]</span> ${escapeHtml(title)}</summary>` +
		`<div class="markdown">${renderMarkdown(summary)}</div></details>`
	);
}

/** The visible part of one entry; "" for entries that only matter to the tree (labels, custom data, …). */
function renderEntryBody(entry: SessionEntry, results: ToolResultsById): string {
	switch (entry.type) {
		case "message":
			return renderMessage(entry.message, results);
		case "model_change":
			return `<div class="model-change">Switched to model: <span class="model-name">${escapeHtml(`${entry.provider}/${entry.modelId}`)}</span></div>`;
		case "compaction":
			return renderCompaction(entry.summary, entry.tokensBefore);
		case "branch_summary":
			return renderBranchSummary(entry.summary);
		case "custom_message":
			return entry.display ? renderCustom(entry.customType, entry.content) : "";
		case "thinking_level_change":
		case "session_info":
		case "custom":
		case "label":
		case "usage":
		case "context_edit":
		case "unknown":
			return ""; // shown in the tree and header only, as pi
	}
}

/** One entry as a block the page script can show or hide; the id allows deep links (#entry-<id>). */
export function renderEntry(entry: SessionEntry, results: ToolResultsById): string {
	const body = renderEntryBody(entry, results);
	const time = formatTime(entry.timestamp);
	const attrs = `id="entry-${escapeHtml(entry.id)}" data-id="${escapeHtml(entry.id)}" data-parent="${escapeHtml(entry.parentId ?? "")}"`;
	const link = body
		? `<button type="button" class="copy-link" data-entry-id="${escapeHtml(entry.id)}" title="Copy a link to this entry">link</button>`
		: "";
	const stamp = body ? `<div class="entry-time">${link}${escapeHtml(time)}</div>` : "";
	return `<section class="entry entry-${entry.type}" ${attrs}>${stamp}${body}</section>`;
}
