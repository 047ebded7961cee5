import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { clearConfigValueCache } from "../../../src/auth/resolve-config-value.ts";
import { stripJsonComments } from "../../../src/registry/json-comments.ts";
import { makeRegistry, sandbox } from "./helpers.ts";

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
	box = sandbox();
	clearConfigValueCache();
});
afterEach(() => {
	delete process.env.PI_TEST_LOCAL_KEY;
	box.cleanup();
});

describe("built-in models", () => {
	test("without models.json every catalog model is listed and none is available", async () => {
		const { registry } = makeRegistry(box.dir);
		expect(registry.loadError).toBeUndefined();
		const sonnet = registry.find("anthropic", "claude-sonnet-4-5");
		expect(sonnet).toMatchObject({
			api: "anthropic-messages",
			baseUrl: "https://api.anthropic.com",
			reasoning: true,
			contextWindow: expect.any(Number),
		});
		expect(registry.getAll().length).toBeGreaterThan(500);
		expect(await registry.getAvailable()).toEqual([]);
	});

	test("getAvailable lists exactly the providers with credentials", async () => {
		process.env.GROQ_API_KEY = "g";
		const { registry, auth } = makeRegistry(box.dir);
		auth.setRuntimeApiKey("cerebras", "c");
		const providers = new Set((await registry.getAvailable()).map((m) => m.provider));
		expect([...providers].sort()).toEqual(["cerebras", "groq"]);
	});
});

describe("building only the providers asked about", () => {
	// Startup builds only the providers with credentials and the saved default's (model-registry.ts `partial`);
	// that must be exactly the full list filtered, in the same order, overrides and models.json included.
	const modelsJson = {
		providers: {
			ollama: {
				baseUrl: "http://localhost:11434/v1",
				api: "openai-completions",
				apiKey: "ollama",
				models: [{ id: "m1" }],
			},
			anthropic: {
				baseUrl: "https://proxy.example/anthropic",
				modelOverrides: { "claude-sonnet-4-5": { name: "Sonnet via proxy" } },
				models: [{ id: "claude-sonnet-4-5", name: "Replaced" }, { id: "extra-anthropic-model" }],
			},
		},
	};

	test("getAvailable and find before getAll equal the full list filtered", async () => {
		process.env.GROQ_API_KEY = "g";
		process.env.ANTHROPIC_API_KEY = "a";
		const partial = makeRegistry(box.dir, { modelsJson }).registry;
		const available = await partial.getAvailable();
		const found = partial.find("anthropic", "claude-sonnet-4-5");
		const extra = partial.find("anthropic", "extra-anthropic-model");
		const full = makeRegistry(box.dir, { modelsJson }).registry;
		const all = full.getAll();
		const authed = new Set(["anthropic", "groq", "ollama"]);
		expect(available).toEqual(all.filter((model) => authed.has(model.provider)));
		expect(new Set(available.map((model) => model.provider))).toEqual(authed);
		expect(available.at(-1)).toMatchObject({ provider: "anthropic", id: "extra-anthropic-model" });
		expect(found).toMatchObject({ name: "Replaced", baseUrl: "https://proxy.example/anthropic" });
		expect(found).toEqual(full.find("anthropic", "claude-sonnet-4-5"));
		expect(extra).toEqual(full.find("anthropic", "extra-anthropic-model"));
		expect(partial.find("groq", "no-such-model")).toBeUndefined();
	});
});

describe("custom providers", () => {
	const ollama = {
		providers: {
			ollama: {
				baseUrl: "http://localhost:11434/v1",
				api: "openai-completions",
				apiKey: "ollama",
				models: [{ id: "llama3.1:8b" }, { id: "qwen3:32b", name: "Qwen 3", reasoning: true, input: ["text", "image"] }],
			},
		},
	};

	test("a local server is an openai-completions provider; model fields get pi's defaults", async () => {
		const { registry } = makeRegistry(box.dir, { modelsJson: ollama });
		expect(registry.loadError).toBeUndefined();
		expect(registry.find("ollama", "llama3.1:8b")).toEqual({
			id: "llama3.1:8b",
			name: "llama3.1:8b",
			api: "openai-completions",
			provider: "ollama",
			baseUrl: "http://localhost:11434/v1",
			reasoning: false,
			input: ["text"],
			cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
			contextWindow: 128000,
			maxTokens: 16384,
		});
		expect(registry.find("ollama", "qwen3:32b")).toMatchObject({
			name: "Qwen 3",
			reasoning: true,
			input: ["text", "image"],
		});
		const available = await registry.getAvailable();
		expect(available.map((m) => `${m.provider}/${m.id}`)).toEqual(["ollama/llama3.1:8b", "ollama/qwen3:32b"]);
		expect(await registry.getApiKeyForProvider("ollama")).toBe("ollama");
	});

	test("apiKey may name an env var or a command; stored credentials win over it", async () => {
		process.env.PI_TEST_LOCAL_KEY = "env-resolved";
		const config = structuredClone(ollama);
		config.providers.ollama.apiKey = "PI_TEST_LOCAL_KEY";
		const { registry, auth } = makeRegistry(box.dir, { modelsJson: config });
		const model = registry.find("ollama", "llama3.1:8b");
		if (!model) throw new Error("model missing");
		expect(await registry.getApiKey(model)).toBe("env-resolved");
		auth.set("ollama", { type: "api_key", key: "stored" });
		expect(await registry.getApiKey(model)).toBe("stored");
	});

	test("provider and model headers are resolved and merged; authHeader adds a Bearer token", async () => {
		process.env.PI_TEST_LOCAL_KEY = "hdr-from-env";
		const { registry } = makeRegistry(box.dir, {
			modelsJson: {
				providers: {
					local: {
						baseUrl: "http://127.0.0.1:8080/v1",
						api: "anthropic-messages",
						apiKey: "!echo cmd-key",
						authHeader: true,
						headers: { "X-Shared": "PI_TEST_LOCAL_KEY", "X-Both": "provider" },
						models: [{ id: "m1", headers: { "X-Both": "model", "X-Cmd": "!echo from-cmd" } }],
					},
				},
			},
		});
		const model = registry.find("local", "m1");
		if (!model) throw new Error("model missing");
		expect(model.headers).toEqual({ "X-Shared": "hdr-from-env", "X-Both": "model", "X-Cmd": "from-cmd" });
		expect(await registry.getApiKeyAndHeaders(model)).toEqual({
			ok: true,
			apiKey: "cmd-key",
			headers: { "X-Shared": "hdr-from-env", "X-Both": "model", "X-Cmd": "from-cmd", Authorization: "Bearer cmd-key" },
			authHeaders: { Authorization: "Bearer cmd-key" },
			env: undefined,
		});
	});

	test("pi 1.6.0's $NAME syntax: the key and headers interpolate; an unset variable leaves the provider unavailable", async () => {
		process.env.PI_TEST_LOCAL_KEY = "interpolated";
		const { registry } = makeRegistry(box.dir, {
			modelsJson: {
				providers: {
					local: {
						baseUrl: "http://127.0.0.1:8080/v1",
						api: "openai-completions",
						apiKey: "$PI_TEST_LOCAL_KEY",
						headers: { "X-Team": "team-$PI_TEST_LOCAL_KEY" },
						models: [{ id: "m" }],
					},
					unset: {
						baseUrl: "http://x/v1",
						api: "openai-completions",
						apiKey: "$PI_TEST_UNSET_KEY",
						models: [{ id: "u" }],
					},
				},
			},
		});
		const model = registry.find("local", "m");
		const unset = registry.find("unset", "u");
		if (!model || !unset) throw new Error("model missing");
		// Before, "$PI_TEST_LOCAL_KEY" went out as the key itself, and the unset provider counted as configured.
		expect(await registry.getApiKey(model)).toBe("interpolated");
		expect(model.headers).toEqual({ "X-Team": "team-interpolated" });
		expect(registry.hasConfiguredAuth(model)).toBe(true);
		expect(registry.hasConfiguredAuth(unset)).toBe(false);
		expect(await registry.getApiKeyAndHeaders(unset)).toEqual({
			ok: false,
			error: 'Failed to resolve API key for provider "unset" from environment variable: PI_TEST_UNSET_KEY',
		});
	});

	test("header commands run for every request (pi 1.6.0), and a header that cannot be resolved fails the request", async () => {
		const tokenFile = join(box.dir, "token");
		writeFileSync(tokenFile, "first");
		const { registry } = makeRegistry(box.dir, {
			modelsJson: {
				providers: {
					local: {
						baseUrl: "http://127.0.0.1:8080/v1",
						api: "openai-completions",
						apiKey: "k",
						headers: { "X-Token": `!cat ${tokenFile}` },
						models: [{ id: "m" }, { id: "bad", headers: { "X-Team": "$PI_TEST_UNSET_HEADER" } }],
					},
				},
			},
		});
		const model = registry.find("local", "m");
		const bad = registry.find("local", "bad");
		if (!model || !bad) throw new Error("model missing");
		const headersOf = async (m: typeof model) => {
			const auth = await registry.getApiKeyAndHeaders(m);
			return auth.ok ? auth.headers : auth.error;
		};
		expect(await headersOf(model)).toEqual({ "X-Token": "first" });
		// A rotated token is picked up by the next request; before, the value read at start was sent all session.
		writeFileSync(tokenFile, "second");
		expect(await headersOf(model)).toEqual({ "X-Token": "second" });
		expect(await headersOf(bad)).toBe(
			'Failed to resolve model "local/bad" header "X-Team" from environment variable: PI_TEST_UNSET_HEADER',
		);
	});

	test("a key command that fails is a request error naming the provider", async () => {
		const { registry } = makeRegistry(box.dir, {
			modelsJson: {
				providers: {
					local: { baseUrl: "http://x/v1", api: "openai-completions", apiKey: "!exit 1", models: [{ id: "m" }] },
				},
			},
		});
		const model = registry.find("local", "m");
		if (!model) throw new Error("model missing");
		expect(await registry.getApiKeyAndHeaders(model)).toEqual({
			ok: false,
			error: 'Failed to resolve API key for provider "local" from shell command: exit 1',
		});
		expect(await registry.getApiKey(model)).toBeUndefined();
	});

	test("models added to a built-in provider inherit its api and baseUrl and replace same-id built-ins", () => {
		const { registry } = makeRegistry(box.dir, {
			modelsJson: {
				providers: {
					anthropic: { models: [{ id: "claude-next" }, { id: "claude-sonnet-4-5", name: "Mine", contextWindow: 5 }] },
				},
			},
		});
		expect(registry.loadError).toBeUndefined();
		expect(registry.find("anthropic", "claude-next")).toMatchObject({
			api: "anthropic-messages",
			baseUrl: "https://api.anthropic.com",
		});
		const replaced = registry.getAll().filter((m) => m.provider === "anthropic" && m.id === "claude-sonnet-4-5");
		expect(replaced).toHaveLength(1);
		expect(replaced[0]).toMatchObject({ name: "Mine", contextWindow: 5, reasoning: false });
	});

	test("compat: provider compat shallow-merged with model compat, routing merged one level deeper", () => {
		const { registry } = makeRegistry(box.dir, {
			modelsJson: {
				providers: {
					gw: {
						baseUrl: "http://gw/v1",
						api: "openai-completions",
						apiKey: "k",
						compat: { supportsStore: false, openRouterRouting: { only: ["a"] } },
						models: [{ id: "m", compat: { supportsDeveloperRole: false, openRouterRouting: { order: ["b"] } } }],
					},
				},
			},
		});
		expect(registry.find("gw", "m")?.compat).toEqual({
			supportsStore: false,
			supportsDeveloperRole: false,
			openRouterRouting: { only: ["a"], order: ["b"] },
		});
	});
});

describe("overriding built-ins", () => {
	test("provider-level baseUrl, compat, headers and apiKey apply to every model of the provider", async () => {
		const { registry } = makeRegistry(box.dir, {
			modelsJson: {
				providers: {
					openai: {
						baseUrl: "http://127.0.0.1:9999/v1",
						headers: { "X-Proxy": "yes" },
						compat: { supportsStore: false },
						apiKey: "proxy-key",
					},
				},
			},
		});
		const openai = registry.getAll().filter((m) => m.provider === "openai");
		expect(openai.length).toBeGreaterThan(10);
		for (const model of openai) {
			expect(model.baseUrl).toBe("http://127.0.0.1:9999/v1");
			expect(model.headers).toEqual({ "X-Proxy": "yes" });
			expect(model.compat?.supportsStore).toBe(false);
		}
		expect(registry.find("anthropic", "claude-sonnet-4-5")?.baseUrl).toBe("https://api.anthropic.com");
		expect((await registry.getAvailable()).every((m) => m.provider === "openai")).toBe(true);
		expect(await registry.getApiKeyForProvider("openai")).toBe("proxy-key");
	});

	test("modelOverrides change single fields; cost merges field by field", () => {
		const { registry } = makeRegistry(box.dir);
		const before = registry.find("anthropic", "claude-sonnet-4-5");
		if (!before) throw new Error("catalog model missing");
		const { registry: overridden } = makeRegistry(box.dir, {
			modelsJson: {
				providers: {
					anthropic: {
						modelOverrides: {
							"claude-sonnet-4-5": {
								name: "Sonnet (team)",
								maxTokens: 1000,
								cost: { input: 1 },
								headers: { "X-Team": "a" },
							},
						},
					},
				},
			},
		});
		expect(overridden.loadError).toBeUndefined();
		expect(overridden.find("anthropic", "claude-sonnet-4-5")).toEqual({
			...before,
			name: "Sonnet (team)",
			maxTokens: 1000,
			cost: { ...before.cost, input: 1 },
			headers: { "X-Team": "a" },
		});
		expect(overridden.find("anthropic", "claude-opus-4-5")?.name).toBe(
			registry.find("anthropic", "claude-opus-4-5")?.name,
		);
	});

	test("refresh re-reads models.json", () => {
		const { registry, modelsPath } = makeRegistry(box.dir);
		expect(registry.find("mine", "m")).toBeUndefined();
		writeFileSync(
			modelsPath,
			JSON.stringify({
				providers: { mine: { baseUrl: "http://x", api: "openai-completions", apiKey: "k", models: [{ id: "m" }] } },
			}),
		);
		registry.refresh();
		expect(registry.find("mine", "m")?.baseUrl).toBe("http://x");
	});
});

describe("models.json errors", () => {
	test("schema errors name the JSON path, the problem and the file; built-ins still load", () => {
		const { registry, modelsPath } = makeRegistry(box.dir, {
			modelsJson: {
				providers: { bad: { baseUrl: "http://x", apiKey: "k", api: "openai-completions", models: [{ id: 5 }] } },
			},
		});
		expect(registry.loadError).toStartWith("Invalid models.json schema:\n  - providers.bad.models.0.id: ");
		expect(registry.loadError).toContain("string");
		expect(registry.loadError).toEndWith(`\n\nFile: ${modelsPath}`);
		expect(registry.find("anthropic", "claude-sonnet-4-5")).toBeDefined();
		expect(registry.getAll().some((m) => m.provider === "bad")).toBe(false);
	});

	test("a models.json starting with a byte-order mark (a Windows editor) loads, as in pi", () => {
		const config = {
			providers: { local: { baseUrl: "http://x", apiKey: "k", api: "openai-completions", models: [{ id: "m" }] } },
		};
		const { registry } = makeRegistry(box.dir, { modelsJson: `\uFEFF${JSON.stringify(config)}` });
		expect(registry.loadError).toBeUndefined();
		expect(registry.find("local", "m")).toBeDefined();
	});

	test("invalid JSON is a parse error naming the file", () => {
		const { registry, modelsPath } = makeRegistry(box.dir, { modelsJson: "{ providers: " });
		expect(registry.loadError).toStartWith("Failed to parse models.json: ");
		expect(registry.loadError).toEndWith(`File: ${modelsPath}`);
	});

	test("rules beyond the schema: baseUrl/apiKey/api for custom models, something to override", () => {
		const cases: [unknown, string][] = [
			[{ providers: { p: { apiKey: "k", api: "x", models: [{ id: "m" }] } } }, 'Provider p: "baseUrl" is required'],
			[{ providers: { p: { baseUrl: "u", api: "x", models: [{ id: "m" }] } } }, 'Provider p: "apiKey" is required'],
			[
				{ providers: { p: { baseUrl: "u", apiKey: "k", models: [{ id: "m" }] } } },
				'Provider p, model m: no "api" specified',
			],
			[
				{ providers: { p: { baseUrl: "u", apiKey: "k", api: "x", models: [{ id: "m", maxTokens: 0 }] } } },
				"invalid maxTokens",
			],
			[{ providers: { openai: { apiKey: "k" } } }, 'Provider openai: must specify "baseUrl"'],
		];
		for (const [config, message] of cases) {
			const { registry } = makeRegistry(box.dir, { modelsJson: config });
			expect(registry.loadError).toStartWith("Failed to load models.json: ");
			expect(registry.loadError).toContain(message);
		}
	});

	test("comments and trailing commas are accepted like pi does", () => {
		const text = `{
			// local models
			"providers": {
				"lm": { "baseUrl": "http://localhost:1234/v1", "api": "openai-completions", "apiKey": "x",
					"models": [ { "id": "a//b", }, ], },
			},
		}`;
		const { registry } = makeRegistry(box.dir, { modelsJson: text });
		expect(registry.loadError).toBeUndefined();
		expect(registry.find("lm", "a//b")).toBeDefined();
		expect(stripJsonComments('{"a": "x, ]", // c\n "b": [1,],}')).toBe('{"a": "x, ]", \n "b": [1]}');
		expect(stripJsonComments('{"a": "q\\"//x", "b": 1, // last\n}')).toBe('{"a": "q\\"//x", "b": 1 \n}');
	});
});

test("a models.json without providers is reported as such", () => {
	const { registry } = makeRegistry(box.dir, { modelsJson: "{}" });
	expect(registry.loadError).toStartWith("Invalid models.json schema:\n  - providers: ");
});
