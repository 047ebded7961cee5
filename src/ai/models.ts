/**
 * The built-in model catalog (src/ai/catalog/models.json, generated from pi-ai's model list by
 * scripts/generate-model-catalog.ts) and small helpers about models.
 *
 * The catalog is embedded as a file (zstd-compressed, util/embedded-asset.ts), read only when a provider's models
 * are first needed, and only that provider's part of it (located when the binary is built, catalog/by-provider.ts)
 * is parsed: startup parses just the providers it looks at (those with credentials, the saved default's). The
 * decompressed text is not kept: a later provider decompresses it again (~0.3 ms), which costs less than holding
 * 0.78 MB. Holding the text and all ~1700 models cost ~3 MB of idle RSS and ~4 ms of launch CPU; importing it as a JSON module would cost ~5 ms more, a valibot pass
 * ~3.5 ms. It is our own build artifact, so it is decoded with cheap hand-written checks here and validated
 * strictly against a valibot schema in the tests.
 */
import { MODEL_CATALOG, readZstdAssetSync } from "../util/embedded-asset.ts";
import { catalogSpans } from "./catalog/by-provider.ts" with { type: "macro" };
import { BUILT_IN_PROVIDERS } from "./providers-info.ts";
import type { Model, ThinkingLevel } from "./types.ts";
import { THINKING_LEVELS } from "./types.ts";

/** Provider → [start, end) of its models in the catalog text, in catalog order. */
const catalogSpansByProvider = new Map(
	catalogSpans().map(([provider, start, end]) => [provider, [start, end]] as const),
);
const parsedByProvider = new Map<string, Model[]>();
let builtInModels: Model[] | undefined;

/** All built-in models, in catalog order (grouped by provider). Parsed once per process. */
export function getBuiltInModels(): readonly Model[] {
	builtInModels ??= parseProviders(getBuiltInProviders());
	return builtInModels;
}

/**
 * The built-in models of these providers, in the given provider order and catalog order within each; parses only
 * their parts of the catalog, reading the file at most once per call.
 */
export function getBuiltInModelsOf(providers: readonly string[]): readonly Model[] {
	return parseProviders(providers);
}

/** Built-in provider ids in catalog order. */
export function getBuiltInProviders(): string[] {
	return [...catalogSpansByProvider.keys()];
}

export function isBuiltInProvider(provider: string): boolean {
	return BUILT_IN_PROVIDERS.includes(provider);
}

export function modelsAreEqual(a: Model | undefined, b: Model | undefined): boolean {
	return a !== undefined && b !== undefined && a.id === b.id && a.provider === b.provider;
}

export function isThinkingLevel(value: string): value is ThinkingLevel {
	return (THINKING_LEVELS as readonly string[]).includes(value);
}

// ---- decoding -------------------------------------------------------------------------------------------

/**
 * The models of these providers, parsing those not parsed yet; only their bytes of the catalog are decoded. (A
 * compiled binary's embedded files can be read whole, not opened for reads at an offset.)
 */
function parseProviders(providers: readonly string[]): Model[] {
	let bytes: Buffer | undefined;
	return providers.flatMap((provider) => {
		let models = parsedByProvider.get(provider);
		if (!models) {
			const span = catalogSpansByProvider.get(provider);
			bytes ??= span && readCatalog();
			models = span && bytes ? decodeCatalog(`[${bytes.toString("utf8", ...span)}]`) : [];
			parsedByProvider.set(provider, models);
		}
		return models;
	});
}

function readCatalog(): Buffer {
	return readZstdAssetSync(MODEL_CATALOG);
}

function decodeCatalog(text: string): Model[] {
	const parsed: unknown = JSON.parse(text);
	if (!Array.isArray(parsed)) throw new Error("built-in model catalog is not an array");
	const models: Model[] = [];
	for (const entry of parsed) {
		if (!isCatalogModel(entry)) throw new Error(`built-in model catalog: bad entry ${JSON.stringify(entry)}`);
		models.push(entry);
	}
	return models;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isStringRecord(value: unknown): value is Record<string, string> {
	return isRecord(value) && Object.values(value).every((item) => typeof item === "string");
}

function isThinkingLevelMap(value: unknown): value is NonNullable<Model["thinkingLevelMap"]> {
	return (
		isRecord(value) &&
		Object.entries(value).every(([key, item]) => isThinkingLevel(key) && (typeof item === "string" || item === null))
	);
}

function isRates(value: unknown): value is Record<"input" | "output" | "cacheRead" | "cacheWrite", number> {
	return (
		isRecord(value) &&
		typeof value.input === "number" &&
		typeof value.output === "number" &&
		typeof value.cacheRead === "number" &&
		typeof value.cacheWrite === "number"
	);
}

function isCost(value: unknown): value is Model["cost"] {
	if (!isRates(value)) return false;
	const tiers: unknown = Reflect.get(value, "tiers");
	return (
		tiers === undefined ||
		(Array.isArray(tiers) &&
			tiers.every((tier) => isRates(tier) && typeof Reflect.get(tier, "inputTokensAbove") === "number"))
	);
}

/** Checks the parsed object in place (no copying: this runs over every entry of a provider when it is first used). */
function isCatalogModel(entry: unknown): entry is Model {
	if (!isRecord(entry)) return false;
	const { input } = entry;
	return (
		typeof entry.id === "string" &&
		typeof entry.name === "string" &&
		typeof entry.api === "string" &&
		typeof entry.provider === "string" &&
		typeof entry.baseUrl === "string" &&
		typeof entry.reasoning === "boolean" &&
		typeof entry.contextWindow === "number" &&
		typeof entry.maxTokens === "number" &&
		isCost(entry.cost) &&
		Array.isArray(input) &&
		input.every((kind) => kind === "text" || kind === "image") &&
		(entry.thinkingLevelMap === undefined || isThinkingLevelMap(entry.thinkingLevelMap)) &&
		(entry.headers === undefined || isStringRecord(entry.headers)) &&
		// compat carries provider quirks, some newer than types.ts knows (thinkingFormat "deepseek"); any object.
		(entry.compat === undefined || isRecord(entry.compat))
	);
}
