import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { getBuiltInModels, getBuiltInProviders } from "../../../src/ai/models.ts";
import { BUILT_IN_PROVIDERS, DEFAULT_MODEL_PER_PROVIDER } from "../../../src/ai/providers-info.ts";

const Rates = v.strictObject({ input: v.number(), output: v.number(), cacheRead: v.number(), cacheWrite: v.number() });

// The runtime loader only does cheap checks; this is the strict contract for the generated catalog file.
const CatalogEntry = v.strictObject({
	id: v.pipe(v.string(), v.minLength(1)),
	name: v.pipe(v.string(), v.minLength(1)),
	api: v.picklist([
		"anthropic-messages",
		"openai-completions",
		"openai-responses",
		"azure-openai-responses",
		"google-generative-ai",
		"google-vertex",
		"bedrock-converse-stream",
		"mistral-conversations",
		"openai-codex-responses",
		"pi-messages",
	]),
	provider: v.string(),
	baseUrl: v.string(),
	reasoning: v.boolean(),
	thinkingLevelMap: v.optional(
		v.record(v.picklist(["off", "minimal", "low", "medium", "high", "xhigh", "max"]), v.nullable(v.string())),
	),
	input: v.array(v.picklist(["text", "image"])),
	cost: v.strictObject({
		...Rates.entries,
		tiers: v.optional(v.array(v.strictObject({ inputTokensAbove: v.number(), ...Rates.entries }))),
	}),
	contextWindow: v.pipe(v.number(), v.integer(), v.minValue(1)),
	maxTokens: v.pipe(v.number(), v.integer(), v.minValue(1)),
	headers: v.optional(v.record(v.string(), v.string())),
	compat: v.optional(v.record(v.string(), v.unknown())),
});

const catalogPath = join(import.meta.dir, "../../../src/ai/catalog/models.json");

test("every catalog entry satisfies the strict schema and (provider, id) is unique", () => {
	const raw: unknown = JSON.parse(readFileSync(catalogPath, "utf-8"));
	const entries = v.parse(v.array(CatalogEntry), raw);
	const keys = new Set(entries.map((m) => `${m.provider}/${m.id}`));
	expect(keys.size).toBe(entries.length);
	expect(getBuiltInModels()).toEqual(entries);
});

test("the catalog covers the providers pi users rely on", () => {
	const providers = getBuiltInProviders();
	expect(BUILT_IN_PROVIDERS).toEqual(providers);
	for (const provider of [
		"anthropic",
		"openai",
		"azure",
		"amazon-bedrock",
		"google-vertex",
		"cloudflare-workers-ai",
		"cloudflare-ai-gateway",
		"google",
		"openrouter",
		"groq",
		"cerebras",
		"xai",
		"mistral",
		"zai",
		"huggingface",
		"vercel-ai-gateway",
		"deepseek",
	]) {
		expect(providers).toContain(provider);
	}
	// Each shipped provider's preferred default model exists, so the default table never points at nothing.
	for (const provider of providers) {
		const id = DEFAULT_MODEL_PER_PROVIDER[provider];
		if (id) expect(getBuiltInModels().some((m) => m.provider === provider && m.id === id)).toBe(true);
	}
});

test("catalog facts match pi-ai for a well-known model", () => {
	expect(getBuiltInModels().find((m) => m.provider === "openai" && m.id === "gpt-4o")).toMatchObject({
		api: "openai-responses",
		baseUrl: "https://api.openai.com/v1",
		contextWindow: 128000,
		input: ["text", "image"],
	});
	expect(
		getBuiltInModels().find((m) => m.provider === "amazon-bedrock" && m.id === "us.anthropic.claude-opus-5-5"),
	).toMatchObject({ api: "bedrock-converse-stream", baseUrl: "https://bedrock-runtime.us-east-1.amazonaws.com" });
});
