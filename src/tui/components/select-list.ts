/**
 * pi-tui's SelectList (1.6.0): a scrolling list with a selection, drawn as pi draws it — `→ ` on the selected row,
 * the label in a primary column sized to the widest label (within the layout's bounds), the description after it
 * when there is room, and `(n/total)` when the list scrolls. The editor's autocomplete and selectors use it.
 */
import type { Component } from "../component.ts";
import { matchesKey } from "../keys.ts";
import { truncateToWidth, visibleWidth } from "../text-utils.ts";
import { theme } from "../theme.ts";

const DEFAULT_PRIMARY_COLUMN_WIDTH = 32;
const PRIMARY_COLUMN_GAP = 2;
const MIN_DESCRIPTION_WIDTH = 10;

export interface SelectItem {
	value: string;
	label: string;
	description?: string;
}

export interface SelectListTheme {
	selectedPrefix: (text: string) => string;
	selectedText: (text: string) => string;
	description: (text: string) => string;
	scrollInfo: (text: string) => string;
	noMatch: (text: string) => string;
}

export interface SelectListLayout {
	minPrimaryColumnWidth?: number;
	maxPrimaryColumnWidth?: number;
}

/** pi's select list colours: accent selection, muted descriptions. */
export function selectListTheme(): SelectListTheme {
	return {
		selectedPrefix: (text) => theme.fg("accent", text),
		selectedText: (text) => theme.fg("accent", text),
		description: (text) => theme.fg("muted", text),
		scrollInfo: (text) => theme.fg("muted", text),
		noMatch: (text) => theme.fg("muted", text),
	};
}

const singleLine = (text: string) => text.replace(/[\r\n]+/g, " ").trim();

export class SelectList implements Component {
	onSelect?: (item: SelectItem) => void;
	onCancel?: () => void;
	onSelectionChange?: (item: SelectItem) => void;
	private filtered: SelectItem[];
	private selected = 0;

	constructor(
		private readonly items: SelectItem[],
		private readonly maxVisible: number,
		private readonly look: SelectListTheme = selectListTheme(),
		private readonly layout: SelectListLayout = {},
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

	get selectedIndex(): number {
		return this.selected;
	}

	getSelectedItem(): SelectItem | undefined {
		return this.filtered[this.selected];
	}

	getVisibleItems(): SelectItem[] {
		return this.filtered;
	}

	invalidate(): void {}

	/** Up/down wrap around; a page moves by the visible rows and stops at the ends. */
	move(step: "up" | "down" | "pageUp" | "pageDown"): void {
		const count = this.filtered.length;
		if (count === 0) return;
		const before = this.selected;
		if (step === "up") this.selected = this.selected === 0 ? count - 1 : this.selected - 1;
		else if (step === "down") this.selected = this.selected === count - 1 ? 0 : this.selected + 1;
		else {
			const direction = step === "pageUp" ? -1 : 1;
			this.selected = Math.max(0, Math.min(count - 1, this.selected + direction * this.maxVisible));
			if (this.selected === before) return;
		}
		const item = this.getSelectedItem();
		if (item) this.onSelectionChange?.(item);
	}

	handleInput(data: string): void {
		if (matchesKey(data, "up")) this.move("up");
		else if (matchesKey(data, "down")) this.move("down");
		else if (matchesKey(data, "pageUp")) this.move("pageUp");
		else if (matchesKey(data, "pageDown")) this.move("pageDown");
		else if (matchesKey(data, "enter")) {
			const item = this.getSelectedItem();
			if (item) this.onSelect?.(item);
		} else if (matchesKey(data, "escape") || matchesKey(data, "ctrl+c")) this.onCancel?.();
	}

	render(width: number): string[] {
		if (this.filtered.length === 0) return [this.look.noMatch("  No matching commands")];
		const primaryWidth = this.primaryColumnWidth();
		const start = Math.max(
			0,
			Math.min(this.selected - Math.floor(this.maxVisible / 2), this.filtered.length - this.maxVisible),
		);
		const end = Math.min(start + this.maxVisible, this.filtered.length);
		const lines: string[] = [];
		for (let i = start; i < end; i++) {
			const item = this.filtered[i];
			if (!item) continue;
			const description = item.description ? singleLine(item.description) : undefined;
			lines.push(this.renderItem(item, i === this.selected, width, description, primaryWidth));
		}
		if (start > 0 || end < this.filtered.length) {
			const info = `  (${this.selected + 1}/${this.filtered.length})`;
			lines.push(this.look.scrollInfo(truncateToWidth(info, width - 2, "")));
		}
		return lines;
	}

	private renderItem(
		item: SelectItem,
		isSelected: boolean,
		width: number,
		description: string | undefined,
		primaryWidth: number,
	): string {
		const prefix = isSelected ? "→ " : "  ";
		const prefixWidth = visibleWidth(prefix);
		const label = item.label || item.value;
		if (description && width > 40) {
			const column = Math.max(1, Math.min(primaryWidth, width - prefixWidth - 4));
			const value = truncateToWidth(label, Math.max(1, column - PRIMARY_COLUMN_GAP), "");
			const spacing = " ".repeat(Math.max(1, column - visibleWidth(value)));
			const remaining = width - (prefixWidth + visibleWidth(value) + spacing.length) - 2;
			if (remaining > MIN_DESCRIPTION_WIDTH) {
				const text = truncateToWidth(description, remaining, "");
				if (isSelected) return this.look.selectedText(`${prefix}${value}${spacing}${text}`);
				return prefix + value + this.look.description(spacing + text);
			}
		}
		const value = truncateToWidth(label, width - prefixWidth - 2, "");
		return isSelected ? this.look.selectedText(`${prefix}${value}`) : prefix + value;
	}

	private primaryColumnWidth(): number {
		const rawMin =
			this.layout.minPrimaryColumnWidth ?? this.layout.maxPrimaryColumnWidth ?? DEFAULT_PRIMARY_COLUMN_WIDTH;
		const rawMax =
			this.layout.maxPrimaryColumnWidth ?? this.layout.minPrimaryColumnWidth ?? DEFAULT_PRIMARY_COLUMN_WIDTH;
		const min = Math.max(1, Math.min(rawMin, rawMax));
		const max = Math.max(1, Math.max(rawMin, rawMax));
		const widest = this.filtered.reduce(
			(most, item) => Math.max(most, visibleWidth(item.label || item.value) + PRIMARY_COLUMN_GAP),
			0,
		);
		return Math.max(min, Math.min(widest, max));
	}
}
