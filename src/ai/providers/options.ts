/** Option defaults and thinking-level helpers shared by the providers (pi-spec §4.10, §4.11). */
import type { Context, Model, ProviderHeaders, StreamOptions, ThinkingLevel } from "../types.ts";
import { clampMaxTokensToContext, outputLimit } from "./output-limit.ts";

/**
 * The output limit to ask for (pi 1.6.0): the caller's `maxTokens`, else the model's, fitted into the context window
 * after the input (output-limit.ts).
 */
export function resolveMaxTokens(model: Model, context: Context, options: StreamOptions | undefined): number {
	return outputLimit(model, context, options?.maxTokens);
}

/**
 * model.headers, then per-call headers: later sources win whatever the case of the name (HTTP header names are
 * case-insensitive), and a `null` removes the header set before (pi 1.6.0's mergeHeaders).
 */
export function mergeHeaders(...sources: (ProviderHeaders | undefined)[]): Record<string, string> {
	const merged: Record<string, string> = {};
	for (const source of sources) {
		if (!source) continue;
		for (const [name, value] of Object.entries(source)) {
			const lower = name.toLowerCase();
			for (const existing of Object.keys(merged)) if (existing.toLowerCase() === lower) delete merged[existing];
			if (value !== null) merged[name] = value;
		}
	}
	return merged;
}

/**
 * The Anthropic/OpenAI SDK client options for retries and timeout: only what the caller set, so that the SDK's
 * defaults apply otherwise, as they do in pi (the SDK retries 408/409/429/5xx twice, honouring retry-after).
 */
export function sdkRetryOptions(options: StreamOptions | undefined): { maxRetries?: number; timeout?: number } {
	return {
		...(options?.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
		...(options?.timeoutMs !== undefined ? { timeout: options.timeoutMs } : {}),
	};
}

/** The catalog's per-level provider value: a string replaces the default, `null` marks the level unsupported. */
export function thinkingLevelMapping(model: Model, level: ThinkingLevel): string | null | undefined {
	return model.thinkingLevelMap?.[level];
}

export type BudgetLevel = "minimal" | "low" | "medium" | "high";

export function clampToHigh(level: Exclude<ThinkingLevel, "off">): BudgetLevel {
	return level === "xhigh" || level === "max" ? "high" : level;
}

const DEFAULT_BUDGETS: Record<BudgetLevel, number> = { minimal: 1024, low: 2048, medium: 8192, high: 16384 };

/** Budget thinking adds its budget to the output limit, keeping at least 1024 tokens for the answer. */
export function budgetForThinking(
	baseMaxTokens: number,
	modelMaxTokens: number,
	level: Exclude<ThinkingLevel, "off">,
	customBudgets: StreamOptions["thinkingBudgets"],
): { maxTokens: number; thinkingBudget: number } {
	const budgets = { ...DEFAULT_BUDGETS, ...customBudgets };
	let thinkingBudget = budgets[clampToHigh(level)];
	const maxTokens = Math.min(baseMaxTokens + thinkingBudget, modelMaxTokens);
	if (maxTokens <= thinkingBudget) thinkingBudget = Math.max(0, maxTokens - 1024);
	return { maxTokens, thinkingBudget };
}

/**
 * Strips lone UTF-16 surrogates, which providers reject as invalid JSON strings. Every text of the transcript goes
 * through here for each request: the native well-formedness check spares the regular expression's scan.
 */
export function sanitizeText(text: string): string {
	if (text.isWellFormed()) return text;
	return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "");
}

/**
 * Output limit and thinking budget of budget-based thinking (pi 1.6.0): the limit grows by the budget up to the
 * model's, is fitted into the context window, and the budget leaves at least 1,024 tokens to answer.
 */
export function budgetThinkingLimits(
	model: Model,
	context: Context,
	options: StreamOptions | undefined,
	level: Exclude<ThinkingLevel, "off">,
): { maxTokens: number; thinkingBudget: number } {
	const adjusted = budgetForThinking(
		resolveMaxTokens(model, context, options),
		model.maxTokens,
		level,
		options?.thinkingBudgets,
	);
	const maxTokens = clampMaxTokensToContext(model, context, adjusted.maxTokens);
	return { maxTokens, thinkingBudget: Math.min(adjusted.thinkingBudget, Math.max(0, maxTokens - 1024)) };
}
