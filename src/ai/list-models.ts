/** `pi --list-models [search]` (pi-spec §1.7): a plain table of the models that have credentials. */
import { noModelsAvailableMessage } from "./providers-info.ts";
import type { Model } from "./types.ts";

/** 200000 → "200K", 1500 → "1.5K", 1000000 → "1M"; below 1000 the plain number. */
export function formatTokenCount(count: number): string {
	const scaled = (value: number, unit: string) =>
		Number.isInteger(value) ? `${value}${unit}` : `${value.toFixed(1)}${unit}`;
	if (count >= 1_000_000) return scaled(count / 1_000_000, "M");
	if (count >= 1_000) return scaled(count / 1_000, "K");
	return String(count);
}

/**
 * Subsequence match of one query token against text, scored like pi-tui's fuzzy matcher (lower is better):
 * consecutive runs and word starts are rewarded, gaps and late matches cost. A letters+digits token also
 * matches with the two halves swapped ("gpt5" ~ "5gpt").
 */
export function fuzzyScore(token: string, text: string): number | undefined {
	const query = token.toLowerCase();
	const haystack = text.toLowerCase();
	const direct = subsequenceScore(query, haystack);
	if (direct !== undefined) return direct;
	const swapped = query.match(/^([a-z]+)([0-9]+)$/) ?? query.match(/^([0-9]+)([a-z]+)$/);
	if (!swapped) return undefined;
	const alternative = subsequenceScore(`${swapped[2]}${swapped[1]}`, haystack);
	return alternative === undefined ? undefined : alternative + 5;
}

function subsequenceScore(query: string, text: string): number | undefined {
	if (query.length === 0) return 0;
	if (query.length > text.length) return undefined;
	let matched = 0;
	let score = 0;
	let previous = -1;
	let run = 0;
	for (let i = 0; i < text.length && matched < query.length; i++) {
		if (text[i] !== query[matched]) continue;
		if (previous === i - 1) {
			run++;
			score -= run * 5;
		} else {
			run = 0;
			if (previous >= 0) score += (i - previous - 1) * 2;
		}
		if (i === 0 || /[\s\-_./:]/.test(text[i - 1] ?? "")) score -= 10;
		score += i * 0.1;
		previous = i;
		matched++;
	}
	if (matched < query.length) return undefined;
	return query === text ? score - 100 : score;
}

/** Items whose text matches every whitespace-separated token, best total score first. */
export function fuzzyFilter<T>(items: readonly T[], query: string, textOf: (item: T) => string): T[] {
	const tokens = query.trim().split(/\s+/).filter(Boolean);
	if (tokens.length === 0) return [...items];
	const scored: { item: T; score: number }[] = [];
	for (const item of items) {
		const text = textOf(item);
		let total = 0;
		let all = true;
		for (const token of tokens) {
			const score = fuzzyScore(token, text);
			if (score === undefined) {
				all = false;
				break;
			}
			total += score;
		}
		if (all) scored.push({ item, score: total });
	}
	return scored.sort((a, b) => a.score - b.score).map((entry) => entry.item);
}

const COLUMNS = ["provider", "model", "context", "max-out", "thinking", "images"] as const;

/** The table pi prints, every line ending in "\n"; sorted by provider then id after the fuzzy filter. */
export function formatModelList(models: Model[], search?: string): string {
	if (models.length === 0) return `${noModelsAvailableMessage()}\n`;
	const filtered = search ? fuzzyFilter(models, search, (m) => `${m.provider} ${m.id}`) : [...models];
	if (filtered.length === 0) return `No models matching "${search}"\n`;
	filtered.sort((a, b) => a.provider.localeCompare(b.provider) || a.id.localeCompare(b.id));

	const rows = filtered.map((m) => [
		m.provider,
		m.id,
		formatTokenCount(m.contextWindow),
		formatTokenCount(m.maxTokens),
		m.reasoning ? "yes" : "no",
		m.input.includes("image") ? "yes" : "no",
	]);
	const table = [[...COLUMNS], ...rows];
	const widths = COLUMNS.map((_, column) => Math.max(...table.map((row) => (row[column] ?? "").length)));
	return table.map((row) => `${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join("  ")}\n`).join("");
}
