/**
 * Generator for src/ai/catalog/models.json: the chat models of pi-ai 1.6.0 (ids, prices, limits, quirks), taken
 * from the npm package's per-provider data files (`dist/providers/data/<provider>.json`).
 *
 *   bun scripts/generate-model-catalog.ts [path/to/@earendil-works/pi-ai]
 *
 * Every provider is kept, in pi-ai's order (alphabetical by provider id, as its generated MODELS table); within a
 * provider, models keep the data file's order (grouped by API). Image and classifier models are left out: we have
 * no image-generation or classifier features. Fields we do not use (image input limits, prompt-cache lifetimes,
 * Radius's routing metadata) are dropped to keep the embedded catalog small. The file holds one model per line,
 * compact, so the binary carries ~40% fewer bytes than a pretty-printed file would (biome ignores it).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const CATALOG_FIELDS = [
	"id",
	"name",
	"api",
	"provider",
	"baseUrl",
	"reasoning",
	"thinkingLevelMap",
	"input",
	"cost",
	"contextWindow",
	"maxTokens",
	"headers",
	"compat",
] as const;
/** Fields of pi-ai's data we deliberately leave out (see above); anything else unknown stops the generator. */
const DROPPED_FIELDS = new Set(["type", "inputLimits", "promptCache", "lab", "enabled", "providers", "free"]);

export const DEFAULT_PI_AI_DIR = "/work/ref/pi16/node_modules/@earendil-works/pi-ai";

type Entry = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** pi-ai's chat models, in its order, every entry as the package has it. */
export function readPiAiChatModels(piAiDir: string): Entry[] {
	const dataDir = join(piAiDir, "dist", "providers", "data");
	const files = readdirSync(dataDir)
		.filter((name) => name.endsWith(".json") && !name.startsWith("."))
		.map((name) => name.slice(0, -".json".length))
		.sort();
	const models: Entry[] = [];
	for (const provider of files) {
		const file = `${provider}.json`;
		const groups: unknown = JSON.parse(readFileSync(join(dataDir, file), "utf-8"));
		if (!isRecord(groups)) throw new Error(`${file}: expected an object of API groups`);
		for (const group of Object.values(groups)) {
			if (!isRecord(group)) throw new Error(`${file}: expected an object of models per API`);
			for (const model of Object.values(group)) {
				if (isRecord(model) && model.type === "chat") models.push(model);
			}
		}
	}
	return models;
}

/** One catalog entry: our fields in our order. */
export function toCatalogEntry(model: Entry): Entry {
	const entry: Entry = {};
	for (const key of CATALOG_FIELDS) if (model[key] !== undefined) entry[key] = model[key];
	const unknown = Object.keys(model).filter(
		(key) => !(CATALOG_FIELDS as readonly string[]).includes(key) && !DROPPED_FIELDS.has(key),
	);
	if (unknown.length > 0) {
		throw new Error(`${String(model.provider)}/${String(model.id)}: unexpected fields ${unknown.join(", ")}`);
	}
	return entry;
}

if (import.meta.main) {
	const piAiDir = process.argv[2] ?? DEFAULT_PI_AI_DIR;
	const entries = readPiAiChatModels(piAiDir).map(toCatalogEntry);
	const out = join(import.meta.dir, "..", "src", "ai", "catalog", "models.json");
	writeFileSync(out, `[\n${entries.map((entry) => JSON.stringify(entry)).join(",\n")}\n]\n`);
	const providers = [...new Set(entries.map((entry) => String(entry.provider)))];
	console.log(`wrote ${entries.length} models of ${providers.length} providers to ${out}`);
	console.log(`providers: ${providers.join(", ")}`);
}
