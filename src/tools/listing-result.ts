/** How grep, find and ls finish their answer (pi-spec §6.6–6.8). */
import type { AgentToolResult } from "../agent/types.ts";
import { DEFAULT_MAX_BYTES, formatSize, type TruncationResult, truncateHead } from "./truncate.ts";

/**
 * The rows cut at the byte limit only (each tool's own limit already bounds how many there are), then the
 * notices in brackets: the tool's limit notice, the byte limit's, then `lastNotice`. `details` holds only the
 * keys the tool has something to report on; without any (and no truncation) the result has no details.
 */
export function listingResult<TDetails extends { truncation?: TruncationResult }>(
	rows: readonly string[],
	details: TDetails,
	notices: { limit?: string; last?: string },
	/** The totals of the whole listing when `rows` holds only its start (the rest was counted, not kept). */
	totals?: { totalLines: number; totalBytes: number },
): AgentToolResult<TDetails | undefined> {
	const truncation = { ...truncateHead(rows.join("\n"), { maxLines: Number.MAX_SAFE_INTEGER }), ...totals };
	const shown: string[] = [];
	if (notices.limit) shown.push(notices.limit);
	if (truncation.truncated) {
		shown.push(`${formatSize(DEFAULT_MAX_BYTES)} limit reached`);
		details.truncation = truncation;
	}
	if (notices.last) shown.push(notices.last);
	const text = shown.length > 0 ? `${truncation.content}\n\n[${shown.join(". ")}]` : truncation.content;
	return { content: [{ type: "text", text }], details: Object.keys(details).length > 0 ? details : undefined };
}
