/**
 * pi-tui's SelectList and SettingsList for extensions: the same constructors, callbacks, keys (the app's
 * tui.select.* bindings) and layout as pi's, drawn with the theme functions the extension passes (pi's
 * getSelectListTheme() / getSettingsListTheme() give the app's colours).
 */
import { fuzzyFilter } from "../../ai/list-models.ts";
import type { Component } from "../../tui/component.ts";
import { truncateToWidth, visibleWidth, wrapTextWithAnsi } from "../../tui/text-utils.ts";
import { Input } from "./inputs.ts";
import { getKeybindings, getSelectPageIndex } from "./keys.ts";

export interface SelectItem {
	value: string;
	label: string;
	description?: string;
}

type Style = (text: string) => string;

export interface SelectListTheme {
	selectedPrefix: Style;
	selectedText: Style;
	description: Style;
	scrollInfo: Style;
	noMatch: Style;
}

export interface SelectListLayout {
	minPrimaryColumnWidth?: number;
	maxPrimaryColumnWidth?: number;
	truncatePrimary?: (context: {
		text: string;
		maxWidth: number;
		columnWidth: number;
		item: SelectItem;
		isSelected: boolean;
	}) => string;
}

const PRIMARY_GAP = 2;
const DEFAULT_PRIMARY_WIDTH = 32;

function oneLine(text: string): string {
	return text.replace(/[\r\n]+/g, " ").trim();
}

/** The window of `count` items around `selected` that shows at most `size` of them. */
function visibleRange(selected: number, count: number, size: number): { start: number; end: number } {
	const start = Math.max(0, Math.min(selected - Math.floor(size / 2), count - size));
	return { start, end: Math.min(start + size, count) };
}

export class SelectList implements Component {
	readonly capturesViewportInput = true;
	onSelect?: (item: SelectItem) => void;
	onCancel?: () => void;
	onSelectionChange?: (item: SelectItem) => void;
	private filtered: SelectItem[];
	private selected = 0;

	constructor(
		private readonly items: SelectItem[],
		private readonly maxVisible: number,
		private readonly theme: SelectListTheme,
		private readonly layout: SelectListLayout = {},
	) {
		this.filtered = items;
	}

	/** Keeps the items whose value starts with `filter` (case-insensitive). */
	setFilter(filter: string): void {
		const needle = filter.toLowerCase();
		this.filtered = this.items.filter((item) => item.value.toLowerCase().startsWith(needle));
		this.selected = 0;
	}

	setSelectedIndex(index: number): void {
		this.selected = Math.max(0, Math.min(index, this.filtered.length - 1));
	}

	getSelectedItem(): SelectItem | null {
		return this.filtered[this.selected] ?? null;
	}

	invalidate(): void {}

	handleInput(data: string): void {
		const kb = getKeybindings();
		const count = this.filtered.length;
		const page = getSelectPageIndex(kb, data, this.selected, count, this.maxVisible);
		if (kb.matches(data, "tui.select.up")) {
			this.selected = this.selected === 0 ? count - 1 : this.selected - 1;
			this.changed();
		} else if (kb.matches(data, "tui.select.down")) {
			this.selected = this.selected >= count - 1 ? 0 : this.selected + 1;
			this.changed();
		} else if (page !== undefined) {
			if (count === 0 || page === this.selected) return;
			this.selected = page;
			this.changed();
		} else if (kb.matches(data, "tui.select.confirm")) {
			const item = this.filtered[this.selected];
			if (item) this.onSelect?.(item);
		} else if (kb.matches(data, "tui.select.cancel")) {
			this.onCancel?.();
		}
	}

	private changed(): void {
		const item = this.filtered[this.selected];
		if (item) this.onSelectionChange?.(item);
	}

	render(width: number): string[] {
		if (this.filtered.length === 0) return [this.theme.noMatch("  No matching commands")];
		const columnWidth = this.primaryColumnWidth();
		const { start, end } = visibleRange(this.selected, this.filtered.length, this.maxVisible);
		const lines: string[] = [];
		for (let i = start; i < end; i++) {
			const item = this.filtered[i];
			if (item) lines.push(this.renderItem(item, i === this.selected, width, columnWidth));
		}
		if (start > 0 || end < this.filtered.length) {
			const info = `  (${this.selected + 1}/${this.filtered.length})`;
			lines.push(this.theme.scrollInfo(truncateToWidth(info, width - 2, "")));
		}
		return lines;
	}

	private primaryColumnWidth(): number {
		const { minPrimaryColumnWidth: min, maxPrimaryColumnWidth: max } = this.layout;
		const low = Math.max(1, Math.min(min ?? max ?? DEFAULT_PRIMARY_WIDTH, max ?? min ?? DEFAULT_PRIMARY_WIDTH));
		const high = Math.max(1, Math.max(min ?? max ?? DEFAULT_PRIMARY_WIDTH, max ?? min ?? DEFAULT_PRIMARY_WIDTH));
		const widest = Math.max(0, ...this.filtered.map((item) => visibleWidth(item.label || item.value) + PRIMARY_GAP));
		return Math.max(low, Math.min(widest, high));
	}

	private primary(item: SelectItem, isSelected: boolean, maxWidth: number, columnWidth: number): string {
		const text = item.label || item.value;
		const cut = this.layout.truncatePrimary
			? this.layout.truncatePrimary({ text, maxWidth, columnWidth, item, isSelected })
			: text;
		return truncateToWidth(cut, maxWidth, "");
	}

	private renderItem(item: SelectItem, isSelected: boolean, width: number, columnWidth: number): string {
		const prefix = isSelected ? "→ " : "  ";
		const description = item.description ? oneLine(item.description) : undefined;
		if (description && width > 40) {
			const column = Math.max(1, Math.min(columnWidth, width - prefix.length - 4));
			const value = this.primary(item, isSelected, Math.max(1, column - PRIMARY_GAP), column);
			const spacing = " ".repeat(Math.max(1, column - visibleWidth(value)));
			const room = width - prefix.length - visibleWidth(value) - spacing.length - 2;
			if (room > 10) {
				const text = truncateToWidth(description, room, "");
				if (isSelected) return this.theme.selectedText(`${prefix}${value}${spacing}${text}`);
				return prefix + value + this.theme.description(spacing + text);
			}
		}
		const maxWidth = width - prefix.length - 2;
		const value = this.primary(item, isSelected, maxWidth, maxWidth);
		return isSelected ? this.theme.selectedText(`${prefix}${value}`) : prefix + value;
	}
}

export interface SettingItem {
	id: string;
	label: string;
	description?: string;
	currentValue: string;
	values?: string[];
	submenu?: (
		currentValue: string,
		done: (selectedValue?: string, options?: { navigateTo?: string }) => void,
	) => Component;
}

export interface SettingsListTheme {
	label: (text: string, selected: boolean) => string;
	value: (text: string, selected: boolean) => string;
	description: Style;
	cursor: string;
	hint: Style;
}

/** A list of settings: Enter/Space cycles a value or opens its submenu, Escape cancels, optional fuzzy search. */
export class SettingsList implements Component {
	readonly capturesViewportInput = true;
	private filtered: SettingItem[];
	private selected = 0;
	private readonly search: Input | undefined;
	private submenu: { component: Component; index: number } | undefined;
	private navigateAfterClose: string | undefined;

	constructor(
		private readonly items: SettingItem[],
		private readonly maxVisible: number,
		private readonly theme: SettingsListTheme,
		private readonly onChange: (id: string, newValue: string) => void,
		private readonly onCancel: () => void,
		options: { enableSearch?: boolean } = {},
	) {
		this.filtered = items;
		if (options.enableSearch) this.search = new Input();
	}

	updateValue(id: string, newValue: string): void {
		const item = this.items.find((candidate) => candidate.id === id);
		if (item) item.currentValue = newValue;
	}

	selectItem(id: string): void {
		const index = this.shown().findIndex((item) => item.id === id);
		if (index !== -1) this.selected = index;
	}

	invalidate(): void {
		this.submenu?.component.invalidate?.();
	}

	private shown(): SettingItem[] {
		return this.search ? this.filtered : this.items;
	}

	handleInput(data: string): void {
		if (this.submenu) {
			this.submenu.component.handleInput?.(data);
			return;
		}
		const kb = getKeybindings();
		const items = this.shown();
		const page = getSelectPageIndex(kb, data, this.selected, items.length, this.maxVisible);
		const queryEmpty = !this.search || this.search.getValue().length === 0;
		if (kb.matches(data, "tui.select.up")) {
			if (items.length > 0) this.selected = this.selected === 0 ? items.length - 1 : this.selected - 1;
		} else if (kb.matches(data, "tui.select.down")) {
			if (items.length > 0) this.selected = this.selected >= items.length - 1 ? 0 : this.selected + 1;
		} else if (page !== undefined) {
			if (items.length > 0) this.selected = page;
		} else if (kb.matches(data, "tui.select.confirm") || (data === " " && queryEmpty)) {
			this.activate();
		} else if (kb.matches(data, "tui.select.cancel")) {
			this.onCancel();
		} else if (this.search) {
			const before = this.search.getValue();
			this.search.handleInput(data);
			const query = this.search.getValue();
			if (query !== before) {
				this.filtered = fuzzyFilter(this.items, query, (item) => item.label);
				this.selected = 0;
			}
		}
	}

	private activate(): void {
		const item = this.shown()[this.selected];
		if (!item) return;
		if (item.submenu) {
			const index = this.selected;
			const component = item.submenu(item.currentValue, (value, options) => {
				if (value !== undefined) {
					item.currentValue = value;
					this.onChange(item.id, value);
				}
				if (options?.navigateTo) this.navigateAfterClose = options.navigateTo;
				this.closeSubmenu(index);
			});
			this.submenu = { component, index };
		} else if (item.values && item.values.length > 0) {
			const next = item.values[(item.values.indexOf(item.currentValue) + 1) % item.values.length] ?? item.currentValue;
			item.currentValue = next;
			this.onChange(item.id, next);
		}
	}

	private closeSubmenu(index: number): void {
		this.submenu = undefined;
		const target = this.navigateAfterClose;
		this.navigateAfterClose = undefined;
		if (target !== undefined) {
			this.selectItem(target);
			this.activate();
		} else this.selected = index;
	}

	render(width: number): string[] {
		if (this.submenu) return this.submenu.component.render(width);
		const lines: string[] = [];
		if (this.search) lines.push(...this.search.render(width), "");
		const hint = () =>
			lines.push(
				"",
				truncateToWidth(
					this.theme.hint(
						this.search
							? "  Type to search · Enter/Space to change · Esc to cancel"
							: "  Enter/Space to change · Esc to cancel",
					),
					width,
				),
			);
		if (this.items.length === 0) {
			lines.push(this.theme.hint("  No settings available"));
			if (this.search) hint();
			return lines;
		}
		const items = this.shown();
		if (items.length === 0) {
			lines.push(truncateToWidth(this.theme.hint("  No matching settings"), width));
			hint();
			return lines;
		}
		const { start, end } = visibleRange(this.selected, items.length, this.maxVisible);
		const labelWidth = Math.min(36, Math.max(...this.items.map((item) => visibleWidth(item.label))));
		for (let i = start; i < end; i++) {
			const item = items[i];
			if (!item) continue;
			const isSelected = i === this.selected;
			const prefix = isSelected ? this.theme.cursor : "  ";
			const label = this.theme.label(
				item.label + " ".repeat(Math.max(0, labelWidth - visibleWidth(item.label))),
				isSelected,
			);
			const valueWidth = width - visibleWidth(prefix) - labelWidth - 2 - 2;
			const value = this.theme.value(truncateToWidth(item.currentValue, valueWidth, ""), isSelected);
			lines.push(truncateToWidth(`${prefix}${label}  ${value}`, width));
		}
		if (start > 0 || end < items.length) {
			lines.push(this.theme.hint(truncateToWidth(`  (${this.selected + 1}/${items.length})`, width - 2, "")));
		}
		const description = items[this.selected]?.description;
		if (description) {
			lines.push("");
			for (const line of wrapTextWithAnsi(description, width - 4)) lines.push(this.theme.description(`  ${line}`));
		}
		hint();
		return lines;
	}
}
