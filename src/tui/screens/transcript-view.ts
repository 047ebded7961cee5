/**
 * The fullscreen transcript as a virtual list: its leaf components are rendered only when their rows are on screen
 * (or searched, or printed on exit). Rows of components never rendered at this width are estimated, so resuming a
 * huge session renders one screen, and the scrollbar still has a total. The scroll position is a component and a
 * row inside it, so it stays on the same text while anything above it changes height.
 */
import type { Component } from "../component.ts";
import { Container, leavesOf } from "../container.ts";
import { fitLines } from "../fit.ts";

/** Where a transcript row comes from: the leaf component and the row inside its lines. */
export interface RowRef {
	leaf: Component;
	row: number;
}

/** Components may say roughly how many rows they would take, so unrendered ones do not count as one row. */
interface Estimating {
	estimateHeight?(width: number): number;
	/** A user prompt: the target of "jump to previous/next prompt". */
	promptMark?: boolean;
}

interface Measured {
	width: number;
	height: number;
}

export class TranscriptView {
	private leaves: readonly Component[] = [];
	private readonly index = new Map<Component, number>();
	private readonly measured = new WeakMap<Component, Measured>();
	/** Rows of each leaf (measured, or estimated). */
	private heights: number[] = [];
	/** prefix[i]: rows before leaf i; valid below `validPrefix`. */
	private prefix: number[] = [0];
	private validPrefix = 0;
	/** undefined: following the end (new output scrolls into view). */
	private anchor: RowRef | undefined;
	private width = 0;
	private version = -1;
	private root: Component | undefined;

	/** Re-reads the leaves of `root` when the tree changed (nothing is rendered). */
	refresh(root: Component, width: number): void {
		if (root === this.root && width === this.width && Container.version === this.version) return;
		this.version = Container.version;
		const leaves = leavesOf(root);
		// The usual change: leaves added at the end (a new message), or a change outside the transcript (the dock).
		if (root === this.root && width === this.width && startsWith(leaves, this.leaves)) {
			const known = this.leaves.length;
			this.leaves = leaves;
			// Estimates may have changed since (measured heights are kept as they are, as a rebuild would find them).
			for (let i = 0; i < known; i++) {
				const leaf = leaves[i] as Component;
				if (this.measured.get(leaf)?.width === this.width) continue;
				const height = this.knownHeight(leaf);
				if (this.heights[i] !== height) {
					this.heights[i] = height;
					this.validPrefix = Math.min(this.validPrefix, i);
				}
			}
			for (let i = known; i < leaves.length; i++) this.addLeaf(leaves[i] as Component, i);
			this.validPrefix = Math.min(this.validPrefix, known);
			return;
		}
		this.root = root;
		this.width = width;
		this.leaves = leaves;
		this.index.clear();
		this.heights = [];
		for (let i = 0; i < leaves.length; i++) this.addLeaf(leaves[i] as Component, i);
		this.validPrefix = 0;
		if (this.anchor && !this.index.has(this.anchor.leaf)) this.anchor = undefined;
	}

	private addLeaf(leaf: Component, i: number): void {
		this.index.set(leaf, i);
		this.heights[i] = this.knownHeight(leaf);
	}

	get following(): boolean {
		return this.anchor === undefined;
	}

	get leafCount(): number {
		return this.leaves.length;
	}

	/** Running average of measured heights: the guess for components that cannot estimate themselves. */
	private measuredRows = 0;
	private measuredCount = 0;

	private knownHeight(leaf: Component): number {
		const known = this.measured.get(leaf);
		if (known?.width === this.width) return known.height;
		const estimate = (leaf as Estimating).estimateHeight?.(this.width);
		if (estimate !== undefined) return Math.max(0, Math.round(estimate));
		if (known) return Math.max(1, Math.round((known.height * known.width) / Math.max(1, this.width)));
		return this.measuredCount > 0 ? Math.max(1, Math.round(this.measuredRows / this.measuredCount)) : 1;
	}

	/** The lines of leaf `i` at the current width (rendered now; its height is remembered). */
	lines(i: number): readonly string[] {
		const leaf = this.leaves[i];
		if (!leaf) return [];
		const lines = fitLines(leaf.render(this.width), this.width);
		const before = this.measured.get(leaf);
		if (!before) {
			this.measuredRows += lines.length;
			this.measuredCount++;
		}
		this.measured.set(leaf, { width: this.width, height: lines.length });
		if (this.heights[i] !== lines.length) {
			this.heights[i] = lines.length;
			this.validPrefix = Math.min(this.validPrefix, i);
		}
		return lines;
	}

	/** Rows before leaf `i`. */
	private before(i: number): number {
		if (this.prefix.length < this.leaves.length + 1) this.prefix.length = this.leaves.length + 1;
		if (this.validPrefix === 0) this.prefix[0] = 0;
		for (let k = Math.max(1, this.validPrefix + 1); k <= i; k++) {
			this.prefix[k] = (this.prefix[k - 1] ?? 0) + (this.heights[k - 1] ?? 0);
		}
		this.validPrefix = Math.max(this.validPrefix, i);
		return this.prefix[i] ?? 0;
	}

	/** Rows of the whole transcript (measured where known, estimated elsewhere). */
	total(): number {
		return this.before(this.leaves.length);
	}

	/** Absolute row of a reference. */
	rowOf(ref: RowRef): number {
		const i = this.index.get(ref.leaf);
		return i === undefined ? 0 : this.before(i) + ref.row;
	}

	/** The reference of an absolute row (clamped to the transcript). */
	refAt(row: number): RowRef | undefined {
		if (this.leaves.length === 0) return undefined;
		const total = this.total();
		if (row >= total) {
			const last = this.leaves.length - 1;
			const leaf = this.leaves[last];
			return leaf ? { leaf, row: Math.max(0, (this.heights[last] ?? 1) - 1) } : undefined;
		}
		let low = 0;
		let high = this.leaves.length - 1;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if ((this.prefix[mid] ?? 0) <= row) low = mid;
			else high = mid - 1;
		}
		const leaf = this.leaves[low];
		return leaf ? { leaf, row: Math.max(0, row - (this.prefix[low] ?? 0)) } : undefined;
	}

	/** First row on screen for a viewport of `rows` rows. */
	top(rows: number): number {
		const max = Math.max(0, this.total() - rows);
		if (!this.anchor) return max;
		return Math.max(0, Math.min(max, this.rowOf(this.anchor)));
	}

	scrollTo(row: number, rows: number): void {
		const max = Math.max(0, this.total() - rows);
		const target = Math.max(0, Math.min(max, Math.round(row)));
		this.anchor = target >= max ? undefined : this.refAt(target);
	}

	/**
	 * Moves the view by `delta` rows, walking the components next to it (rendering them), so relative scrolling is
	 * exact even where heights were only estimated. Reaching the end follows it again.
	 */
	scrollBy(delta: number, rows: number): void {
		const start = this.anchor ?? this.windowFromEnd(rows).refs[0];
		if (!start || delta === 0) return;
		let i = this.index.get(start.leaf) ?? 0;
		let r = start.row;
		let remaining = Math.abs(delta);
		if (delta < 0) {
			while (remaining > 0) {
				if (r >= remaining) {
					r -= remaining;
					break;
				}
				remaining -= r + 1;
				if (i === 0) {
					r = 0;
					break;
				}
				i--;
				r = Math.max(0, this.lines(i).length - 1);
			}
		} else {
			while (remaining > 0) {
				const height = this.lines(i).length;
				if (r + remaining < height) {
					r += remaining;
					break;
				}
				remaining -= height - r;
				if (i >= this.leaves.length - 1) {
					this.anchor = undefined;
					return;
				}
				i++;
				r = 0;
			}
		}
		const leaf = this.leaves[i];
		this.anchor = leaf ? { leaf, row: r } : undefined;
		if (!this.hasRowsBelow(rows)) this.anchor = undefined;
	}

	/** True when at least `rows` rows follow the anchor (else the view shows the end). */
	private hasRowsBelow(rows: number): boolean {
		if (!this.anchor) return false;
		let i = this.index.get(this.anchor.leaf) ?? 0;
		let count = -this.anchor.row;
		while (i < this.leaves.length && count < rows) count += this.lines(i++).length;
		return count > rows;
	}

	/** Stop following the end without moving (a selection or a search holds the view still). */
	hold(rows: number): void {
		if (this.anchor) return;
		const top = this.top(rows);
		if (top > 0) this.anchor = this.refAt(top);
	}

	follow(): void {
		this.anchor = undefined;
	}

	/**
	 * The rows on screen: `rows` rows from the top, each with where it came from. Only the leaves they come from
	 * are rendered; when following, leaves are rendered from the end backwards.
	 */
	window(rows: number): { top: number; lines: string[]; refs: RowRef[] } {
		if (this.leaves.length === 0 || rows <= 0) return { top: 0, lines: [], refs: [] };
		if (!this.anchor || !this.hasRowsBelow(rows)) {
			this.anchor = undefined;
			return this.windowFromEnd(rows);
		}
		const lines: string[] = [];
		const refs: RowRef[] = [];
		let i = this.index.get(this.anchor.leaf) ?? 0;
		let offset = this.anchor.row;
		while (lines.length < rows && i < this.leaves.length) {
			const leaf = this.leaves[i];
			const leafLines = this.lines(i);
			for (let r = offset; r < leafLines.length && lines.length < rows; r++) {
				lines.push(leafLines[r] ?? "");
				if (leaf) refs.push({ leaf, row: r });
			}
			offset = 0;
			i++;
		}
		return { top: this.rowOf(this.anchor), lines, refs };
	}

	private windowFromEnd(rows: number): { top: number; lines: string[]; refs: RowRef[] } {
		const chunks: { leaf: Component; lines: readonly string[] }[] = [];
		let count = 0;
		for (let i = this.leaves.length - 1; i >= 0 && count < rows; i--) {
			const leaf = this.leaves[i];
			if (!leaf) continue;
			const leafLines = this.lines(i);
			chunks.push({ leaf, lines: leafLines });
			count += leafLines.length;
		}
		const lines: string[] = [];
		const refs: RowRef[] = [];
		let skip = Math.max(0, count - rows);
		for (let c = chunks.length - 1; c >= 0; c--) {
			const chunk = chunks[c];
			if (!chunk) continue;
			for (let r = 0; r < chunk.lines.length; r++) {
				if (skip > 0) {
					skip--;
					continue;
				}
				lines.push(chunk.lines[r] ?? "");
				refs.push({ leaf: chunk.leaf, row: r });
			}
		}
		return { top: Math.max(0, this.total() - lines.length), lines, refs };
	}

	/** Every row of the transcript (search, the exit transcript): renders every leaf. */
	all(): { lines: string[]; refs: RowRef[] } {
		const lines: string[] = [];
		const refs: RowRef[] = [];
		for (let i = 0; i < this.leaves.length; i++) {
			const leaf = this.leaves[i];
			if (!leaf) continue;
			const leafLines = this.lines(i);
			for (let r = 0; r < leafLines.length; r++) {
				lines.push(leafLines[r] ?? "");
				refs.push({ leaf, row: r });
			}
		}
		return { lines, refs };
	}

	/** First rows of the leaves that mark a prompt (user messages), for jumping between prompts. */
	promptRows(): number[] {
		const rows: number[] = [];
		for (let i = 0; i < this.leaves.length; i++) {
			if ((this.leaves[i] as Estimating).promptMark) rows.push(this.before(i));
		}
		return rows;
	}

	/** The lines of a leaf by reference (selection text), rendered if needed. */
	linesOf(leaf: Component): readonly string[] {
		const i = this.index.get(leaf);
		return i === undefined ? [] : this.lines(i);
	}
}

/** True when `list` begins with every item of `prefix`, in order. */
function startsWith(list: readonly Component[], prefix: readonly Component[]): boolean {
	if (list.length < prefix.length) return false;
	for (let i = 0; i < prefix.length; i++) if (list[i] !== prefix[i]) return false;
	return true;
}
