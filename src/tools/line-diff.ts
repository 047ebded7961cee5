/**
 * A line diff producing the same part structure as jsdiff's diffLines, which pi's edit diff is built on:
 * tokens are lines including their newline, unchanged runs become one part, and inside a changed region the
 * removed lines come before the added ones. Myers' O(ND) algorithm after skipping the common prefix.
 */

export interface DiffPart {
	value: string;
	added: boolean;
	removed: boolean;
	count: number;
}

function splitLinesKeepingNewlines(text: string): string[] {
	const tokens: string[] = [];
	let start = 0;
	for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", start)) {
		tokens.push(text.slice(start, i + 1));
		start = i + 1;
	}
	if (start < text.length) tokens.push(text.slice(start));
	return tokens;
}

type Op = "equal" | "delete" | "insert";

/**
 * The furthest x on each diagonal k ∈ [-d-1, d+1] before step d: all the walk back needs. Saving only this
 * window (not the whole 2·(n+m) frontier) keeps memory at O(D²) instead of O(D·(n+m)), which for a small edit
 * near the top of a large file is the difference between kilobytes and gigabytes.
 */
interface SavedFrontier {
	lowestK: number;
	xs: Int32Array;
}

function frontierAt(saved: SavedFrontier | undefined, k: number): number {
	return saved?.xs[k - saved.lowestK] ?? 0;
}

/** Shortest edit script between a and b as one op per token. */
function myers(a: readonly string[], b: readonly string[]): Op[] {
	const n = a.length;
	const m = b.length;
	const max = n + m;
	const offset = max + 1;
	// One frontier updated in place: step d writes the diagonals of d's parity and reads only the other parity.
	const frontier = new Int32Array(2 * max + 3);
	const trace: SavedFrontier[] = [];
	let found = false;
	for (let d = 0; d <= max && !found; d++) {
		trace.push({ lowestK: -d - 1, xs: frontier.slice(offset - d - 1, offset + d + 2) });
		for (let k = -d; k <= d; k += 2) {
			const down = k === -d || (k !== d && (frontier[offset + k - 1] ?? 0) < (frontier[offset + k + 1] ?? 0));
			let x = down ? (frontier[offset + k + 1] ?? 0) : (frontier[offset + k - 1] ?? 0) + 1;
			let y = x - k;
			while (x < n && y < m && a[x] === b[y]) {
				x++;
				y++;
			}
			frontier[offset + k] = x;
			if (x >= n && y >= m) {
				found = true;
				break;
			}
		}
	}
	// Walk back from (n, m) through the saved frontiers.
	const ops: Op[] = [];
	let x = n;
	let y = m;
	for (let d = trace.length - 1; d >= 0 && (x > 0 || y > 0); d--) {
		const saved = trace[d];
		const k = x - y;
		const down = k === -d || (k !== d && frontierAt(saved, k - 1) < frontierAt(saved, k + 1));
		const prevK = down ? k + 1 : k - 1;
		const prevX = frontierAt(saved, prevK);
		const prevY = prevX - prevK;
		while (x > prevX && y > prevY) {
			ops.push("equal");
			x--;
			y--;
		}
		if (d > 0) {
			ops.push(down ? "insert" : "delete");
			if (down) y--;
			else x--;
		}
	}
	while (x > 0 && y > 0) {
		ops.push("equal");
		x--;
		y--;
	}
	return ops.reverse();
}

export function diffLines(oldText: string, newText: string): DiffPart[] {
	const a = splitLinesKeepingNewlines(oldText);
	const b = splitLinesKeepingNewlines(newText);
	let prefix = 0;
	while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
	// No common-suffix trimming: it would pick different (equally short) alignments than jsdiff does.
	const ops: Op[] = [...Array<Op>(prefix).fill("equal"), ...myers(a.slice(prefix), b.slice(prefix))];

	const parts: DiffPart[] = [];
	let ai = 0;
	let bi = 0;
	let i = 0;
	while (i < ops.length) {
		if (ops[i] === "equal") {
			const start = ai;
			while (i < ops.length && ops[i] === "equal") {
				i++;
				ai++;
				bi++;
			}
			parts.push(part(a.slice(start, ai), false, false));
			continue;
		}
		const removed: string[] = [];
		const added: string[] = [];
		while (i < ops.length && ops[i] !== "equal") {
			if (ops[i] === "delete") removed.push(a[ai++] ?? "");
			else added.push(b[bi++] ?? "");
			i++;
		}
		if (removed.length > 0) parts.push(part(removed, false, true));
		if (added.length > 0) parts.push(part(added, true, false));
	}
	return parts;
}

function part(lines: string[], added: boolean, removed: boolean): DiffPart {
	return { value: lines.join(""), added, removed, count: lines.length };
}
