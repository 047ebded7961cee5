/** Token usage bookkeeping shared by the providers (pi-spec §4.3). */
import type { Model, ModelCostRates, Usage } from "./types.ts";

/**
 * Recomputes `usage.cost` in place from the token counts: cost = tokens × price-per-million / 1e6. A model with
 * price tiers (pi 1.6.0) bills the whole request at the highest tier whose threshold its input exceeds.
 */
export function applyCost(model: Model, usage: Usage): Usage {
	const inputTokens = usage.input + usage.cacheRead + usage.cacheWrite;
	let rates: ModelCostRates = model.cost;
	let threshold = -1;
	for (const tier of model.cost.tiers ?? []) {
		if (inputTokens > tier.inputTokensAbove && tier.inputTokensAbove > threshold) {
			rates = tier;
			threshold = tier.inputTokensAbove;
		}
	}
	const cost = usage.cost;
	cost.input = (rates.input / 1_000_000) * usage.input;
	cost.output = (rates.output / 1_000_000) * usage.output;
	cost.cacheRead = (rates.cacheRead / 1_000_000) * usage.cacheRead;
	cost.cacheWrite = (rates.cacheWrite / 1_000_000) * usage.cacheWrite;
	cost.total = cost.input + cost.output + cost.cacheRead + cost.cacheWrite;
	return usage;
}

/** The sum of two usages (two summary requests of one compaction), as pi's combineUsage. */
export function addUsage(first: Usage, second: Usage): Usage {
	return {
		input: first.input + second.input,
		output: first.output + second.output,
		cacheRead: first.cacheRead + second.cacheRead,
		cacheWrite: first.cacheWrite + second.cacheWrite,
		totalTokens: first.totalTokens + second.totalTokens,
		cost: {
			input: first.cost.input + second.cost.input,
			output: first.cost.output + second.cost.output,
			cacheRead: first.cost.cacheRead + second.cost.cacheRead,
			cacheWrite: first.cost.cacheWrite + second.cost.cacheWrite,
			total: first.cost.total + second.cost.total,
		},
	};
}
