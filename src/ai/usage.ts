/** Token usage bookkeeping shared by the providers (pi-spec §4.3). */
import type { Model, Usage } from "./types.ts";

/** Recomputes `usage.cost` in place from the token counts: cost = tokens × price-per-million / 1e6. */
export function applyCost(model: Model, usage: Usage): Usage {
	const cost = usage.cost;
	cost.input = (model.cost.input / 1_000_000) * usage.input;
	cost.output = (model.cost.output / 1_000_000) * usage.output;
	cost.cacheRead = (model.cost.cacheRead / 1_000_000) * usage.cacheRead;
	cost.cacheWrite = (model.cost.cacheWrite / 1_000_000) * usage.cacheWrite;
	cost.total = cost.input + cost.output + cost.cacheRead + cost.cacheWrite;
	return usage;
}
