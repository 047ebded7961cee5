/**
 * A Bun macro (imported `with { type: "macro" }` by src/ai/models.ts): runs when the bundle is built (or the source
 * transpiled) and inlines where each provider's models lie in models.json: [provider, start, end], byte offsets
 * such that `[` + bytes start..end + `]` is that provider's JSON array. Startup then parses only the providers it asks about
 * (those with credentials, the saved default's), not all ~1700 models. Offsets rather than per-provider strings: a
 * string literal would be embedded twice (source and bytecode) and held in memory from startup on, while only
 * the bytes of the providers asked about are read from the file asset.
 *
 * models.json is written by scripts/generate-model-catalog.ts with one model per line, grouped by provider; the
 * macro fails the build if that ever stops being true.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type CatalogSpan = [provider: string, start: number, end: number];

export function catalogSpans(): CatalogSpan[] {
	const text = readFileSync(join(import.meta.dir, "models.json"), "utf8");
	const spans: CatalogSpan[] = [];
	let offset = 0;
	for (const line of text.split("\n")) {
		const lineStart = offset;
		offset += Buffer.byteLength(line) + 1;
		if (!line.startsWith("{")) continue;
		const entry = line.endsWith(",") ? line.slice(0, -1) : line;
		const provider: unknown = Reflect.get(JSON.parse(entry), "provider");
		if (typeof provider !== "string") throw new Error(`models.json: an entry without provider: ${entry}`);
		const end = lineStart + Buffer.byteLength(entry);
		const last = spans.at(-1);
		if (last?.[0] === provider) last[2] = end;
		else if (spans.some(([seen]) => seen === provider)) throw new Error(`models.json: ${provider} is not grouped`);
		else spans.push([provider, lineStart, end]);
	}
	return spans;
}
