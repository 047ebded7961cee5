/**
 * Overlays: components drawn over the screen's rows (dialogs of extensions, pickers) without moving what is under
 * them. The TUI keeps a stack; each frame the screen strategy composites the visible ones onto the rows it is about
 * to show. Options follow pi-tui's OverlayOptions (size, anchor, offsets, row/col, margin, responsive visibility).
 */
import type { Component } from "./component.ts";
import { sliceColumns, visibleWidth } from "./text-utils.ts";

/** Columns/rows, or a percentage of the terminal ("50%"). */
export type SizeValue = number | `${number}%`;

export type OverlayAnchor =
	| "center"
	| "top-left"
	| "top-right"
	| "bottom-left"
	| "bottom-right"
	| "top-center"
	| "bottom-center"
	| "left-center"
	| "right-center";

export interface OverlayMargin {
	top?: number;
	right?: number;
	bottom?: number;
	left?: number;
}

export interface OverlayOptions {
	width?: SizeValue;
	minWidth?: number;
	maxHeight?: SizeValue;
	anchor?: OverlayAnchor;
	offsetX?: number;
	offsetY?: number;
	row?: SizeValue;
	col?: SizeValue;
	margin?: OverlayMargin | number;
	/** Called every frame; the overlay is drawn only while it returns true. */
	visible?: (columns: number, rows: number) => boolean;
	/** Shown without taking keyboard focus. */
	nonCapturing?: boolean;
}

export interface OverlayBounds {
	row: number;
	col: number;
	width: number;
	height: number;
}

export interface OverlayHandle {
	/** Removes the overlay for good. */
	hide(): void;
	setHidden(hidden: boolean): void;
	isHidden(): boolean;
	/** Gives it keyboard focus and brings it to the front. */
	focus(): void;
	/** Gives focus back to what had it before. */
	unfocus(): void;
	isFocused(): boolean;
	/** Where it was drawn last (screen rows/columns), while visible. */
	getBounds(): OverlayBounds | undefined;
}

export interface OverlayEntry {
	component: Component;
	options: OverlayOptions;
	hidden: boolean;
	/** Higher is drawn later (on top). */
	order: number;
	bounds?: OverlayBounds;
}

function parseSize(value: SizeValue | undefined, total: number): number | undefined {
	if (value === undefined) return undefined;
	if (typeof value === "number") return value;
	const percent = Number.parseFloat(value);
	return Number.isFinite(percent) ? Math.floor((total * percent) / 100) : undefined;
}

function percentOf(value: SizeValue | undefined): number | undefined {
	if (typeof value !== "string") return undefined;
	const percent = Number.parseFloat(value);
	return Number.isFinite(percent) ? percent / 100 : undefined;
}

interface Layout {
	width: number;
	maxHeight: number | undefined;
	place(height: number): { row: number; col: number };
}

export function overlayLayout(options: OverlayOptions, columns: number, rows: number): Layout {
	const m =
		typeof options.margin === "number"
			? { top: options.margin, right: options.margin, bottom: options.margin, left: options.margin }
			: (options.margin ?? {});
	const top = Math.max(0, m.top ?? 0);
	const right = Math.max(0, m.right ?? 0);
	const bottom = Math.max(0, m.bottom ?? 0);
	const left = Math.max(0, m.left ?? 0);
	const availWidth = Math.max(1, columns - left - right);
	const availHeight = Math.max(1, rows - top - bottom);
	let width = parseSize(options.width, columns) ?? Math.min(80, availWidth);
	if (options.minWidth !== undefined) width = Math.max(width, options.minWidth);
	width = Math.max(1, Math.min(width, availWidth));
	const requestedMax = parseSize(options.maxHeight, rows);
	const maxHeight = requestedMax === undefined ? undefined : Math.max(1, Math.min(requestedMax, availHeight));
	const anchor = options.anchor ?? "center";
	return {
		width,
		maxHeight,
		place(height) {
			let row: number;
			const rowPercent = percentOf(options.row);
			if (rowPercent !== undefined) row = top + Math.floor(Math.max(0, availHeight - height) * rowPercent);
			else if (typeof options.row === "number") row = options.row;
			else if (anchor.startsWith("top")) row = top;
			else if (anchor.startsWith("bottom")) row = top + availHeight - height;
			else row = top + Math.floor((availHeight - height) / 2);
			let col: number;
			const colPercent = percentOf(options.col);
			if (colPercent !== undefined) col = left + Math.floor(Math.max(0, availWidth - width) * colPercent);
			else if (typeof options.col === "number") col = options.col;
			else if (anchor.endsWith("left")) col = left;
			else if (anchor.endsWith("right")) col = left + availWidth - width;
			else col = left + Math.floor((availWidth - width) / 2);
			row += options.offsetY ?? 0;
			col += options.offsetX ?? 0;
			row = Math.max(top, Math.min(row, rows - bottom - height));
			col = Math.max(left, Math.min(col, columns - right - width));
			return { row, col };
		},
	};
}

/** `overlay` laid over `base` from column `col`, `width` columns wide; the base's styles resume after it. */
export function compositeLine(base: string, overlay: string, col: number, width: number, columns: number): string {
	const fitted = visibleWidth(overlay) > width ? sliceColumns(overlay, 0, width) : overlay;
	const pad = Math.max(0, width - visibleWidth(fitted));
	const before = sliceColumns(base, 0, col);
	const baseWidth = visibleWidth(base);
	const after =
		col + width < Math.min(columns, baseWidth) ? sliceColumns(base, col + width, Math.min(columns, baseWidth)) : "";
	return `${before}${fitted}${" ".repeat(pad)}\x1b[0m${after}`;
}

/**
 * Draws the visible overlays over `screen` (the rows as they will appear on the terminal, top row first; modified in
 * place, padded with blank rows to the terminal height when shorter). Records each overlay's bounds.
 */
export function compositeOverlays(
	screen: string[],
	entries: readonly OverlayEntry[],
	columns: number,
	rows: number,
): void {
	const visible = entries.filter((entry) => {
		entry.bounds = undefined;
		return !entry.hidden && (entry.options.visible?.(columns, rows) ?? true);
	});
	if (visible.length === 0) return;
	while (screen.length < rows) screen.push("");
	for (const entry of visible.sort((a, b) => a.order - b.order)) {
		const layout = overlayLayout(entry.options, columns, rows);
		let lines = entry.component.render(layout.width);
		if (layout.maxHeight !== undefined && lines.length > layout.maxHeight) lines = lines.slice(0, layout.maxHeight);
		const { row, col } = layout.place(lines.length);
		entry.bounds = { row, col, width: layout.width, height: lines.length };
		for (let i = 0; i < lines.length; i++) {
			const target = row + i;
			if (target < 0 || target >= screen.length) continue;
			screen[target] = compositeLine(screen[target] ?? "", lines[i] ?? "", col, layout.width, columns);
		}
	}
}
