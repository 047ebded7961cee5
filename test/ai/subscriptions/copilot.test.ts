import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getBuiltInModels } from "../../../src/ai/models.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { Context, Model } from "../../../src/ai/types.ts";
import { emptyUsage } from "../../../src/ai/types.ts";
import { AuthStorage } from "../../../src/auth/auth-storage.ts";
import { ModelRegistry } from "../../../src/registry/model-registry.ts";
import { useLlmServer } from "../providers/helpers.ts";

const server = useLlmServer();

const COPILOT_TOKEN = "tid=abc;exp=1;proxy-ep=proxy.business.githubcopilot.com;st=dotcom";
const PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

/** A catalog Copilot model, sent to the fake server instead of GitHub. */
function copilotModel(id: string): Model {
	const model = getBuiltInModels().find((m) => m.provider === "github-copilot" && m.id === id);
	if (!model) throw new Error(`no github-copilot/${id} in the catalog`);
	return { ...model, baseUrl: server.url };
}

async function send(model: Model, context: Context) {
	const before = server.requests.length;
	const stream = streamAssistant(model, context, { apiKey: COPILOT_TOKEN, sessionId: "s-1" });
	const message = await stream.result();
	const request = server.requests[before];
	if (!request) throw new Error(`no request reached the server: ${message.errorMessage}`);
	return { message, request };
}

const userTurn: Context = { systemPrompt: "sys", messages: [{ role: "user", content: "hi", timestamp: 1 }] };
const afterToolResult: Context = {
	systemPrompt: "sys",
	messages: [
		{ role: "user", content: "look at it", timestamp: 1 },
		{
			role: "assistant",
			content: [{ type: "toolCall", id: "call_1", name: "read", arguments: { path: "a.png" } }],
			api: "openai-completions",
			provider: "github-copilot",
			model: "gpt-4o",
			usage: emptyUsage(),
			stopReason: "toolUse",
			timestamp: 2,
		},
		{
			role: "toolResult",
			toolCallId: "call_1",
			toolName: "read",
			content: [{ type: "image", data: PNG, mimeType: "image/png" }],
			isError: false,
			timestamp: 3,
		},
	],
};

const STATIC_HEADERS = {
	"user-agent": "GitHubCopilotChat/0.35.0",
	"editor-version": "vscode/1.107.0",
	"editor-plugin-version": "copilot-chat/0.35.0",
	"copilot-integration-id": "vscode-chat",
};

describe("GitHub Copilot requests carry pi's per-request headers", () => {
	test("openai-completions (kimi-k3): a user turn is user-initiated, no vision flag", async () => {
		const { message, request } = await send(copilotModel("kimi-k3"), userTurn);
		expect(message.stopReason).toBe("stop");
		expect(request.path).toBe("/chat/completions");
		expect(request.headers).toMatchObject({
			...STATIC_HEADERS,
			authorization: `Bearer ${COPILOT_TOKEN}`,
			"x-initiator": "user",
			"openai-intent": "conversation-edits",
		});
		expect(request.headers["copilot-vision-request"]).toBeUndefined();
	});

	test("openai-completions: a follow-up after a tool result with an image is agent-initiated and flagged", async () => {
		const { request } = await send(copilotModel("kimi-k3"), afterToolResult);
		expect(request.headers).toMatchObject({
			"x-initiator": "agent",
			"openai-intent": "conversation-edits",
			"copilot-vision-request": "true",
		});
	});

	test("openai-responses (gpt-6.1-sol, pi's default Copilot model): same headers on /responses", async () => {
		const { message, request } = await send(copilotModel("gpt-6.1-sol"), userTurn);
		expect(message.stopReason).toBe("stop");
		expect(request.path).toBe("/responses");
		expect(request.headers).toMatchObject({
			...STATIC_HEADERS,
			authorization: `Bearer ${COPILOT_TOKEN}`,
			"x-initiator": "user",
			"openai-intent": "conversation-edits",
		});
	});

	test("anthropic-messages (Claude via Copilot): bearer token, no x-api-key, no Claude Code identity", async () => {
		const { message, request } = await send(copilotModel("claude-sonnet-4.6"), {
			...userTurn,
			messages: [{ role: "user", content: [{ type: "image", data: PNG, mimeType: "image/png" }], timestamp: 1 }],
		});
		expect(message.stopReason).toBe("stop");
		expect(request.path).toBe("/v1/messages");
		expect(request.headers).toMatchObject({
			...STATIC_HEADERS,
			authorization: `Bearer ${COPILOT_TOKEN}`,
			"x-initiator": "user",
			"openai-intent": "conversation-edits",
			"copilot-vision-request": "true",
		});
		expect(request.headers["x-api-key"]).toBeUndefined();
		expect(request.headers["x-app"]).toBeUndefined();
		expect(request.headers["anthropic-beta"] ?? "").not.toContain("oauth");
	});

	test("headers the caller passes still win over the dynamic ones", async () => {
		const before = server.requests.length;
		await streamAssistant(copilotModel("kimi-k3"), userTurn, {
			apiKey: COPILOT_TOKEN,
			headers: { "X-Initiator": "agent" },
		}).result();
		expect(server.requests[before]?.headers["x-initiator"]).toBe("agent");
	});

	test("other providers get none of them", async () => {
		const { request } = await send({ ...copilotModel("kimi-k3"), provider: "openai", headers: undefined }, userTurn);
		expect(request.headers["x-initiator"]).toBeUndefined();
		expect(request.headers["openai-intent"]).toBeUndefined();
	});
});

describe("the Copilot base URL follows the login (pi's modifyModels)", () => {
	function registryWith(auth: Record<string, unknown>): ModelRegistry {
		const dir = mkdtempSync(join(tmpdir(), "pi-copilot-"));
		writeFileSync(join(dir, "auth.json"), JSON.stringify(auth));
		return new ModelRegistry(new AuthStorage(join(dir, "auth.json")), join(dir, "models.json"));
	}
	const copilotUrls = (registry: ModelRegistry) =>
		new Set(
			registry
				.getAll()
				.filter((m) => m.provider === "github-copilot")
				.map((m) => m.baseUrl),
		);

	test("not logged in: the catalog's individual endpoint", () => {
		expect(copilotUrls(registryWith({}))).toEqual(new Set(["https://api.individual.githubcopilot.com"]));
	});

	test("the token's proxy-ep names the host (business account)", () => {
		const registry = registryWith({
			"github-copilot": { type: "oauth", refresh: "gho_x", access: COPILOT_TOKEN, expires: Date.now() + 60_000 },
		});
		expect(copilotUrls(registry)).toEqual(new Set(["https://api.business.githubcopilot.com"]));
		// Other providers are untouched.
		expect(registry.find("openai", "gpt-4o")?.baseUrl).toBe("https://api.openai.com/v1");
	});

	test("an enterprise login without proxy-ep in the token uses copilot-api.<domain>", () => {
		const registry = registryWith({
			"github-copilot": {
				type: "oauth",
				refresh: "ghu_x",
				access: "tid=1;exp=2",
				expires: Date.now() + 60_000,
				enterpriseUrl: "https://company.ghe.com/",
			},
		});
		expect(copilotUrls(registry)).toEqual(new Set(["https://copilot-api.company.ghe.com"]));
	});

	test("an API key stored for github-copilot changes nothing", () => {
		const registry = registryWith({ "github-copilot": { type: "api_key", key: "ghp_x" } });
		expect(copilotUrls(registry)).toEqual(new Set(["https://api.individual.githubcopilot.com"]));
	});
});
