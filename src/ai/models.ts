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
import type { Model, ModelCost, ThinkingLevel } from "./types.ts";
import { THINKING_LEVELS } from "./types.ts";

/** Per-level provider values; `null` marks a level the model does not support (pi-ai 0.73 `thinkingLevelMap`). */
export type ThinkingLevelMap = Partial<Record<ThinkingLevel, string | null>>;

/** A Model plus pi-ai 0.73's thinking-level map (not yet a field of Model in types.ts). */
export type CatalogModel = Model & { thinkingLevelMap?: ThinkingLevelMap };

let builtInModels: CatalogModel[] | undefined;

/** All built-in models, in catalog order (grouped by provider). Parsed once per process. */
export function getBuiltInModels(): readonly CatalogModel[] {
	if (!builtInModels) builtInModels = decodeCatalog(catalogText);
	return builtInModels;
}

/** Built-in provider ids in catalog order. */
export function getBuiltInProviders(): string[] {
	return [...new Set(getBuiltInModels().map((model) => model.provider))];
}

export function isBuiltInProvider(provider: string): boolean {
	return getBuiltInModels().some((model) => model.provider === provider);
}

export function modelsAreEqual(a: Model | undefined, b: Model | undefined): boolean {
	return a !== undefined && b !== undefined && a.id === b.id && a.provider === b.provider;
}

export function isThinkingLevel(value: string): value is ThinkingLevel {
	return (THINKING_LEVELS as readonly string[]).includes(value);
}

/** The thinking-level map a model carries, if any (custom models may set one in models.json). */
export function thinkingLevelMapOf(model: Model): ThinkingLevelMap | undefined {
	if (!("thinkingLevelMap" in model)) return undefined;
	return decodeThinkingLevelMap(model.thinkingLevelMap);
}

// ---- decoding -------------------------------------------------------------------------------------------

function decodeCatalog(text: unknown): CatalogModel[] {
	// The import is typed by TypeScript as the JSON's content; at run time it is the file's text.
	const parsed: unknown = typeof text === "string" ? JSON.parse(text) : text;
	if (!Array.isArray(parsed)) throw new Error("built-in model catalog is not an array");
	return parsed.map((entry: unknown, index) => decodeCatalogModel(entry, index));
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function field<T>(entry: Record<string, unknown>, key: string, check: (value: unknown) => value is T, at: string): T {
	const value = entry[key];
	if (!check(value)) throw new Error(`built-in model catalog entry ${at}: bad "${key}"`);
	return value;
}

const isString = (value: unknown): value is string => typeof value === "string";
const isNumber = (value: unknown): value is number => typeof value === "number";
const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
const isInput = (value: unknown): value is ("text" | "image")[] =>
	Array.isArray(value) && value.every((item) => item === "text" || item === "image");
const isCost = (value: unknown): value is ModelCost =>
	isRecord(value) &&
	isNumber(value.input) &&
	isNumber(value.output) &&
	isNumber(value.cacheRead) &&
	isNumber(value.cacheWrite);

function decodeStringRecord(value: unknown): Record<string, string> | undefined {
	if (!isRecord(value)) return undefined;
	const out: Record<string, string> = {};
	for (const [key, item] of Object.entries(value)) if (typeof item === "string") out[key] = item;
	return out;
}

function decodeThinkingLevelMap(value: unknown): ThinkingLevelMap | undefined {
	if (!isRecord(value)) return undefined;
	const out: ThinkingLevelMap = {};
	for (const [key, item] of Object.entries(value)) {
		if (isThinkingLevel(key) && (typeof item === "string" || item === null)) out[key] = item;
	}
	return out;
}

function decodeCatalogModel(entry: unknown, index: number): CatalogModel {
	if (!isRecord(entry)) throw new Error(`built-in model catalog entry ${index} is not an object`);
	const at = `${index}`;
	const model: CatalogModel = {
		id: field(entry, "id", isString, at),
		name: field(entry, "name", isString, at),
		api: field(entry, "api", isString, at),
		provider: field(entry, "provider", isString, at),
		baseUrl: field(entry, "baseUrl", isString, at),
		reasoning: field(entry, "reasoning", isBoolean, at),
		input: field(entry, "input", isInput, at),
		cost: field(entry, "cost", isCost, at),
		contextWindow: field(entry, "contextWindow", isNumber, at),
		maxTokens: field(entry, "maxTokens", isNumber, at),
	};
	const thinkingLevelMap = decodeThinkingLevelMap(entry.thinkingLevelMap);
	if (thinkingLevelMap) model.thinkingLevelMap = thinkingLevelMap;
	const headers = decodeStringRecord(entry.headers);
	if (headers) model.headers = headers;
	// compat carries provider quirks, some newer than types.ts knows (e.g. thinkingFormat "deepseek"); keep all.
	if (isRecord(entry.compat)) model.compat = { ...entry.compat };
	return model;
}
