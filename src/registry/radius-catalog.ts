/**
 * Radius's live model list (pi 1.6.0): a Radius account's gateway says which models it offers (an organization may
 * turn some off) at `GET <gateway>/v1/config`, authenticated with the Radius login or key. The answer is kept in
 * `models-store.json` beside models.json — pi 1.6.0's file and format (`{"radius": {"models": [...], "checkedAt":
 * ms}}`, other providers' entries left as they are) — so the list survives restarts and works offline and in print
 * mode; once known it replaces the catalog's Radius models. It is fetched again after `/login` and in the background
 * when an interactive session starts.
 */
import { existsSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import * as v from "valibot";
import type { Model } from "../ai/types.ts";
import { writeFileAtomicSync } from "../util/atomic-write.ts";
import { withFileLockSync } from "../util/file-lock.ts";
import { lazyGroup } from "../util/lazy-schema.ts";
import { readTextFileSync } from "../util/text-file.ts";

export const RADIUS_PROVIDER = "radius" as const;

/** Built on first use: only a run with the Radius gateway configured reads its catalog. */
const schemas = lazyGroup(() => {
	const CostSchema = v.looseObject({
		input: v.number(),
		output: v.number(),
		cacheRead: v.number(),
		cacheWrite: v.number(),
	});
	/** A model as the gateway describes it; anything else in its entry is ignored. */
	const GatewayModelSchema = v.looseObject({
		id: v.string(),
		name: v.string(),
		reasoning: v.boolean(),
		thinkingLevelMap: v.optional(v.record(v.string(), v.nullable(v.string()))),
		input: v.array(v.picklist(["text", "image"])),
		cost: CostSchema,
		contextWindow: v.number(),
		maxTokens: v.number(),
	});
	const GatewayConfigSchema = v.looseObject({ baseUrl: v.string(), models: v.array(v.unknown()) });
	/** A stored model: the gateway's, as a pi-messages model of the Radius provider. */
	const StoredModelSchema = v.looseObject({
		...GatewayModelSchema.entries,
		api: v.literal("pi-messages"),
		provider: v.literal(RADIUS_PROVIDER),
		baseUrl: v.string(),
	});
	const StoreEntrySchema = v.looseObject({ models: v.array(v.unknown()) });
	return { GatewayModelSchema, GatewayConfigSchema, StoredModelSchema, StoreEntrySchema };
});

function asModel(entry: v.InferOutput<ReturnType<typeof schemas>["StoredModelSchema"]>): Model {
	return {
		id: entry.id,
		name: entry.name,
		api: "pi-messages",
		provider: RADIUS_PROVIDER,
		baseUrl: entry.baseUrl,
		reasoning: entry.reasoning,
		input: entry.input,
		cost: {
			input: entry.cost.input,
			output: entry.cost.output,
			cacheRead: entry.cost.cacheRead,
			cacheWrite: entry.cost.cacheWrite,
		},
		contextWindow: entry.contextWindow,
		maxTokens: entry.maxTokens,
		...(entry.thinkingLevelMap ? { thinkingLevelMap: entry.thinkingLevelMap } : {}),
	};
}

function readStore(path: string): Record<string, unknown> {
	if (!existsSync(path)) return {};
	const parsed: unknown = JSON.parse(readTextFileSync(path));
	return v.is(v.record(v.string(), v.unknown()), parsed) ? parsed : {};
}

/** The stored Radius models, or undefined when none were stored (or the file cannot be read). */
export function storedRadiusModels(storePath: string): Model[] | undefined {
	try {
		const entry = readStore(storePath)[RADIUS_PROVIDER];
		if (!v.is(schemas().StoreEntrySchema, entry)) return undefined;
		return entry.models.filter((model) => v.is(schemas().StoredModelSchema, model)).map((model) => asModel(model));
	} catch {
		return undefined;
	}
}

/** Fetches the account's model list from the gateway and stores it; returns it. */
export async function refreshRadiusModels(
	storePath: string,
	gateway: string,
	apiKey: string,
	signal?: AbortSignal,
): Promise<Model[]> {
	const response = await fetch(new URL("/v1/config", gateway), {
		headers: { accept: "application/json", authorization: `Bearer ${apiKey}` },
		signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(15_000)]) : AbortSignal.timeout(15_000),
	});
	if (!response.ok) {
		const body = (await response.text()).trim().slice(0, 512);
		throw new Error(`Could not load Radius config from ${gateway}: ${response.status}: ${body}`);
	}
	const config = v.safeParse(schemas().GatewayConfigSchema, await response.json());
	if (!config.success) throw new Error(`Invalid Radius config from ${gateway}`);
	const models = config.output.models
		.filter((model) => v.is(schemas().GatewayModelSchema, model))
		.map((model) => ({
			...model,
			api: "pi-messages" as const,
			provider: RADIUS_PROVIDER,
			baseUrl: config.output.baseUrl,
		}));
	mkdirSync(dirname(storePath), { recursive: true });
	withFileLockSync(storePath, () => {
		const store = readStore(storePath);
		store[RADIUS_PROVIDER] = { models, checkedAt: Date.now() };
		writeFileAtomicSync(storePath, JSON.stringify(store, null, 2));
	});
	return models.map((model) => asModel(model));
}
