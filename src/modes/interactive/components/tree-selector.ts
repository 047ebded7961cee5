/**
 * `/tree` navigator as pi 1.6.0's: the session tree (tree-view.ts builds the rows), the active path marked `•`,
 * labels in brackets. Typing searches (Escape clears the search first); filters by mode (Ctrl+D default,
 * Ctrl+T no tools, Ctrl+U user only, Ctrl+L labeled only, Ctrl+A all; Ctrl+O / Shift+Ctrl+O cycle); Ctrl+←/→
 * fold or unfold a branch, or jump between branch starts; Shift+L edits the selected entry's label, Shift+T shows
 * label times, Ctrl+X copies the entry's text; Enter picks it.
 */
import type { SessionTreeNode } from "../../../session/types.ts";
import type { Component, Focusable } from "../../../tui/component.ts";
import { CURSOR_MARKER } from "../../../tui/component.ts";
import { Input } from "../../../tui/components/input.ts";
import { sliceColumns, truncateToWidth, visibleWidth, wrapTextWithAnsi } from "../../../tui/text-utils.ts";
import { activeKeybindings, type KeybindingId } from "../keybindings.ts";
import { visibleWindow } from "../selector-height.ts";
import { bg, bold, fg } from "../style.ts";
import {
	allNodes,
	buildTreeView,
	describeEntry,
	entryCopyText,
	isFoldable,
	labelTime,
	type ToolCalls,
	TREE_FILTER_MODES,
	type TreeFilterMode,
	type TreeView,
} from "./tree-view.ts";

export { flattenTree } from "./tree-view.ts";

export interface TreeSelectorOptions {
	roots: readonly SessionTreeNode[];
	leafId: string | null;
	activePath: ReadonlySet<string>;
	maxVisible: number;
	initialFilter?: TreeFilterMode;
	/** The entry to select first (default: the leaf). */
	initialSelectedId?: string;
	onSelect: (entryId: string) => void;
	onCancel: () => void;
	/** Shift+L: the label was set (or removed, undefined). */
	onLabel?: (entryId: string, label: string | undefined) => void;
	/** Ctrl+X: the selected entry's text (undefined when it has none). */
	onCopy?: (text: string | undefined) => void;
}

const STATUS: Record<TreeFilterMode, string> = {
	default: "",
	"no-tools": " [no-tools]",
	"user-only": " [user]",
	"labeled-only": " [labeled]",
	all: " [all]",
};

const FILTER_KEYS: [KeybindingId, TreeFilterMode][] = [
	["app.tree.filter.noTools", "no-tools"],
	["app.tree.filter.userOnly", "user-only"],
	["app.tree.filter.labeledOnly", "labeled-only"],
	["app.tree.filter.all", "all"],
];

export class TreeSelector implements Component, Focusable {
	focused = false;
	private readonly nodes: SessionTreeNode[];
	private readonly toolCalls = new Map<string, { name: string; args: Record<string, unknown> }>();
	private mode: TreeFilterMode;
	private query = "";
	private readonly folded = new Set<string>();
	private view: TreeView;
	private selected = 0;
	private selectedId: string | undefined;
	private showLabelTimes = false;
	private labelInput: { entryId: string; input: Input } | undefined;

	constructor(private readonly options: TreeSelectorOptions) {
		this.nodes = allNodes(options.roots, options.leafId);
		for (const node of this.nodes) {
			const entry = node.entry;
			if (entry.type !== "message" || entry.message.role !== "assistant") continue;
			for (const block of entry.message.content) {
				if (block.type !== "toolCall") continue;
				const args = typeof block.arguments === "object" && block.arguments !== null ? block.arguments : {};
				this.toolCalls.set(block.id, { name: block.name, args: Object.fromEntries(Object.entries(args)) });
			}
		}
		this.mode = options.initialFilter ?? "default";
		this.view = this.build();
		this.selectedId = options.initialSelectedId ?? options.leafId ?? undefined;
		this.refresh();
	}

	private build(): TreeView {
		return buildTreeView(this.nodes, {
			mode: this.mode,
			query: this.query,
			folded: this.folded,
			leafId: this.options.leafId,
		});
	}

	/** Rebuilds the rows, keeping the selection on the same entry (or its nearest shown ancestor). */
	private refresh(): void {
		this.view = this.build();
		const rows = this.view.rows;
		let id = this.selectedId;
		const byId = new Map(this.nodes.map((node) => [node.entry.id, node]));
		while (id !== undefined) {
			const index = rows.findIndex((row) => row.node.entry.id === id);
			if (index >= 0) {
				this.select(index);
				return;
			}
			id = byId.get(id)?.entry.parentId ?? undefined;
		}
		this.select(Math.min(this.selected, Math.max(0, rows.length - 1)));
	}

	private select(index: number): void {
		this.selected = index;
		this.selectedId = this.view.rows[index]?.node.entry.id ?? this.selectedId;
	}

	private setMode(mode: TreeFilterMode): void {
		this.mode = mode;
		this.folded.clear();
		this.refresh();
	}

	handleInput(data: string): void {
		if (this.labelInput) {
			this.handleLabelInput(data);
			return;
		}
		const kb = activeKeybindings();
		const is = (id: KeybindingId) => kb.matches(data, id);
		const rows = this.view.rows;
		const count = rows.length;
		const currentId = rows[this.selected]?.node.entry.id;
		if (is("tui.select.up")) this.select(count ? (this.selected - 1 + count) % count : 0);
		else if (is("tui.select.down")) this.select(count ? (this.selected + 1) % count : 0);
		else if (is("app.tree.foldOrUp")) {
			if (currentId && isFoldable(currentId, this.view.parent, this.view.children) && !this.folded.has(currentId)) {
				this.folded.add(currentId);
				this.refresh();
			} else this.select(this.segmentStart("up"));
		} else if (is("app.tree.unfoldOrDown")) {
			if (currentId && this.folded.has(currentId)) {
				this.folded.delete(currentId);
				this.refresh();
			} else this.select(this.segmentStart("down"));
		} else if (is("tui.editor.cursorLeft") || is("tui.select.pageUp")) {
			this.select(Math.max(0, this.selected - this.options.maxVisible));
		} else if (is("tui.editor.cursorRight") || is("tui.select.pageDown")) {
			this.select(Math.min(Math.max(0, count - 1), this.selected + this.options.maxVisible));
		} else if (is("tui.select.confirm")) {
			if (currentId) this.options.onSelect(currentId);
		} else if (is("app.message.copy")) {
			const row = rows[this.selected];
			this.options.onCopy?.(row ? entryCopyText(row.node.entry) : undefined);
		} else if (is("tui.select.cancel")) {
			if (this.query) {
				this.query = "";
				this.folded.clear();
				this.refresh();
			} else this.options.onCancel();
		} else if (is("app.tree.filter.default")) this.setMode("default");
		else if (FILTER_KEYS.some(([id]) => is(id))) {
			const mode = FILTER_KEYS.find(([id]) => is(id))?.[1] ?? "default";
			this.setMode(this.mode === mode ? "default" : mode);
		} else if (is("app.tree.filter.cycleBackward") || is("app.tree.filter.cycleForward")) {
			const step = is("app.tree.filter.cycleForward") ? 1 : -1;
			const index = TREE_FILTER_MODES.indexOf(this.mode);
			this.setMode(
				TREE_FILTER_MODES[(index + step + TREE_FILTER_MODES.length) % TREE_FILTER_MODES.length] ?? "default",
			);
		} else if (is("tui.editor.deleteCharBackward")) {
			if (this.query) {
				this.query = this.query.slice(0, -1);
				this.folded.clear();
				this.refresh();
			}
		} else if (is("app.tree.editLabel")) {
			const row = rows[this.selected];
			if (row) {
				const input = new Input();
				if (row.node.label) input.setValue(row.node.label);
				input.focused = this.focused;
				this.labelInput = { entryId: row.node.entry.id, input };
			}
		} else if (is("app.tree.toggleLabelTimestamp")) this.showLabelTimes = !this.showLabelTimes;
		else if (data.length > 0 && ![...data].some((ch) => ch.charCodeAt(0) < 32 || ch.charCodeAt(0) === 0x7f)) {
			this.query += data;
			this.folded.clear();
			this.refresh();
		}
	}

	private handleLabelInput(data: string): void {
		const state = this.labelInput;
		if (!state) return;
		const kb = activeKeybindings();
		if (kb.matches(data, "tui.select.confirm")) {
			const label = state.input.getValue().trim() || undefined;
			const node = this.nodes.find((candidate) => candidate.entry.id === state.entryId);
			if (node) {
				node.label = label;
				node.labelTimestamp = label ? new Date().toISOString() : undefined;
			}
			this.options.onLabel?.(state.entryId, label);
			this.labelInput = undefined;
			this.refresh();
		} else if (kb.matches(data, "tui.select.cancel")) this.labelInput = undefined;
		else state.input.handleInput(data);
	}

	/** The start of the branch segment above (walking parents) or below (following first children). */
	private segmentStart(direction: "up" | "down"): number {
		const rows = this.view.rows;
		const indexOf = new Map(rows.map((row, index) => [row.node.entry.id, index]));
		let id = rows[this.selected]?.node.entry.id;
		if (!id) return this.selected;
		if (direction === "down") {
			for (;;) {
				const kids: string[] = this.view.children.get(id) ?? [];
				if (kids.length === 0) return indexOf.get(id) ?? this.selected;
				if (kids.length > 1) return indexOf.get(kids[0] ?? "") ?? this.selected;
				id = kids[0] ?? id;
			}
		}
		for (;;) {
			const up: string | null = this.view.parent.get(id) ?? null;
			if (up === null) return indexOf.get(id) ?? this.selected;
			if ((this.view.children.get(up) ?? []).length > 1) {
				const start = indexOf.get(id) ?? this.selected;
				if (start < this.selected) return start;
			}
			id = up;
		}
	}

	render(width: number): string[] {
		const border = fg("border", "─".repeat(Math.max(1, width)));
		const search = `  ${fg("muted", "Type to search:")} ${this.query ? fg("accent", this.query) : ""}`;
		const searchLine =
			this.focused && !this.labelInput
				? `${truncateToWidth(search, Math.max(0, width - 1))}${CURSOR_MARKER}\x1b[7m \x1b[27m`
				: truncateToWidth(search, width);
		const lines = ["", border, truncateToWidth(` ${bold("  Session Tree")}`, width), ...this.help(width)];
		lines.push(searchLine, border, "");
		if (this.labelInput) lines.push(...this.renderLabelInput(width));
		else lines.push(...this.renderRows(width));
		lines.push("", border);
		return lines;
	}

	private renderRows(width: number): string[] {
		const rows = this.view.rows;
		const status = STATUS[this.mode] + (this.showLabelTimes ? " [+label time]" : "");
		if (rows.length === 0) {
			return [
				truncateToWidth(fg("muted", "  No entries found"), width),
				truncateToWidth(fg("muted", `  (0/0)${status}`), width),
			];
		}
		const { start, end } = visibleWindow(this.selected, rows.length, this.options.maxVisible);
		const calls: ToolCalls = this.toolCalls;
		const shown: { gutter: string; body: string; anchor: number; selected: boolean }[] = [];
		for (let i = start; i < end; i++) {
			const row = rows[i];
			if (!row) continue;
			const entry = row.node.entry;
			const isSelected = i === this.selected;
			const marker = this.options.activePath.has(entry.id) ? fg("accent", "• ") : "";
			const label = row.node.label ? fg("warning", `[${row.node.label}] `) : "";
			const time =
				this.showLabelTimes && row.node.label && row.node.labelTimestamp
					? fg("muted", `${labelTime(row.node.labelTimestamp)} `)
					: "";
			let text = describeEntry(entry, calls);
			if (isSelected) text = bold(text);
			const lead = fg("dim", row.prefix) + (row.foldMark ? fg("accent", "⊞ ") : "") + marker;
			let gutter = isSelected ? fg("accent", "› ") : "  ";
			let body = `${lead}${label}${time}${text}`;
			if (isSelected) {
				gutter = bg("selectedBg", gutter);
				body = bg("selectedBg", body);
			}
			shown.push({ gutter, body, anchor: visibleWidth(lead), selected: isSelected });
		}
		const lines = horizontalViewport(shown, width);
		lines.push(truncateToWidth(fg("muted", `  (${this.selected + 1}/${rows.length})${status}`), width));
		return lines;
	}

	private renderLabelInput(width: number): string[] {
		const state = this.labelInput;
		if (!state) return [];
		state.input.focused = this.focused;
		const kb = activeKeybindings();
		const hint = (id: KeybindingId, action: string) => fg("dim", kb.keyText(id)) + fg("muted", ` ${action}`);
		return [
			truncateToWidth(`  ${fg("muted", "Label (empty to remove):")}`, width),
			...state.input.render(Math.max(1, width - 2)).map((line) => truncateToWidth(`  ${line}`, width)),
			truncateToWidth(`  ${hint("tui.select.confirm", "save")}  ${hint("tui.select.cancel", "cancel")}`, width),
		];
	}

	/** pi's key help: move, page, branch, copy, label, label time, filters, cycle — wrapped to the width. */
	private help(width: number): string[] {
		const kb = activeKeybindings();
		const keys = (ids: KeybindingId[]) => {
			const list = ids.map((id) => kb.keys(id)[0]).filter((key): key is string => key !== undefined);
			if (list.length === 0) return "";
			const prefix = list[0]?.includes("+") ? list[0].slice(0, list[0].lastIndexOf("+") + 1) : "";
			const compact =
				list.length > 1 && prefix && list.every((key) => key.startsWith(prefix))
					? `${prefix}${list.map((key) => key.slice(prefix.length)).join("/")}`
					: list.join("/");
			return compact
				.replace(/\bpageUp\b/g, "pgup")
				.replace(/\bpageDown\b/g, "pgdn")
				.replace(/\bup\b/g, "↑")
				.replace(/\bdown\b/g, "↓")
				.replace(/\bleft\b/g, "←")
				.replace(/\bright\b/g, "→");
		};
		const item = (ids: KeybindingId[], label: string, labelFirst = false) => {
			const text = keys(ids);
			if (!text) return label;
			return labelFirst ? `${label} ${text}` : `${text} ${label}`;
		};
		const items = [
			item(["tui.select.up", "tui.select.down"], "move"),
			item(["tui.editor.cursorLeft", "tui.editor.cursorRight"], "page"),
			item(["app.tree.foldOrUp", "app.tree.unfoldOrDown"], "branch"),
			item(["app.message.copy"], "copy"),
			item(["app.tree.editLabel"], "label"),
			item(["app.tree.toggleLabelTimestamp"], "label time"),
			item(
				[
					"app.tree.filter.default",
					"app.tree.filter.noTools",
					"app.tree.filter.userOnly",
					"app.tree.filter.labeledOnly",
					"app.tree.filter.all",
				],
				"filters",
				true,
			),
			item(["app.tree.filter.cycleForward", "app.tree.filter.cycleBackward"], "cycle", true),
		];
		const lines: string[] = [];
		let current = "";
		for (const text of items) {
			const candidate = current ? `${current} · ${text}` : visibleWidth(`  ${text}`) <= width ? `  ${text}` : text;
			if (!current || visibleWidth(candidate) <= width) {
				current = candidate;
				continue;
			}
			lines.push(...wrapTextWithAnsi(current.trimEnd(), width));
			current = visibleWidth(`  ${text}`) <= width ? `  ${text}` : text;
		}
		if (current) lines.push(...wrapTextWithAnsi(current.trimEnd(), width));
		return lines.map((line) => fg("muted", line));
	}
}

/**
 * pi's horizontal viewport for deep trees: the two-column cursor gutter stays; the row bodies shift left only when
 * the selected row's text would start too far right to show useful content.
 */
function horizontalViewport(
	rows: readonly { gutter: string; body: string; anchor: number; selected: boolean }[],
	width: number,
): string[] {
	const viewport = Math.max(0, width - 2);
	const widest = rows.reduce((max, row) => Math.max(max, visibleWidth(row.body)), 0);
	const maxScroll = Math.max(0, widest - viewport);
	const selected = rows.find((row) => row.selected);
	let scroll = 0;
	if (selected && maxScroll > 0) {
		const minContent = Math.min(20, Math.max(4, Math.floor(viewport / 3)));
		if (selected.anchor > viewport - minContent) {
			const context = Math.min(12, Math.max(2, Math.floor(viewport / 4)));
			scroll = Math.min(maxScroll, selected.anchor - context);
		}
	}
	return rows.map((row) =>
		truncateToWidth(
			scroll > 0 ? `${row.gutter}${sliceColumns(row.body, scroll, scroll + viewport)}\x1b[0m` : row.gutter + row.body,
			width,
			"",
		),
	);
}
