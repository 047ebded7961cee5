/** The top of the export: session facts, totals, and (for a live session) the system prompt and tool list. */
import type { JsonSchema } from "../ai/types.ts";
import { isRecord } from "../session/schema.ts";
import type { SessionEntry, SessionHeader } from "../session/types.ts";
import { escapeHtml } from "./html-escape.ts";
import { computeStats, formatTokens } from "./session-stats.ts";

export interface ExportTool {
	name: string;
	description: string;
	parameters: JsonSchema;
}

function infoItem(label: string, value: string): string {
	return `<div class="info-item"><span class="info-label">${escapeHtml(label)}:</span> <span class="info-value">${escapeHtml(value)}</span></div>`;
}

function renderSystemPrompt(systemPrompt: string): string {
	const lines = systemPrompt.split("\n");
	const preview = lines.slice(0, 10).join("\n");
	const more = lines.length - 10;
	if (more <= 0) {
		return `<div class="system-prompt"><div class="section-title">System Prompt</div><pre class="prompt-text">${escapeHtml(systemPrompt)}</pre></div>`;
	}
	return (
		`<details class="system-prompt"><summary><div class="section-title">System Prompt</div>` +
		`<pre class="prompt-text preview">${escapeHtml(preview)}</pre><span class="expand-hint">… ${more} more lines (click to expand)</span></summary>` +
		`<pre class="prompt-text">${escapeHtml(systemPrompt)}</pre></details>`
	);
}

function renderToolParams(parameters: JsonSchema): string {
	const properties = isRecord(parameters.properties) ? parameters.properties : {};
	const required = Array.isArray(parameters.required) ? parameters.required : [];
	return Object.entries(properties)
		.map(([name, schema]) => {
			const prop = isRecord(schema) ? schema : {};
			const type = typeof prop.type === "string" ? prop.type : "any";
			const flag = required.includes(name) ? "required" : "optional";
			const description =
				typeof prop.description === "string"
					? `<div class="tool-param-desc">${escapeHtml(prop.description)}</div>`
					: "";
			return `<div class="tool-param"><span class="tool-param-name">${escapeHtml(name)}</span> <span class="tool-param-type">${escapeHtml(type)}</span> <span class="tool-param-${flag}">${flag}</span>${description}</div>`;
		})
		.join("");
}

function renderTools(tools: readonly ExportTool[]): string {
	const items = tools.map((tool) => {
		const params = renderToolParams(tool.parameters);
		const head = `<span class="tool-item-name">${escapeHtml(tool.name)}</span> - <span class="tool-item-desc">${escapeHtml(tool.description)}</span>`;
		return params
			? `<details class="tool-item"><summary>${head}</summary><div class="tool-params">${params}</div></details>`
			: `<div class="tool-item">${head}</div>`;
	});
	return `<div class="tools-list"><div class="section-title">Available Tools</div>${items.join("")}</div>`;
}

export function renderHeader(options: {
	header: SessionHeader | undefined;
	entries: readonly SessionEntry[];
	sessionName: string | undefined;
	systemPrompt?: string;
	tools?: readonly ExportTool[];
}): string {
	const { header, entries } = options;
	const stats = computeStats(entries);
	const counts = [
		[stats.userMessages, "user"],
		[stats.assistantMessages, "assistant"],
		[stats.toolResults, "tool results"],
		[stats.customMessages, "custom"],
		[stats.compactions, "compactions"],
		[stats.branchSummaries, "branch summaries"],
	]
		.filter(([count]) => count !== 0)
		.map(([count, label]) => `${count} ${label}`);
	const tokens = [
		["↑", stats.tokens.input],
		["↓", stats.tokens.output],
		["R", stats.tokens.cacheRead],
		["W", stats.tokens.cacheWrite],
	]
		.filter(([, count]) => count !== 0)
		.map(([prefix, count]) => `${prefix}${formatTokens(Number(count))}`);
	const date = header ? new Date(header.timestamp) : undefined;
	const info = [
		options.sessionName ? infoItem("Name", options.sessionName) : "",
		infoItem(
			"Date",
			date && !Number.isNaN(date.getTime()) ? date.toISOString().replace("T", " ").slice(0, 19) : "unknown",
		),
		infoItem("Directory", header?.cwd ?? "unknown"),
		infoItem("Models", stats.models.join(", ") || "unknown"),
		infoItem("Messages", counts.join(", ") || "0"),
		infoItem("Tool Calls", String(stats.toolCalls)),
		infoItem("Tokens", tokens.join(" ") || "0"),
		infoItem("Cost", `$${stats.cost.toFixed(3)}`),
	].join("");
	const toolbar =
		`<div class="help-bar"><span class="help-hint">Ctrl+T toggle thinking · Ctrl+O toggle tool outputs · Esc clear search</span>` +
		`<span class="help-actions"><button type="button" data-action="toggle-thinking">Toggle thinking</button>` +
		`<button type="button" data-action="toggle-tools">Toggle tools</button></span></div>`;
	let html = `<div class="header"><h1>Session: ${escapeHtml(header?.id ?? "unknown")}</h1>${toolbar}<div class="header-info">${info}</div></div>`;
	if (options.systemPrompt) html += renderSystemPrompt(options.systemPrompt);
	if (options.tools && options.tools.length > 0) html += renderTools(options.tools);
	return html;
}
