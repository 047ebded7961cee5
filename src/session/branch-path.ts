/** The entries of a session branched off another at one of its entries (createBranchedSession, /fork, /tree). */
import { createEntryId } from "./ids.ts";
import type { LabelEntry, SessionEntry } from "./types.ts";

/**
 * The root-to-leaf `path` without its label entries, re-chained so each entry's parent is the one before it (an
 * entry whose parent was a label would otherwise start a new root and cut the conversation before it out of the
 * branched session), then one label entry per label of a kept entry. A compaction that kept from a label keeps
 * from the entry after it. As pi 1.6.0.
 */
export function branchedEntries(
	path: readonly SessionEntry[],
	labels: ReadonlyMap<string, { label: string; timestamp: string }>,
): SessionEntry[] {
	const kept: SessionEntry[] = [];
	const afterLabel = new Map<string, string>();
	let pendingLabels: string[] = [];
	let parentId: string | null = null;
	for (const entry of path) {
		if (entry.type === "label") {
			pendingLabels.push(entry.id);
			continue;
		}
		for (const labelId of pendingLabels) afterLabel.set(labelId, entry.id);
		pendingLabels = [];
		if (entry.type === "compaction" && entry.firstKeptEntryId !== entry.id) {
			const firstKeptEntryId = afterLabel.get(entry.firstKeptEntryId) ?? entry.firstKeptEntryId;
			kept.push({ ...entry, parentId, firstKeptEntryId });
		} else {
			kept.push({ ...entry, parentId });
		}
		parentId = entry.id;
	}
	const ids = new Set(kept.map((entry) => entry.id));
	const labelEntries: LabelEntry[] = [];
	for (const [targetId, { label, timestamp }] of labels) {
		if (!ids.has(targetId)) continue;
		const id = createEntryId(ids);
		ids.add(id);
		labelEntries.push({ type: "label", id, parentId, timestamp, targetId, label });
		parentId = id;
	}
	return [...kept, ...labelEntries];
}
