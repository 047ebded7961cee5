import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import {
	availableThinkingLevels,
	clampThinkingLevel,
	findInitialModel,
	globMatch,
	parseModelPattern,
	resolveCliModel,
	resolveModelScope,
} from "../../../src/ai/model-resolver.ts";
import type { Model } from "../../../src/ai/types.ts";
import type { ModelRegistry } from "../../../src/registry/model-registry.ts";
import { makeRegistry, sandbox } from "./helpers.ts";

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
	box = sandbox();
});
afterEach(() => box.cleanup());

/** A custom provider whose ids exercise aliases, dated snapshots and OpenRouter-style slashes and colons. */
const customModels = {
	providers: {
		lab: {
			baseUrl: "http://127.0.0.1:1/v1",
			api: "openai-completions",
			apiKey: "lab-key",
			models: [
				{ id: "nova-20240101", name: "Nova old" },
				{ id: "nova-20250101", name: "Nova new" },
				{ id: "nova-latest", name: "Nova latest", reasoning: true },
				{ id: "stellar-20240101" },
				{ id: "stellar-20250601" },
				{ id: "openai/custom-x:free", name: "Custom X" },
			],
		},
	},
};

function registryWith(modelsJson: unknown = customModels): ModelRegistry {
	return makeRegistry(box.dir, { modelsJson }).registry;
}

function key(model: Model | undefined): string | undefined {
	return model ? `${model.provider}/${model.id}` : undefined;
}

function must(model: Model | undefined): Model {
	if (!model) throw new Error("expected a model");
	return model;
}

describe("resolveCliModel", () => {
	test("exact id, provider/id, and --provider with a redundant prefix", () => {
		const registry = registryWith();
		expect(key(resolveCliModel({ model: "claude-sonnet-4-5", registry }).model)).toBe("anthropic/claude-sonnet-4-5");
		expect(key(resolveCliModel({ model: "opencode/claude-sonnet-4-5", registry }).model)).toBe(
			"opencode/claude-sonnet-4-5",
		);
		expect(key(resolveCliModel({ provider: "OpenAI", model: "openai/gpt-4o", registry }).model)).toBe("openai/gpt-4o");
		expect(key(resolveCliModel({ model: "CLAUDE-SONNET-4-5", registry }).model)).toBe("anthropic/claude-sonnet-4-5");
	});

	test("fuzzy: substring of id or name, aliases preferred, else the newest dated snapshot", () => {
		const registry = registryWith();
		expect(key(resolveCliModel({ provider: "lab", model: "nova", registry }).model)).toBe("lab/nova-latest");
		expect(key(resolveCliModel({ provider: "lab", model: "stellar", registry }).model)).toBe("lab/stellar-20250601");
		expect(key(resolveCliModel({ provider: "lab", model: "Nova new", registry }).model)).toBe("lab/nova-20250101");
		expect(key(resolveCliModel({ model: "anthropic/sonnet", registry }).model)).toBe("anthropic/claude-sonnet-5-5");
	});

	test(":thinking suffix is split off; an invalid suffix makes --model fail instead of guessing", () => {
		const registry = registryWith();
		const high = resolveCliModel({ model: "anthropic/claude-sonnet-4-5:high", registry });
		expect(key(high.model)).toBe("anthropic/claude-sonnet-4-5");
		expect(high.thinkingLevel).toBe("high");
		const bad = resolveCliModel({ model: "claude-sonnet-4-5:turbo", registry });
		expect(bad.model).toBeUndefined();
		expect(bad.error).toBe('Model "claude-sonnet-4-5:turbo" not found. Use --list-models to see available models.');
	});

	test("ids containing a provider-looking prefix and colons still resolve (OpenRouter style)", () => {
		const registry = registryWith();
		const result = resolveCliModel({ model: "openai/custom-x:free", registry });
		expect(key(result.model)).toBe("lab/openai/custom-x:free");
		expect(result.thinkingLevel).toBeUndefined();
	});

	test("unknown provider is an error; unknown id for a known provider becomes a custom model id", () => {
		const registry = registryWith();
		expect(resolveCliModel({ provider: "nope", model: "x", registry }).error).toBe(
			'Unknown provider "nope". Use --list-models to see available providers/models.',
		);
		const custom = resolveCliModel({ provider: "anthropic", model: "claude-future-9", registry });
		expect(custom.warning).toBe('Model "claude-future-9" not found for provider "anthropic". Using custom model id.');
		const base = must(registry.find("anthropic", "claude-opus-5-5"));
		expect(custom.model).toEqual({ ...base, id: "claude-future-9", name: "claude-future-9" });
		expect(resolveCliModel({ model: "zzz-no-such-model", registry }).error).toBe(
			'Model "zzz-no-such-model" not found. Use --list-models to see available models.',
		);
	});
});

describe("parseModelPattern (lenient)", () => {
	test("an invalid thinking suffix warns and is ignored", () => {
		const models = registryWith().getAll();
		const result = parseModelPattern("nova-latest:turbo", models);
		expect(key(result.model)).toBe("lab/nova-latest");
		expect(result.thinkingLevel).toBeUndefined();
		expect(result.warning).toBe(
			'Invalid thinking level "turbo" in pattern "nova-latest:turbo". Using default instead.',
		);
	});
});

describe("globMatch", () => {
	test("minimatch semantics for model patterns", () => {
		expect(globMatch("anthropic/claude-sonnet-4-5", "anthropic/*")).toBe(true);
		expect(globMatch("anthropic/claude-sonnet-4-5", "*sonnet*")).toBe(false); // * stops at "/"
		expect(globMatch("claude-sonnet-4-5", "*SONNET*")).toBe(true);
		expect(globMatch("openrouter/openai/gpt-4o", "openrouter/*")).toBe(false);
		expect(globMatch("openrouter/openai/gpt-4o", "openrouter/**")).toBe(true);
		expect(globMatch("gpt-4o", "gpt-4?")).toBe(true);
		expect(globMatch("gpt-4o", "gpt-[45]o")).toBe(true);
		expect(globMatch("gpt-4o", "gpt-[!4]o")).toBe(false);
		expect(globMatch("claude-opus-4-5", "claude-{opus,haiku}-*")).toBe(true);
		expect(globMatch("gpt-4.1", "gpt-4*1")).toBe(true);
		expect(globMatch("gpt-401", "gpt-4.1")).toBe(false);
	});
});

describe("resolveModelScope", () => {
	test("globs with :level, lenient patterns, warnings, no duplicates, only models with credentials", async () => {
		process.env.ANTHROPIC_API_KEY = "k";
		const registry = registryWith();
		const scope = await resolveModelScope(
			["anthropic/claude-opus-4-*:high", "claude-opus-4-5", "nova:bogus", "google/*", "nothing-like-this"],
			registry,
		);
		expect(scope.models.map((entry) => [key(entry.model), entry.thinkingLevel])).toEqual([
			["anthropic/claude-opus-4-5", "high"],
			["anthropic/claude-opus-4-5-20251101", "high"],
			["anthropic/claude-opus-4-6", "high"],
			["anthropic/claude-opus-4-7", "high"],
			["anthropic/claude-opus-4-8", "high"],
			["lab/nova-latest", undefined],
		]);
		expect(scope.warnings).toEqual([
			'Invalid thinking level "bogus" in pattern "nova:bogus". Using default instead.',
			'No models match pattern "google/*"',
			'No models match pattern "nothing-like-this"',
		]);
	});
});

describe("findInitialModel", () => {
	test("--model wins; a scope prefers the saved default if in scope, else its first model", async () => {
		process.env.ANTHROPIC_API_KEY = "k";
		const registry = registryWith();
		const opus = must(registry.find("anthropic", "claude-opus-4-5"));
		const nova = must(registry.find("lab", "nova-latest"));
		const base = { isContinuing: false, registry };
		expect((await findInitialModel({ ...base, cliModel: nova, scopedModels: [] })).model).toBe(nova);
		const scoped = [{ model: opus, thinkingLevel: "low" as const }, { model: nova }];
		expect(await findInitialModel({ ...base, scopedModels: scoped })).toEqual({ model: opus, thinkingLevel: "low" });
		expect(
			await findInitialModel({ ...base, scopedModels: scoped, defaultProvider: "lab", defaultModelId: "nova-latest" }),
		).toEqual({ model: nova });
		// Continuing a session ignores the scope.
		expect(
			(
				await findInitialModel({
					...base,
					isContinuing: true,
					scopedModels: scoped,
					defaultProvider: "lab",
					defaultModelId: "nova-latest",
				})
			).model,
		).toBe(nova);
	});

	test("a session's model is restored only if it exists and has credentials", async () => {
		const registry = registryWith();
		const restored = await findInitialModel({
			scopedModels: [],
			isContinuing: true,
			sessionModel: { provider: "lab", modelId: "stellar-20240101" },
			registry,
		});
		expect(key(restored.model)).toBe("lab/stellar-20240101");
		expect(restored.fallbackMessage).toBeUndefined();
		const missingAuth = await findInitialModel({
			scopedModels: [],
			isContinuing: true,
			sessionModel: { provider: "anthropic", modelId: "claude-opus-4-5" },
			registry,
		});
		expect(key(missingAuth.model)).toBe("lab/nova-20240101");
		expect(missingAuth.fallbackMessage).toBe(
			"Could not restore model anthropic/claude-opus-4-5. Using lab/nova-20240101",
		);
	});

	test("settings default, then pi's per-provider defaults, then the first available model", async () => {
		const registry = registryWith();
		const base = { scopedModels: [], isContinuing: false, registry };
		expect(
			key((await findInitialModel({ ...base, defaultProvider: "lab", defaultModelId: "stellar-20250601" })).model),
		).toBe("lab/stellar-20250601");
		expect(key((await findInitialModel(base)).model)).toBe("lab/nova-20240101");
		process.env.OPENAI_API_KEY = "o";
		process.env.ANTHROPIC_API_KEY = "a";
		expect(key((await findInitialModel(base)).model)).toBe("anthropic/claude-opus-5-5");
		delete process.env.ANTHROPIC_API_KEY;
		expect(key((await findInitialModel(base)).model)).toBe("openai/gpt-6.2-sol");
	});

	test("no credentials at all: no model and pi's message", async () => {
		const result = await findInitialModel({
			scopedModels: [],
			isContinuing: false,
			registry: registryWith({ providers: {} }),
		});
		expect(result.model).toBeUndefined();
		expect(result.fallbackMessage).toStartWith("No models available.");
	});
});

describe("thinking levels", () => {
	test("available levels follow reasoning and the thinking-level map", () => {
		const registry = registryWith();
		expect(availableThinkingLevels(must(registry.find("lab", "stellar-20240101")))).toEqual(["off"]);
		expect(availableThinkingLevels(must(registry.find("anthropic", "claude-sonnet-4-5")))).toEqual([
			"off",
			"minimal",
			"low",
			"medium",
			"high",
		]);
		// pi 1.6.0: "max" (and "xhigh") only where the map names them; null marks a level unsupported.
		expect(availableThinkingLevels(must(registry.find("anthropic", "claude-opus-4-6")))).toEqual([
			"off",
			"minimal",
			"low",
			"medium",
			"high",
			"max",
		]);
		expect(availableThinkingLevels(must(registry.find("openai", "gpt-5.4")))).toEqual([
			"off",
			"low",
			"medium",
			"high",
			"xhigh",
		]);
		expect(availableThinkingLevels(must(registry.find("google", "gemini-3.1-pro-preview")))).toEqual([
			"low",
			"medium",
			"high",
		]);
	});

	test("clamp picks the nearest supported level, higher first", () => {
		const registry = registryWith();
		const sonnet = must(registry.find("anthropic", "claude-sonnet-4-5"));
		expect(clampThinkingLevel(sonnet, "xhigh")).toBe("high");
		expect(clampThinkingLevel(sonnet, "medium")).toBe("medium");
		expect(clampThinkingLevel(must(registry.find("lab", "stellar-20240101")), "high")).toBe("off");
		expect(clampThinkingLevel(must(registry.find("openai", "gpt-5")), "off")).toBe("minimal");
		expect(clampThinkingLevel(must(registry.find("google", "gemini-3.1-pro-preview")), "minimal")).toBe("low");
		expect(clampThinkingLevel(must(registry.find("google", "gemini-3.1-pro-preview")), "max")).toBe("high");
		expect(clampThinkingLevel(must(registry.find("google", "gemini-3.1-pro-preview")), "minimal")).toBe("low");
	});

	test("models.json may give a custom model a thinking-level map", () => {
		const registry = registryWith({
			providers: {
				lab: {
					baseUrl: "http://x",
					api: "openai-completions",
					apiKey: "k",
					models: [{ id: "deep", reasoning: true, thinkingLevelMap: { off: null, xhigh: "max" } }],
				},
			},
		});
		expect(availableThinkingLevels(must(registry.find("lab", "deep")))).toEqual([
			"minimal",
			"low",
			"medium",
			"high",
			"xhigh",
		]);
	});
});
