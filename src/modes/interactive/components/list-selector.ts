/**
 * A bordered, filterable list that temporarily replaces the editor (model picker, /resume, /fork, /tree,
 * /settings). Typing filters, ↑/↓ move (wrapping), Enter selects, Escape / Ctrl+C cancel.
 */
import { matchesKey, printableText } from "../../../tui/keys.ts";
import { truncateToWidth } from "../../../tui/text-utils.ts";
import { activeKeybindings } from "../keybindings.ts";
import { visibleWindow } from "../selector-height.ts";
import { bold, fg } from "../style.ts";
import type { UiComponent } from "./primitives.ts";

export interface ListItem<T> {
	value: T;
	/** The row as shown (may contain ANSI styles). */
	label: string;
	/** Plain text matched by the filter. */
	searchText: string;
	description?: string;
}

export interface ListSelectorOptions<T> {
	title: string;
	hint?: string;
	items: ListItem<T>[];
	maxVisible?: number;
	initialIndex?: number;
	/** Rows start filtered with this query. */
	initialFilter?: string;
	onSelect: (value: T) => void;
	onCancel: () => void;
}

/** Every whitespace-separated word of the query must occur (case-insensitively) in the text. */
export function matchesFilter(text: string, query: string): boolean {
	const haystack = text.toLowerCase();
	return query
		.toLowerCase()
		.split(/\s+/)
		.filter(Boolean)
		.every((word) => haystack.includes(word));
}

export class ListSelector<T> implements UiComponent {
	private filter: string;
	private selected: number;
	private readonly maxVisible: number;
	private titleSuffix = "";

	constructor(private readonly options: ListSelectorOptions<T>) {
		this.filter = options.initialFilter ?? "";
		this.maxVisible = options.maxVisible ?? 10;
		this.selected = Math.max(0, Math.min(options.initialIndex ?? 0, this.visibleItems().length - 1));
	}

	private visibleItems(): ListItem<T>[] {
		if (!this.filter) return this.options.items;
		return this.options.items.filter((item) => matchesFilter(item.searchText, this.filter));
	}

	/** Text after the title (a dialog's countdown). */
	setTitleSuffix(suffix: string): void {
		this.titleSuffix = suffix;
	}

	get selectedValue(): T | undefined {
		return this.visibleItems()[this.selected]?.value;
	}

	handleInput(data: string): void {
		const items = this.visibleItems();
		const kb = activeKeybindings();
		if (kb.matches(data, "tui.select.cancel")) {
			this.options.onCancel();
			return;
		}
		if (kb.matches(data, "tui.select.confirm")) {
			const item = items[this.selected];
			if (item) this.options.onSelect(item.value);
			return;
		}
		if (kb.matches(data, "tui.select.up")) {
			if (items.length > 0) this.selected = (this.selected - 1 + items.length) % items.length;
			return;
		}
		if (kb.matches(data, "tui.select.down")) {
			if (items.length > 0) this.selected = (this.selected + 1) % items.length;
			return;
		}
		if (kb.matches(data, "tui.select.pageUp")) {
			this.selected = Math.max(0, this.selected - this.maxVisible);
			return;
		}
		if (kb.matches(data, "tui.select.pageDown")) {
			this.selected = Math.min(Math.max(0, items.length - 1), this.selected + this.maxVisible);
			return;
		}
		if (matchesKey(data, "backspace")) {
			this.filter = this.filter.slice(0, -1);
			this.selected = 0;
			return;
		}
		// Printable text extends the filter.
		const text = printableText(data);
		if (text !== undefined) {
			this.filter += text;
			this.selected = 0;
		}
	}

	render(width: number): string[] {
		const items = this.visibleItems();
		const border = fg("border", "─".repeat(Math.max(1, width)));
		const lines = [border, ` ${fg("accent", bold(this.options.title + this.titleSuffix))}`];
		if (this.options.hint) lines.push(` ${fg("muted", this.options.hint)}`);
		lines.push(` ${fg("muted", "Search:")} ${this.filter}`, "");
		if (items.length === 0) lines.push(` ${fg("muted", "No matches")}`);
		const { start, end } = visibleWindow(this.selected, items.length, this.maxVisible);
		for (let i = start; i < end; i++) {
			const item = items[i];
			if (!item) continue;
			const isSelected = i === this.selected;
			const prefix = isSelected ? fg("accent", "→ ") : "  ";
			const label = isSelected ? fg("accent", item.label) : item.label;
			const description = item.description ? fg("muted", `  ${item.description}`) : "";
			lines.push(truncateToWidth(`${prefix}${label}${description}`, width, "…"));
		}
		if (items.length > this.maxVisible) lines.push(fg("muted", `  (${this.selected + 1}/${items.length})`));
		lines.push(border);
		return lines.map((line) => truncateToWidth(line, width, "…"));
	}
}
