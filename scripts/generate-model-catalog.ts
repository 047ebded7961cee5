/**
 * Generator for src/ai/catalog/models.json: the chat models of pi-ai 1.6.0 (ids, prices, limits, quirks), taken
 * from the npm package's per-provider data files (`dist/providers/data/<provider>.json`).
 *
 *   bun scripts/generate-model-catalog.ts [path/to/@earendil-works/pi-ai]
 *
 * Every provider is kept, in pi-ai's order (alphabetical by provider id, as its generated MODELS table); within a
 * provider, models keep the data file's order (grouped by API). Image and classifier models are left out: we have
 * no image-generation or classifier features. Fields we do not use (prompt-cache lifetimes, Radius's routing
 * metadata, and image input limits — every model has the default resize profile, checked below) are dropped to keep
 * the embedded catalog small. The file holds one model per line,
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

/**
 * pi 1.6.0 uses one thing of a model's input limits, the image resize profile, and every catalog model has the same
 * one as pi's (and our) default; so it is left out. A pi-ai with another profile for some model stops the generator.
 */
const DEFAULT_IMAGE_RESIZE = JSON.stringify({ jpegQuality: 80, maxBytes: 4718592, maxHeight: 2000, maxWidth: 2000 });

function checkInputLimits(model: Entry): void {
	const limits = model.inputLimits;
	if (limits === undefined) return;
	const images = isRecord(limits) ? limits.images : undefined;
	const resize = isRecord(images) ? images.resize : undefined;
	if (resize === undefined) return;
	const sorted = isRecord(resize) ? JSON.stringify(Object.fromEntries(Object.entries(resize).sort())) : "";
	if (sorted !== DEFAULT_IMAGE_RESIZE) {
		throw new Error(`${String(model.provider)}/${String(model.id)}: image resize limits ${sorted} are not the default`);
	}
}

/** One catalog entry: our fields in our order. */
export function toCatalogEntry(model: Entry): Entry {
	checkInputLimits(model);
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
