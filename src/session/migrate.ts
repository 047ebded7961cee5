/**
 * v1 → v2 → v3 migration of raw parsed lines (pi-spec §3.6). Works on plain records because v1 entries have no
 * ids yet; mutates in place like pi so the rewritten file matches what pi would write.
 */
import { createEntryId } from "./ids.ts";
import { isRecord } from "./schema.ts";
import { CURRENT_SESSION_VERSION } from "./types.ts";

export function fileVersion(header: Record<string, unknown>): number {
	return typeof header.version === "number" ? header.version : 1;
}

/** Linear chain of fresh ids; compaction `firstKeptEntryIndex` (index into the parsed lines) becomes an id. */
function migrateV1ToV2(records: Record<string, unknown>[]): void {
	const taken = new Set<string>();
	let previousId: string | null = null;
	for (const record of records) {
		if (record.type === "session") {
			record.version = 2;
			continue;
		}
		const id = createEntryId(taken);
		taken.add(id);
		record.id = id;
		record.parentId = previousId;
		previousId = id;
		if (record.type === "compaction" && typeof record.firstKeptEntryIndex === "number") {
			const target = records[record.firstKeptEntryIndex];
			if (target && target.type !== "session") record.firstKeptEntryId = target.id;
			delete record.firstKeptEntryIndex;
		}
	}
}

/** The v2 `hookMessage` role was renamed `custom`. */
function migrateV2ToV3(records: Record<string, unknown>[]): void {
	for (const record of records) {
		if (record.type === "session") {
			record.version = 3;
			continue;
		}
		if (record.type === "message" && isRecord(record.message) && record.message.role === "hookMessage") {
			record.message.role = "custom";
		}
	}
}

/** Returns the version the records had; they are at CURRENT_SESSION_VERSION afterwards. */
export function migrateRecords(records: Record<string, unknown>[]): number {
	const header = records.find((record) => record.type === "session");
	const version = header ? fileVersion(header) : 1;
	if (version >= CURRENT_SESSION_VERSION) return version;
	if (version < 2) migrateV1ToV2(records);
	if (version < 3) migrateV2ToV3(records);
	return version;
}
