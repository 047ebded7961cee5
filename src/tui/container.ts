/**
 * Vertical stacking without re-copying: a Container returns the same array as long as no child returned a new
 * one (components return their cached array while nothing changed, so identity is the change signal, as in
 * pi-tui), and the renderer reads a tree of containers as a LineStack — its leaves' own arrays side by side with
 * running offsets — so a frame costs one identity check per leaf plus the lines that really changed, however long
 * the transcript is.
 */
import type { Component } from "./component.ts";

/** A vertical stack of components. */
export class Container implements Component {
	/** Bumped by every change to any container's children, so viewers of a tree know when to re-read it. */
	static version = 0;
	/** Bumped by every change to this container's children. */
	revision = 0;
	private items: Component[] = [];
	private cache: { width: number; parts: (readonly string[])[]; lines: string[] } | undefined;

	get children(): readonly Component[] {
		return this.items;
	}

	addChild(component: Component): void {
		this.items.push(component);
		this.revision++;
		Container.version++;
	}

	removeChild(component: Component): void {
		const index = this.items.indexOf(component);
		if (index === -1) return;
		this.items.splice(index, 1);
		this.revision++;
		Container.version++;
	}

	insertChild(index: number, component: Component): void {
		this.items.splice(Math.max(0, Math.min(index, this.items.length)), 0, component);
		this.revision++;
		Container.version++;
	}

	/** Puts `next` where `current` is; false when `current` is not a child. */
	replaceChild(current: Component, next: Component): boolean {
		const index = this.items.indexOf(current);
		if (index === -1) return false;
		this.items[index] = next;
		this.revision++;
		Container.version++;
		return true;
	}

	clear(): void {
		this.items = [];
		this.revision++;
		Container.version++;
	}

	invalidate(): void {
		this.cache = undefined;
		for (const child of this.children) child.invalidate?.();
	}

	render(width: number): string[] {
		const parts = this.children.map((child) => child.render(width));
		const cached = this.cache;
		if (cached && cached.width === width && sameParts(cached.parts, parts)) return cached.lines;
		const lines: string[] = [];
		// A loop, not push(...spread): transcripts can exceed the engine's argument limit.
		for (const part of parts) for (const line of part) lines.push(line);
		this.cache = { width, parts, lines };
		return lines;
	}
}

function sameParts(a: readonly (readonly string[])[], b: readonly (readonly string[])[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
	return true;
}

/**
 * The leaf line arrays of a component tree, in order, and where each starts. Rows are numbered from `base`: a
 * stack may leave out the leaves before it (regular mode does not read rows that are in the scrollback).
 */
export class LineStack {
	/** offsets[i] is the row of parts[i]'s first line; offsets[parts.length] is the end. */
	readonly offsets: number[];

	constructor(
		readonly parts: readonly (readonly string[])[],
		/** The leaf component of each part (for anchoring rows across widths). */
		readonly owners: readonly Component[],
		readonly base = 0,
	) {
		this.offsets = new Array<number>(parts.length + 1);
		let row = base;
		for (let i = 0; i < parts.length; i++) {
			this.offsets[i] = row;
			row += parts[i]?.length ?? 0;
		}
		this.offsets[parts.length] = row;
	}

	/** The row after the last one. */
	get length(): number {
		return this.offsets[this.parts.length] ?? this.base;
	}

	/** Index of the part holding `row` (binary search). */
	partAt(row: number): number {
		let low = 0;
		let high = this.parts.length - 1;
		while (low < high) {
			const mid = (low + high + 1) >> 1;
			if ((this.offsets[mid] ?? 0) <= row) low = mid;
			else high = mid - 1;
		}
		return Math.max(0, low);
	}

	line(row: number): string {
		if (row < this.base || row >= this.length) return "";
		const part = this.partAt(row);
		return this.parts[part]?.[row - (this.offsets[part] ?? 0)] ?? "";
	}

	/** Rows [from, to) as one array (rows before `base` are left out). */
	slice(from: number, to: number): string[] {
		const out: string[] = [];
		const end = Math.min(to, this.length);
		let row = Math.max(this.base, from);
		if (row >= end) return out;
		let part = this.partAt(row);
		while (row < end && part < this.parts.length) {
			const lines = this.parts[part] ?? [];
			const start = this.offsets[part] ?? 0;
			for (let i = row - start; i < lines.length && row < end; i++, row++) out.push(lines[i] ?? "");
			part++;
		}
		return out;
	}

	/** The same rows without the first `count` parts. */
	dropParts(count: number): LineStack {
		if (count <= 0) return this;
		return new LineStack(this.parts.slice(count), this.owners.slice(count), this.offsets[count] ?? this.length);
	}

	/**
	 * The first row where `next` differs from this stack (the end when it only grew or is equal). Both must start at
	 * the same row with the same leaves. Parts that are the same array are skipped without reading them.
	 */
	firstDifference(next: LineStack): number {
		if (next.base !== this.base) return Math.min(this.base, next.base);
		const count = Math.min(this.parts.length, next.parts.length);
		let i = 0;
		while (i < count && this.parts[i] === next.parts[i]) i++;
		const base = this.offsets[i] ?? 0;
		if (base !== (next.offsets[i] ?? 0)) return Math.min(base, next.offsets[i] ?? 0);
		// From here compare line by line (a part re-rendered with mostly the same lines: a streaming answer).
		const total = Math.min(this.length, next.length);
		let row = base;
		let a = i;
		let b = i;
		while (row < total) {
			const aLines = this.parts[a] ?? [];
			const bLines = next.parts[b] ?? [];
			const aIndex = row - (this.offsets[a] ?? 0);
			const bIndex = row - (next.offsets[b] ?? 0);
			if (aIndex === 0 && bIndex === 0 && aLines === bLines && aLines.length > 0) {
				row += aLines.length;
				a++;
				b++;
				continue;
			}
			if (aIndex >= aLines.length) {
				a++;
				continue;
			}
			if (bIndex >= bLines.length) {
				b++;
				continue;
			}
			if (aLines[aIndex] !== bLines[bIndex]) return row;
			row++;
		}
		return row;
	}
}

interface FlatLeaves {
	/** Every container met, with its revision then: the list is valid while none of them changed. */
	containers: [Container, number][];
	leaves: Component[];
}

const flattened = new WeakMap<Component, FlatLeaves>();

/** The leaves of a tree (containers opened), kept until one of its containers changes. */
export function leavesOf(root: Component): readonly Component[] {
	const cached = flattened.get(root);
	if (cached?.containers.every(([container, revision]) => container.revision === revision)) {
		return cached.leaves;
	}
	const containers: [Container, number][] = [];
	const leaves: Component[] = [];
	const visit = (component: Component) => {
		if (component instanceof Container) {
			containers.push([component, component.revision]);
			for (const child of component.children) visit(child);
			return;
		}
		leaves.push(component);
	};
	visit(root);
	flattened.set(root, { containers, leaves });
	return leaves;
}

/** Reads a component tree as a LineStack from leaf `fromLeaf` on (its first row numbered `base`). */
export function collectLines(root: Component, width: number, fromLeaf = 0, base = 0): LineStack {
	const leaves = leavesOf(root);
	const parts: (readonly string[])[] = [];
	const owners: Component[] = [];
	for (let i = Math.max(0, fromLeaf); i < leaves.length; i++) {
		const leaf = leaves[i];
		if (!leaf) continue;
		parts.push(leaf.render(width));
		owners.push(leaf);
	}
	return new LineStack(parts, owners, base);
}
