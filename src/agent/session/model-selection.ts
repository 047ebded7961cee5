/**
 * The rules for choosing models and thinking levels (Ctrl+P, Shift+Tab, /model), kept free of session state
 * so they can be read and tested on their own.
 */
import type { Model, ThinkingLevel } from "../../ai/types.ts";

/** pi's thinking level when neither the session nor the settings name one. */
export const DEFAULT_THINKING_LEVEL: ThinkingLevel = "medium";

export interface ScopedModel {
	model: Model;
	thinkingLevel?: ThinkingLevel;
}

/**
 * The model after (or before) the current one in the cycle, wrapping around. A current model that is not in
 * the list counts as the first. Undefined when there is nothing to switch to.
 */
export function nextCycleCandidate(
	candidates: readonly ScopedModel[],
	current: Model | undefined,
	direction: "forward" | "backward",
): ScopedModel | undefined {
	if (candidates.length <= 1) return undefined;
	let index = candidates.findIndex((c) => c.model.provider === current?.provider && c.model.id === current?.id);
	if (index === -1) index = 0;
	const step = direction === "forward" ? 1 : candidates.length - 1;
	return candidates[(index + step) % candidates.length];
}

/**
 * The thinking level to ask for after switching models (pi 1.6.0): the scoped model's own level if it has one,
 * else the new model's `modelThinkingLevels` entry, else the configured default, else the current level.
 */
export function thinkingLevelForModelSwitch(
	previous: { level: ThinkingLevel },
	explicit: ThinkingLevel | undefined,
	configuredDefault: ThinkingLevel | undefined,
	perModel?: ThinkingLevel,
): ThinkingLevel {
	return explicit ?? perModel ?? configuredDefault ?? previous.level;
}

/** Shift+Tab order: the level after `current`, wrapping around (the first one when `current` is not offered). */
export function nextThinkingLevel(levels: readonly ThinkingLevel[], current: ThinkingLevel): ThinkingLevel | undefined {
	return levels[(levels.indexOf(current) + 1) % levels.length];
}
