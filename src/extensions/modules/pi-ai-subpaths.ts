/**
 * The subpath modules of `@earendil-works/pi-ai`: `/models` (model helpers), `/oauth` (pi's login providers) and
 * `/providers/all` (the built-in catalog). What extensions use is implemented over our catalog; the rest are stubs.
 */

import { availableThinkingLevels, clampThinkingLevel } from "../../ai/model-resolver.ts";
import { getBuiltInModels, getBuiltInProviders, modelsAreEqual } from "../../ai/models.ts";
import type { Model, Usage } from "../../ai/types.ts";
import { applyCost } from "../../ai/usage.ts";
import { completeModule } from "./stubs.ts";

export function buildModelsModule(): Record<string, unknown> {
	return completeModule("pi-ai/models", {
		calculateCost: (model: Model, usage: Usage) => applyCost(model, usage).cost,
		clampThinkingLevel,
		getSupportedThinkingLevels: (model: Model) => (model.reasoning ? availableThinkingLevels(model) : ["off"]),
		modelsAreEqual,
	});
}

export function buildOAuthModule(): Record<string, unknown> {
	return completeModule("pi-ai/oauth", {});
}

export function buildProvidersModule(): Record<string, unknown> {
	const byProvider = (provider: string) => getBuiltInModels().filter((model) => model.provider === provider);
	return completeModule("pi-ai/providers/all", {
		getBuiltinProviders: () => getBuiltInProviders(),
		getBuiltinModels: byProvider,
		getAllBuiltinModels: () => [...getBuiltInModels()],
		getBuiltinModel: (provider: string, id: string) => byProvider(provider).find((model) => model.id === id),
	});
}
