/** ANTHROPIC_AUTH_TOKEN (pi 1.6.0): a bearer token for gateways, winning over the other Anthropic variables. */
import { afterEach, beforeEach, expect, test } from "bun:test";
import { streamAssistant } from "../../../src/ai/stream.ts";
import { makeRegistry, sandbox } from "../registry/helpers.ts";
import { testModel, useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();
let box: ReturnType<typeof sandbox>;
beforeEach(() => {
	box = sandbox();
});
afterEach(() => box.cleanup());

test("sent as Authorization: Bearer with no x-api-key; a stored key still wins", async () => {
	process.env.ANTHROPIC_AUTH_TOKEN = "gateway-token";
	process.env.ANTHROPIC_API_KEY = "sk-ant-env";
	const model = testModel("anthropic-messages", server.url);
	const { registry } = makeRegistry(box.dir);
	expect(registry.hasConfiguredAuth(model)).toBe(true);
	const auth = await registry.getApiKeyAndHeaders(model);
	if (!auth.ok) throw new Error(auth.error);
	server.enqueue({ text: "via gateway" });
	const message = await streamAssistant(model, userContext("hi"), {
		apiKey: auth.apiKey,
		...(auth.authHeaders ? { headers: auth.authHeaders } : {}),
	}).result();
	expect(message.errorMessage).toBeUndefined();
	expect(server.lastRequest().headers.authorization).toBe("Bearer gateway-token");
	expect(server.lastRequest().headers["x-api-key"]).toBeUndefined();

	const stored = makeRegistry(box.dir, { authJson: { anthropic: { type: "api_key", key: "sk-ant-stored" } } }).registry;
	const storedAuth = await stored.getApiKeyAndHeaders(model);
	expect(storedAuth).toMatchObject({ ok: true, apiKey: "sk-ant-stored", authHeaders: undefined });
});
