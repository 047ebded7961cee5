/**
 * The built-in model catalog (src/ai/catalog/models.json, generated from pi-ai's model list by
 * scripts/generate-model-catalog.ts) and small helpers about models.
 *
 * The catalog is embedded as text and parsed on first use: JSON.parse of the text takes ~0.5 ms, while importing
 * it as a JSON module costs ~5 ms at startup in a compiled binary, and a valibot pass over 800 entries ~3.5 ms.
 * It is our own build artifact, so it is decoded with cheap hand-written checks here and validated strictly
 * against a valibot schema in the tests.
 */
import catalogText from "./catalog/models.json" with { type: "text" };
import { BUILT_IN_PROVIDERS } from "./providers-info.ts";
import type { Model, ThinkingLevel } from "./types.ts";
import { THINKING_LEVELS } from "./types.ts";

let builtInModels: Model[] | undefined;

/** All built-in models, in catalog order (grouped by provider). Parsed once per process. */
export function getBuiltInModels(): readonly Model[] {
	if (!builtInModels) builtInModels = decodeCatalog(catalogText);
	return builtInModels;
}

/** Built-in provider ids in catalog order. */
export function getBuiltInProviders(): string[] {
	return [...new Set(getBuiltInModels().map((model) => model.provider))];
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

function decodeCatalog(text: unknown): Model[] {
	// The import is typed by TypeScript as the JSON's content; at run time it is the file's text.
	const parsed: unknown = typeof text === "string" ? JSON.parse(text) : text;
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

/** Checks the parsed object in place (no copying: this runs over ~800 entries at startup). */
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
