import { afterEach, beforeEach, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { formatModelList, formatTokenCount, fuzzyFilter } from "../../../src/ai/list-models.ts";
import { makeRegistry, sandbox } from "./helpers.ts";

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
	box = sandbox();
});
afterEach(() => box.cleanup());

test("token counts are shortened like pi", () => {
	expect(formatTokenCount(200_000)).toBe("200K");
	expect(formatTokenCount(131_072)).toBe("131.1K");
	expect(formatTokenCount(1_000_000)).toBe("1M");
	expect(formatTokenCount(1_048_576)).toBe("1.0M");
	expect(formatTokenCount(1_500_000)).toBe("1.5M");
	expect(formatTokenCount(999)).toBe("999");
});

test('output is byte-identical to pi 1.6.0\'s `--list-models "gpt oss"` for the same credentials', async () => {
	// Fixture captured from pi 1.6.0 with OPENROUTER_API_KEY, GROQ_API_KEY and CEREBRAS_API_KEY set.
	process.env.OPENROUTER_API_KEY = "o";
	process.env.GROQ_API_KEY = "g";
	process.env.CEREBRAS_API_KEY = "c";
	const { registry } = makeRegistry(box.dir);
	const expected = readFileSync(join(import.meta.dir, "fixtures", "pi16-list-models-gpt-oss.txt"), "utf-8");
	expect(formatModelList(await registry.getAvailable(), "gpt oss")).toBe(expected);
});

test("full table: header, two-space columns padded to the widest cell, sorted by provider then id", async () => {
	const { registry } = makeRegistry(box.dir, {
		modelsJson: {
			providers: {
				zlocal: {
					baseUrl: "http://127.0.0.1:11434/v1",
					api: "openai-completions",
					apiKey: "ollama",
					models: [
						{ id: "b-model", contextWindow: 8192, maxTokens: 1000, input: ["text", "image"] },
						{ id: "a-model", reasoning: true, contextWindow: 2_000_000, maxTokens: 500 },
					],
				},
				alocal: { baseUrl: "http://127.0.0.1:1234/v1", api: "openai-completions", apiKey: "x", models: [{ id: "m" }] },
			},
		},
	});
	expect(formatModelList(await registry.getAvailable())).toBe(
		[
			"provider  model    context  max-out  thinking  images\n",
			"alocal    m        128K     16.4K    no        no    \n",
			"zlocal    a-model  2M       500      yes       no    \n",
			"zlocal    b-model  8.2K     1K       no        yes   \n",
		].join(""),
	);
});

test("messages for no models and for a search without matches", () => {
	expect(formatModelList([])).toStartWith("No models available.");
	const { registry } = makeRegistry(box.dir);
	const some = registry.getAll().slice(0, 3);
	expect(formatModelList(some, "qqqzzz")).toBe('No models matching "qqqzzz"\n');
});

test("fuzzy filter: every token must match as a subsequence; letters+digits may be swapped", () => {
	const items = ["openai gpt-4o", "anthropic claude-sonnet-4-5", "groq openai/gpt-oss-120b"];
	expect(fuzzyFilter(items, "gpt oss", (s) => s)).toEqual(["groq openai/gpt-oss-120b"]);
	expect(fuzzyFilter(items, "sonnet45", (s) => s)).toEqual(["anthropic claude-sonnet-4-5"]);
	expect(fuzzyFilter(items, "4gpt", (s) => s)).toContain("openai gpt-4o");
	expect(fuzzyFilter(items, "  ", (s) => s)).toEqual(items);
});
