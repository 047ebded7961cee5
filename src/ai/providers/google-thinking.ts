/**
 * Gemini's thinking settings as pi 1.6.0 sends them. Newer models (Gemini 3 Pro/Flash, Gemini 4 and later, the
 * `*-latest` aliases, Gemma 4) take a discrete `thinkingLevel`; older ones a token `thinkingBudget` (-1: dynamic).
 * The level comes from the model's thinking-level map (a catalog entry may say e.g. medium → "high"), and must be
 * one Google knows. Thinking off is a zero budget, or — for models that cannot stop thinking — the lowest level the
 * model's map allows.
 */
import type { ThinkingLevel as GoogleThinkingLevel, ThinkingConfig } from "@google/genai";
import { clampThinkingLevel } from "../model-resolver.ts";
import type { Model, StreamOptions, ThinkingLevel } from "../types.ts";

type GoogleLevel = "minimal" | "low" | "medium" | "high";

// The SDK's ThinkingLevel values, without loading the SDK (an island, see google-sdk.ts) to build a request.
const SDK_LEVEL: Record<GoogleLevel, GoogleThinkingLevel> = {
	minimal: "MINIMAL" as GoogleThinkingLevel,
	low: "LOW" as GoogleThinkingLevel,
	medium: "MEDIUM" as GoogleThinkingLevel,
	high: "HIGH" as GoogleThinkingLevel,
};

export function usesThinkingLevel(model: Model): boolean {
	const id = model.id.toLowerCase();
	return (
		/gemini-3(?:\.\d+)?-(?:pro|flash)/.test(id) ||
		/gemini-(?:[4-9]|[1-9]\d)/.test(id) ||
		id === "gemini-flash-latest" ||
		id === "gemini-flash-lite-latest" ||
		/gemma-?4/.test(id)
	);
}

/** A pi level as Google's, through the model's map; a mapping to something Google does not know is an error. */
function googleLevel(model: Model, level: ThinkingLevel): GoogleLevel {
	const mapped = model.thinkingLevelMap?.[level];
	const resolved = typeof mapped === "string" ? mapped.toLowerCase() : level;
	if (resolved === "minimal" || resolved === "low" || resolved === "medium" || resolved === "high") return resolved;
	throw new Error(
		`Unsupported Google thinking level mapping for ${model.provider}/${model.id}: ${level} -> ${String(mapped)}`,
	);
}

function budgetFor(model: Model, level: GoogleLevel, custom: StreamOptions["thinkingBudgets"]): number {
	const override = custom?.[level];
	if (override !== undefined) return override;
	if (model.id.includes("2.5-pro")) return { minimal: 128, low: 2048, medium: 8192, high: 32768 }[level];
	if (model.id.includes("2.5-flash-lite")) return { minimal: 512, low: 2048, medium: 8192, high: 24576 }[level];
	if (model.id.includes("2.5-flash")) return { minimal: 128, low: 2048, medium: 8192, high: 24576 }[level];
	return -1; // dynamic
}

function thinkingOff(model: Model): ThinkingConfig {
	if (!usesThinkingLevel(model)) return { thinkingBudget: 0 };
	const least = clampThinkingLevel(model, "off");
	return least === "off" ? { thinkingBudget: 0 } : { thinkingLevel: SDK_LEVEL[googleLevel(model, least)] };
}

export function googleThinkingConfig(model: Model, options: StreamOptions | undefined): ThinkingConfig | undefined {
	if (!model.reasoning) return undefined;
	const level = options?.reasoning ? clampThinkingLevel(model, options.reasoning) : "off";
	if (level === "off") return thinkingOff(model);
	const google = googleLevel(model, level);
	if (usesThinkingLevel(model)) return { includeThoughts: true, thinkingLevel: SDK_LEVEL[google] };
	return { includeThoughts: true, thinkingBudget: budgetFor(model, google, options?.thinkingBudgets) };
}
