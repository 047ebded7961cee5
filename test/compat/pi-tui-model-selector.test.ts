/**
 * The /model selector laid out as pi 1.6.0's: the same models (current, default, scoped), keys and widths give the
 * same rows and the same choices from our ModelSelector as from pi's ModelSelectorComponent. pi also refreshes
 * remote model catalogs while it is open; those status lines are left out of the comparison (we have none to
 * refresh). Skipped without pi 1.6.0.
 */
import { describe, expect, test } from "bun:test";
import type { Model } from "../../src/ai/types.ts";
import { ModelSelector } from "../../src/modes/interactive/components/model-selector.ts";
import { CURSOR_MARKER } from "../../src/tui/component.ts";
import { stripAnsi } from "../../src/tui/text-utils.ts";
import { referencePi160 } from "../support/reference-pi.ts";
import { type ModelRef, type ModelSelectorCase, runPiTui } from "./pi-tui/run.ts";

const UP = "\x1b[A";
const DOWN = "\x1b[B";
const ENTER = "\r";
const ESC = "\x1b";
const TAB = "\t";
const BACKSPACE = "\x7f";
const CTRL_S = "\x13";
const type = (text: string) => [...text];

function model(provider: string, id: string, name: string): Model {
	return {
		id,
		name,
		api: "openai-completions",
		provider,
		baseUrl: "http://127.0.0.1:9",
		reasoning: false,
		input: ["text"],
		cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
		contextWindow: 128_000,
		maxTokens: 8192,
	};
}

const MODELS: Model[] = [
	model("openai", "gpt-5", "GPT-5"),
	model("anthropic", "claude-sonnet-4-5", "Claude Sonnet 4.5"),
	model("anthropic", "claude-opus-4-1", "Claude Opus 4.1"),
	model("openrouter", "openai/gpt-5", "OpenAI: GPT-5"),
	model("openrouter", "minimax/minimax-m3", "MiniMax M3 [rasmus@openrouter, parasail]"),
	model("google", "gemini-2.5-pro", "Gemini 2.5 Pro"),
	model("groq", "llama-3.3-70b", "Llama 3.3 70B"),
	model("xai", "grok-4", "Grok 4"),
	model("mistral", "mistral-large", "Mistral Large"),
	model("deepseek", "deepseek-chat", "DeepSeek V3"),
	model("zai", "glm-4.6", "GLM 4.6"),
	model("cerebras", "qwen-3-coder", "Qwen 3 Coder"),
];

const ref = (m: Model | undefined): ModelRef | undefined => (m ? { provider: m.provider, id: m.id } : undefined);

const STEPS: Omit<ModelSelectorCase, "models">[] = [
	{
		name: "opens on the current model, default second",
		current: ref(MODELS[1]),
		defaultModel: ref(MODELS[5]),
		scoped: [],
		steps: [],
		width: 80,
	},
	{
		name: "moves, wraps and pages",
		current: ref(MODELS[1]),
		scoped: [],
		steps: [UP, UP, DOWN, "\x1b[6~", "\x1b[5~"],
		width: 80,
	},
	{
		name: "typing filters fuzzily; backspace widens",
		current: ref(MODELS[0]),
		scoped: [],
		steps: [...type("gpt"), BACKSPACE, BACKSPACE, BACKSPACE],
		width: 80,
	},
	{
		name: "'def' finds the default model",
		current: ref(MODELS[0]),
		defaultModel: ref(MODELS[6]),
		scoped: [],
		steps: type("def"),
		width: 80,
	},
	{ name: "no match", current: ref(MODELS[0]), scoped: [], steps: type("zzzz"), width: 80 },
	{
		name: "Enter selects, Ctrl+S sets the default, Escape cancels",
		current: ref(MODELS[0]),
		scoped: [],
		steps: [DOWN, ENTER, CTRL_S, ESC],
		width: 80,
	},
	{
		name: "scoped models: Tab switches between scoped and all",
		current: ref(MODELS[2]),
		scoped: [ref(MODELS[2]), ref(MODELS[0])].filter((r): r is ModelRef => r !== undefined),
		steps: [TAB, DOWN, TAB],
		width: 80,
	},
	{ name: "initial search", current: ref(MODELS[0]), scoped: [], search: "claude", steps: [DOWN], width: 80 },
	{ name: "narrow terminal wraps", current: ref(MODELS[4]), scoped: [], steps: [], width: 40 },
];

function ours(c: ModelSelectorCase): { frames: string[][]; events: string[] } {
	const events: string[] = [];
	const find = (r: ModelRef | undefined) => MODELS.find((m) => m.provider === r?.provider && m.id === r?.id);
	const selector = new ModelSelector({
		current: find(c.current),
		available: MODELS,
		scoped: c.scoped.map((r) => find(r)).filter((m): m is Model => m !== undefined),
		defaultModel: c.defaultModel,
		initialSearch: c.search,
		onSelect: (m) => events.push(`select ${m.provider}/${m.id}`),
		onSelectAsDefault: (m) => events.push(`default ${m.provider}/${m.id}`),
		onCancel: () => events.push("cancel"),
	});
	selector.focused = true;
	const frames = [selector.render(c.width)];
	for (const key of c.steps) {
		selector.handleInput(key);
		frames.push(selector.render(c.width));
	}
	return { frames, events };
}

/** Plain rows, without pi's catalog refresh status (and the blank row before it). */
function plain(lines: string[]): string[] {
	const rows = lines.map((line) => stripAnsi(line.replaceAll(CURSOR_MARKER, "")).trimEnd());
	const status = rows.findIndex((row) => /model catalogs/i.test(row));
	if (status > 0 && rows[status - 1] === "") rows.splice(status - 1, 2);
	return rows;
}

describe.skipIf(!referencePi160())("/model selector side by side with pi 1.6.0", () => {
	const cases: ModelSelectorCase[] = STEPS.map((step) => ({ ...step, models: MODELS }));
	const pi = runPiTui({ modelSelectors: cases });
	for (const [index, c] of cases.entries()) {
		test(c.name, () => {
			const theirs = pi?.modelSelectors[index];
			if (!theirs) throw new Error("no result from pi");
			const mine = ours(c);
			expect(mine.events).toEqual(theirs.events);
			for (const [step, lines] of mine.frames.entries()) {
				expect({ step, lines: plain(lines) }).toEqual({ step, lines: plain(theirs.frames[step] ?? []) });
			}
		});
	}
});
