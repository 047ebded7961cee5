/** Session search of the picker (pi 0.73.1): fuzzy words, "exact phrases", `re:regex`; sort by recency or match. */
import type { SessionInfo } from "../../session/types.ts";

export type SessionSortMode = "threaded" | "recent" | "relevance";

type Token = { kind: "fuzzy" | "phrase"; value: string };
type Query = { kind: "tokens"; tokens: Token[] } | { kind: "regex"; regex: RegExp | undefined };

const squash = (text: string) => text.toLowerCase().replace(/\s+/g, " ").trim();

export function parseSessionQuery(query: string): Query {
	const trimmed = query.trim();
	if (trimmed.startsWith("re:")) {
		const pattern = trimmed.slice(3).trim();
		try {
			return { kind: "regex", regex: pattern ? new RegExp(pattern, "i") : undefined };
		} catch {
			return { kind: "regex", regex: undefined };
		}
	}
	const tokens: Token[] = [];
	let buffer = "";
	let quoted = false;
	const flush = (kind: Token["kind"]) => {
		const value = buffer.trim();
		buffer = "";
		if (value) tokens.push({ kind, value });
	};
	for (const ch of trimmed) {
		if (ch === '"') {
			flush(quoted ? "phrase" : "fuzzy");
			quoted = !quoted;
		} else if (!quoted && /\s/.test(ch)) flush("fuzzy");
		else buffer += ch;
	}
	// An unclosed quote: every word is a plain fuzzy word.
	if (quoted) {
		return {
			kind: "tokens",
			tokens: trimmed
				.split(/\s+/)
				.filter(Boolean)
				.map((value) => ({ kind: "fuzzy", value })),
		};
	}
	flush("fuzzy");
	return { kind: "tokens", tokens };
}

/** Subsequence match; lower scores are better (earlier start, fewer gaps). */
function fuzzyScore(needle: string, haystack: string): number | undefined {
	const n = needle.toLowerCase();
	const h = haystack.toLowerCase();
	const direct = h.indexOf(n);
	if (direct >= 0) return direct * 0.01;
	let pos = 0;
	let gaps = 0;
	let first = -1;
	for (const ch of n) {
		const found = h.indexOf(ch, pos);
		if (found < 0) return undefined;
		if (first < 0) first = found;
		else gaps += found - pos;
		pos = found + 1;
	}
	return 10 + gaps + first * 0.01;
}

function matchScore(session: SessionInfo, query: Query): number | undefined {
	const text = `${session.id} ${session.name ?? ""} ${session.allMessagesText} ${session.cwd}`;
	if (query.kind === "regex") {
		if (!query.regex) return undefined;
		const index = text.search(query.regex);
		return index < 0 ? undefined : index * 0.1;
	}
	let total = 0;
	const squashed = squash(text);
	for (const token of query.tokens) {
		if (token.kind === "phrase") {
			const index = squashed.indexOf(squash(token.value));
			if (index < 0) return undefined;
			total += index * 0.1;
		} else {
			const score = fuzzyScore(token.value, text);
			if (score === undefined) return undefined;
			total += score;
		}
	}
	return total;
}

/** Sessions (already newest first) narrowed by the name filter and the query; "relevance" orders by match. */
export function filterSessions(
	sessions: SessionInfo[],
	query: string,
	sortMode: SessionSortMode,
	nameFilter: "all" | "named",
): SessionInfo[] {
	const named = nameFilter === "named" ? sessions.filter((s) => s.name?.trim()) : sessions;
	if (!query.trim()) return named;
	const parsed = parseSessionQuery(query);
	const scored: { session: SessionInfo; score: number }[] = [];
	for (const session of named) {
		const score = matchScore(session, parsed);
		if (score !== undefined) scored.push({ session, score });
	}
	if (sortMode !== "recent") {
		scored.sort((a, b) => a.score - b.score || b.session.modified.getTime() - a.session.modified.getTime());
	}
	return scored.map((entry) => entry.session);
}
