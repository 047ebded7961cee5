import type { Component } from "../component.ts";
import { matchesKey } from "../keys.ts";
import { truncateToWidth, visibleWidth } from "../text-utils.ts";
import { theme } from "../theme.ts";

export interface SelectItem {
	value: string;
	label: string;
	description?: string;
}

/** A scrolling list with a selection; ↑/↓ move (wrapping), Enter selects, Escape/ctrl+c cancels. */
export class SelectList implements Component {
	onSelect?: (item: SelectItem) => void;
	onCancel?: () => void;
	onSelectionChange?: (item: SelectItem) => void;
	private filtered: SelectItem[];
	private selected = 0;

	constructor(
		private readonly items: SelectItem[],
		private readonly maxVisible: number,
	) {
		this.filtered = items;
	}

	/** Keeps items whose value starts with `text` (case-insensitive), as pi's slash-command list does. */
	setFilter(text: string): void {
		const needle = text.toLowerCase();
		this.filtered = this.items.filter((item) => item.value.toLowerCase().startsWith(needle));
		this.selected = 0;
	}

	setSelectedIndex(index: number): void {
		this.selected = Math.max(0, Math.min(index, this.filtered.length - 1));
	}

	getSelectedItem(): SelectItem | undefined {
		return this.filtered[this.selected];
	}

	getVisibleItems(): SelectItem[] {
		return this.filtered;
	}

	handleInput(data: string): void {
		const count = this.filtered.length;
		if (matchesKey(data, "up") || matchesKey(data, "ctrl+p")) {
			if (count === 0) return;
			this.selected = (this.selected - 1 + count) % count;
			this.notifyChange();
		} else if (matchesKey(data, "down") || matchesKey(data, "ctrl+n")) {
			if (count === 0) return;
			this.selected = (this.selected + 1) % count;
			this.notifyChange();
		} else if (matchesKey(data, "enter")) {
			const item = this.getSelectedItem();
			if (item) this.onSelect?.(item);
		} else if (matchesKey(data, "escape") || matchesKey(data, "ctrl+c")) {
			this.onCancel?.();
		}
	}

	private notifyChange(): void {
		const item = this.getSelectedItem();
		if (item) this.onSelectionChange?.(item);
	}

	render(width: number): string[] {
		if (this.filtered.length === 0) return [theme.fg("muted", truncateToWidth("  No matching items", width))];
		const visible = Math.max(1, this.maxVisible);
		const start = Math.max(0, Math.min(this.selected - Math.floor(visible / 2), this.filtered.length - visible));
		const end = Math.min(this.filtered.length, start + visible);
		const labelWidth = Math.min(32, Math.max(...this.filtered.map((item) => visibleWidth(item.label))) + 2);
		const lines: string[] = [];
		for (let i = start; i < end; i++) {
			const item = this.filtered[i];
			if (!item) continue;
			const isSelected = i === this.selected;
			const prefix = isSelected ? "→ " : "  ";
			const label = truncateToWidth(item.label, labelWidth);
			let line = prefix + label;
			if (item.description && width > labelWidth + 12) {
				const gap = " ".repeat(Math.max(1, labelWidth - visibleWidth(label)));
				line += gap + theme.fg("muted", item.description.replace(/\s+/g, " "));
			}
			line = truncateToWidth(line, width);
			lines.push(isSelected ? theme.fg("accent", line) : line);
		}
		if (this.filtered.length > visible) {
			lines.push(theme.fg("muted", truncateToWidth(`  (${this.selected + 1}/${this.filtered.length})`, width)));
		}
		return lines;
	}
}
