/**
 * Entries of a kind this version does not know (a newer pi's entry type or message role). pi 1.6.0 keeps them in
 * the tree and leaves them out of the model's context; so do we, holding each as an UnknownEntry around the record
 * as read, and giving the record back wherever pi would show it (the file, extensions, RPC).
 */
import { lazyGroup } from "../util/lazy-schema.ts";
import { AGENT_MESSAGE_ROLES, isRecord, sessionSchemas } from "./schema.ts";
import type { SessionEntry, SessionTreeNode, UnknownEntry } from "./types.ts";

const knownEntryTypes = lazyGroup(
	(): ReadonlySet<string> =>
		new Set(sessionSchemas().sessionEntrySchema.options.map((option) => option.entries.type.literal)),
);

/**
 * A record of an unknown kind that has its place in the tree (an id and a parent), as an UnknownEntry; undefined
 * for anything else (a record of a known kind is parsed, or skipped when it is broken).
 */
export function unknownEntry(record: Readonly<Record<string, unknown>>): UnknownEntry | undefined {
	const { id, parentId, timestamp, type, message } = record;
	if (typeof id !== "string" || !(typeof parentId === "string" || parentId === null)) return undefined;
	if (typeof type !== "string") return undefined;
	const base = { type: "unknown" as const, id, parentId, timestamp: typeof timestamp === "string" ? timestamp : "" };
	if (!knownEntryTypes().has(type)) return { ...base, entryType: type, raw: record };
	if (type !== "message" || !isRecord(message) || typeof message.role !== "string") return undefined;
	if (AGENT_MESSAGE_ROLES.has(message.role)) return undefined;
	return { ...base, entryType: type, role: message.role, raw: record };
}

/** What an unknown entry is, in words ("message role \"note\"", "entry type \"bookmark\""). */
export function describeUnknown(entry: UnknownEntry): string {
	return entry.role !== undefined ? `message role "${entry.role}"` : `entry type "${entry.entryType}"`;
}

/** An entry as it is stored in the file: an unknown one as it was read, with its (possibly re-chained) place. */
export function storedEntry(entry: SessionEntry): object {
	if (entry.type !== "unknown") return entry;
	return { ...entry.raw, id: entry.id, parentId: entry.parentId };
}

/**
 * A tree (getTree) with its entries in their stored form, as pi's getTree gives them to extensions and RPC. Walked
 * with a stack, not recursion: a linear session's tree is as deep as the session is long.
 */
export function storedTree(nodes: readonly SessionTreeNode[]): object[] {
	const roots: object[] = [];
	const pending: Array<[SessionTreeNode, object[]]> = nodes.map((node): [SessionTreeNode, object[]] => [node, roots]);
	pending.reverse();
	for (let next = pending.pop(); next; next = pending.pop()) {
		const [node, siblings] = next;
		const children: object[] = [];
		siblings.push({ ...node, entry: storedEntry(node.entry), children });
		for (let i = node.children.length - 1; i >= 0; i--) {
			const child = node.children[i];
			if (child) pending.push([child, children]);
		}
	}
	return roots;
}
