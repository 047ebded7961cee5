/** Authentication of the session's own summary requests (compaction, /tree): src/agent/session/host.ts. */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { requestAuth, type SessionHost } from "../../src/agent/session/host.ts";
import type { Model } from "../../src/ai/types.ts";
import type { ModelRegistry } from "../../src/registry/model-registry.ts";
import { makeRegistry, sandbox } from "../ai/registry/helpers.ts";

let box: ReturnType<typeof sandbox>;
beforeEach(() => {
	box = sandbox();
});
afterEach(() => box.cleanup());

function hostWith(model: Model | undefined, modelRegistry: ModelRegistry): SessionHost {
	const host: unknown = { agent: { state: { model } }, modelRegistry };
	return host as SessionHost;
}

test("summary requests carry the models.json headers and authHeader's Bearer token, like the agent's", async () => {
	const { registry } = makeRegistry(box.dir, {
		modelsJson: {
			providers: {
				local: {
					baseUrl: "http://127.0.0.1:8080/v1",
					api: "anthropic-messages",
					apiKey: "local-key",
					authHeader: true,
					headers: { "X-Team": "pi" },
					models: [{ id: "m1" }],
				},
			},
		},
	});
	const model = registry.find("local", "m1");
	if (!model) throw new Error("model missing");
	expect(await requestAuth(hostWith(model, registry))).toEqual({
		model,
		apiKey: "local-key",
		headers: { "X-Team": "pi", Authorization: "Bearer local-key" },
		env: undefined,
	});
});

test("no model or no key is an error naming what is missing", async () => {
	const { registry } = makeRegistry(box.dir, {
		modelsJson: {
			providers: {
				local: { baseUrl: "http://x/v1", api: "openai-completions", apiKey: "!exit 1", models: [{ id: "m" }] },
			},
		},
	});
	await expect(requestAuth(hostWith(undefined, registry))).rejects.toThrow("No model selected.");
	const failing = registry.find("local", "m");
	// The sandbox clears every provider key variable, so a built-in model has no key.
	const keyless = registry.getAll().find((model) => model.provider === "anthropic");
	if (!failing || !keyless) throw new Error("model missing");
	await expect(requestAuth(hostWith(failing, registry))).rejects.toThrow(
		'Failed to resolve API key for provider "local"',
	);
	await expect(requestAuth(hostWith(keyless, registry))).rejects.toThrow("No API key found for anthropic.");
});
