/**
 * `/tree` navigator (pi-spec §9.6): the whole session tree, depth first, with branch connectors, the active
 * path marked `•`, the leaf marked `← active`, labels in brackets. Typing filters; Enter picks an entry.
 */
import { customMessageText, userText } from "../../../agent/session/messages.ts";
import type { AssistantMessage } from "../../../ai/types.ts";
import type { SessionEntry, SessionTreeNode } from "../../../session/types.ts";
import { matchesKey, printableText } from "../../../tui/keys.ts";
import { truncateToWidth } from "../../../tui/text-utils.ts";
import { formatToolHeader, oneLine } from "../format.ts";
import { activeKeybindings } from "../keybindings.ts";
import { visibleWindow } from "../selector-height.ts";
import { bg, bold, fg } from "../style.ts";
import { matchesFilter } from "./list-selector.ts";
import type { UiComponent } from "./primitives.ts";

export interface TreeRow {
	node: SessionTreeNode;
	/** Connector text before the entry (`│  ├─ `). */
	prefix: string;
}

/** Depth-first rows; indentation grows only where the tree branches, as in pi. */
export function flattenTree(roots: readonly SessionTreeNode[]): TreeRow[] {
	const rows: TreeRow[] = [];
	const sortByTime = (nodes: readonly SessionTreeNode[]) =>
		[...nodes].sort((a, b) => a.entry.timestamp.localeCompare(b.entry.timestamp));
	// Iterative walk: long linear sessions would overflow a recursive one.
	const stack: { node: SessionTreeNode; gutter: string; connector: string }[] = sortByTime(roots)
		.reverse()
		.map((node, index, all) => ({
			node,
			gutter: all.length > 1 ? (index === 0 ? "   " : "│  ") : "",
			connector: all.length > 1 ? (index === 0 ? "└─ " : "├─ ") : "",
		}));
	while (stack.length > 0) {
		const item = stack.pop();
		if (!item) break;
		rows.push({ node: item.node, prefix: item.connector });
		const children = sortByTime(item.node.children);
		if (children.length === 1) {
			const only = children[0];
			if (only) stack.push({ node: only, gutter: item.gutter, connector: item.gutter });
			continue;
		}
		for (let i = children.length - 1; i >= 0; i--) {
			const child = children[i];
			if (!child) continue;
			const last = i === children.length - 1;
			stack.push({
				node: child,
				gutter: `${item.gutter}${last ? "   " : "│  "}`,
				connector: `${item.gutter}${last ? "└─ " : "├─ "}`,
			});
		}
	}
	return rows;
}

function assistantText(content: AssistantMessage["content"]): string {
	return content.map((block) => (block.type === "text" ? block.text : "")).join("");
}

/** One-line description of an entry, pi's wording. */
export function describeEntry(
	entry: SessionEntry,
	toolCalls: ReadonlyMap<string, { name: string; args: unknown }>,
): string {
	switch (entry.type) {
		case "message": {
			const message = entry.message;
			switch (message.role) {
				case "user":
					return fg("accent", "user: ") + oneLine(userText(message));
				case "assistant": {
					const text = oneLine(assistantText(message.content));
					if (text) return fg("success", "assistant: ") + text;
					if (message.stopReason === "aborted") return fg("success", "assistant: ") + fg("muted", "(aborted)");
					if (message.errorMessage) {
						return fg("success", "assistant: ") + fg("error", oneLine(message.errorMessage).slice(0, 80));
					}
					return fg("success", "assistant: ") + fg("muted", "(no content)");
				}
				case "toolResult": {
					const call = toolCalls.get(message.toolCallId);
					const header = call ? formatToolHeader(call.name, call.args) : undefined;
					return fg("muted", `[${header ?? message.toolName}]`);
				}
				case "bashExecution":
					return fg("dim", `[bash]: ${oneLine(message.command)}`);
				default:
					return fg("dim", `[${message.role}]`);
			}
		}
		case "custom_message":
			return fg("customMessageLabel", `[${entry.customType}]: `) + oneLine(customMessageText(entry.content));
		case "compaction":
			return fg("borderAccent", `[compaction: ${Math.round(entry.tokensBefore / 1000)}k tokens]`);
		case "branch_summary":
			return fg("warning", "[branch summary]: ") + oneLine(entry.summary);
		case "model_change":
			return fg("dim", `[model: ${entry.modelId}]`);
		case "thinking_level_change":
			return fg("dim", `[thinking: ${entry.thinkingLevel}]`);
		case "custom":
			return fg("dim", `[custom: ${entry.customType}]`);
		case "label":
			return fg("dim", `[label: ${entry.label ?? "(cleared)"}]`);
		case "session_info":
			return fg("dim", `[title: ${entry.name ?? "empty"}]`);
		case "context_edit":
			return fg("dim", `[context ${entry.replacement === null ? "omit" : "replace"}: ${entry.targetId}]`);
		case "usage":
			return ""; // hidden from the tree (pi 1.6.0)
	}
}

/** pi's default filter hides bookkeeping entries (pi 1.6.0's list). */
function shownByDefault(entry: SessionEntry): boolean {
	return !["label", "context_edit", "custom", "model_change", "thinking_level_change", "session_info"].includes(
		entry.type,
	);
}

export interface TreeSelectorOptions {
	roots: readonly SessionTreeNode[];
	leafId: string | null;
	activePath: ReadonlySet<string>;
	maxVisible: number;
	onSelect: (entryId: string) => void;
	onCancel: () => void;
}

export class TreeSelector implements UiComponent {
	private readonly rows: TreeRow[];
	private readonly toolCalls = new Map<string, { name: string; args: unknown }>();
	private query = "";
	private selected = 0;

	constructor(private readonly options: TreeSelectorOptions) {
		this.rows = flattenTree(options.roots);
		for (const row of this.rows) {
			const entry = row.node.entry;
			if (entry.type !== "message" || entry.message.role !== "assistant") continue;
			for (const block of entry.message.content) {
				if (block.type === "toolCall") this.toolCalls.set(block.id, { name: block.name, args: block.arguments });
			}
		}
		const visible = this.visibleRows();
		const leafIndex = visible.findIndex((row) => row.node.entry.id === options.leafId);
		this.selected = leafIndex >= 0 ? leafIndex : Math.max(0, visible.length - 1);
	}

	private visibleRows(): TreeRow[] {
		return this.rows.filter((row) => {
			const entry = row.node.entry;
			if (entry.type === "usage") return false; // never shown, not even as the leaf (pi 1.6.0)
			if (entry.id !== this.options.leafId && !shownByDefault(entry)) return false;
			if (!this.query) return true;
			return matchesFilter(`${describeEntry(entry, this.toolCalls)} ${row.node.label ?? ""}`, this.query);
		});
	}

	handleInput(data: string): void {
		const rows = this.visibleRows();
		const kb = activeKeybindings();
		if (kb.matches(data, "tui.select.cancel")) {
			this.options.onCancel();
			return;
		}
		if (kb.matches(data, "tui.select.confirm")) {
			const row = rows[this.selected];
			if (row) this.options.onSelect(row.node.entry.id);
			return;
		}
		if (kb.matches(data, "tui.select.up"))
			this.selected = rows.length ? (this.selected - 1 + rows.length) % rows.length : 0;
		else if (kb.matches(data, "tui.select.down")) this.selected = rows.length ? (this.selected + 1) % rows.length : 0;
		else if (
			kb.matches(data, "app.tree.foldOrUp") ||
			matchesKey(data, "left") ||
			kb.matches(data, "tui.select.pageUp")
		) {
			this.selected = Math.max(0, this.selected - this.options.maxVisible);
		} else if (
			kb.matches(data, "app.tree.unfoldOrDown") ||
			matchesKey(data, "right") ||
			kb.matches(data, "tui.select.pageDown")
		) {
			this.selected = Math.min(Math.max(0, rows.length - 1), this.selected + this.options.maxVisible);
		} else if (matchesKey(data, "backspace")) {
			this.query = this.query.slice(0, -1);
			this.selected = Math.max(0, Math.min(this.selected, this.visibleRows().length - 1));
		} else {
			const text = printableText(data);
			if (text !== undefined) {
				this.query += text;
				this.selected = Math.max(0, this.visibleRows().length - 1);
			}
		}
	}

	render(width: number): string[] {
		const rows = this.visibleRows();
		const border = fg("border", "─".repeat(Math.max(1, width)));
		const lines = [
			border,
			` ${fg("accent", bold("Session Tree"))}`,
			` ${fg("muted", "↑/↓ move · ←/→ page · enter select · esc cancel · type to search")}`,
			truncateToWidth(`  ${fg("muted", "Type to search:")} ${fg("accent", this.query)}`, width),
			"",
		];
		if (rows.length === 0) lines.push(`  ${fg("muted", "No entries found")}`);
		const { start, end } = visibleWindow(this.selected, rows.length, this.options.maxVisible);
		for (let i = start; i < end; i++) {
			const row = rows[i];
			if (!row) continue;
			const entry = row.node.entry;
			const isSelected = i === this.selected;
			const cursor = isSelected ? fg("accent", "› ") : "  ";
			const marker = this.options.activePath.has(entry.id) ? fg("accent", "• ") : "";
			const label = row.node.label ? fg("warning", `[${row.node.label}] `) : "";
			let text = describeEntry(entry, this.toolCalls);
			if (isSelected) text = bold(text);
			const active = entry.id === this.options.leafId ? fg("accent", " ← active") : "";
			let line = `${cursor}${fg("dim", row.prefix)}${marker}${label}${text}${active}`;
			line = truncateToWidth(line, width, "…");
			if (isSelected) line = bg("selectedBg", line);
			lines.push(line);
		}
		lines.push(
			truncateToWidth(fg("muted", `  (${rows.length ? this.selected + 1 : 0}/${rows.length})`), width),
			border,
		);
		return lines;
	}
}
