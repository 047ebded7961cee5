/**
 * Cloudflare Workers AI and AI Gateway on the wire (pi 1.6.0): the catalog's endpoint templates are filled with
 * the account and gateway ids (stored settings win over the environment), Workers AI takes the API token as
 * bearer, and the AI Gateway takes it as cf-aig-authorization with no upstream key at all.
 */
import { afterEach, describe, expect, test } from "bun:test";
import { getBuiltInModels } from "../../../src/ai/models.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { Model } from "../../../src/ai/types.ts";
import { useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();

afterEach(() => {
	delete process.env.CLOUDFLARE_ACCOUNT_ID;
	delete process.env.CLOUDFLARE_GATEWAY_ID;
});

/** A catalog model whose Cloudflare host is swapped for the test server; the path template stays as shipped. */
function cloudflareModel(provider: string, id: string): Model {
	const model = getBuiltInModels().find((m) => m.provider === provider && m.id === id);
	if (!model) throw new Error(`no ${provider}/${id} in the catalog`);
	expect(model.baseUrl).toContain("{CLOUDFLARE_ACCOUNT_ID}");
	return { ...model, baseUrl: model.baseUrl.replace(/^https:\/\/[^/]+/, server.url) };
}

describe("Cloudflare Workers AI", () => {
	test("account id from the environment goes into the path; the token is the bearer", async () => {
		process.env.CLOUDFLARE_ACCOUNT_ID = "acct-1";
		server.enqueue({ text: "hi from workers" });
		const model = cloudflareModel("cloudflare-workers-ai", "@cf/moonshotai/kimi-k2.7-code");
		const message = await streamAssistant(model, userContext("hi"), { apiKey: "cf-token" }).result();
		expect(message.errorMessage).toBeUndefined();
		expect(message.content).toEqual([{ type: "text", text: "hi from workers" }]);
		const request = server.lastRequest();
		expect(request.path).toBe("/client/v4/accounts/acct-1/ai/v1/chat/completions");
		expect(request.headers.authorization).toBe("Bearer cf-token");
		expect(request.body).toMatchObject({ model: "@cf/moonshotai/kimi-k2.7-code", stream: true });
	});

	test("a stored account id wins over the environment; a missing one is an error naming the variable", async () => {
		process.env.CLOUDFLARE_ACCOUNT_ID = "from-env";
		server.enqueue({ text: "ok" });
		const model = cloudflareModel("cloudflare-workers-ai", "@cf/moonshotai/kimi-k2.7-code");
		await streamAssistant(model, userContext("hi"), { apiKey: "t", env: { CLOUDFLARE_ACCOUNT_ID: "stored" } }).result();
		expect(server.lastRequest().path).toBe("/client/v4/accounts/stored/ai/v1/chat/completions");
		delete process.env.CLOUDFLARE_ACCOUNT_ID;
		const before = server.requests.length;
		const failed = await streamAssistant(model, userContext("hi"), { apiKey: "t" }).result();
		expect(failed.stopReason).toBe("error");
		expect(failed.errorMessage).toStartWith("cloudflare-workers-ai needs CLOUDFLARE_ACCOUNT_ID");
		expect(server.requests.length).toBe(before);
	});
});

describe("Cloudflare AI Gateway", () => {
	const cases = [
		["workers-ai/@cf/moonshotai/kimi-k2.7-code", "/v1/acct-2/gw-9/compat/chat/completions"],
		["claude-fable-5", "/v1/acct-2/gw-9/anthropic/v1/messages"],
		["gpt-4.1", "/v1/acct-2/gw-9/openai/responses"],
	] as const;
	test.each(cases)("%s: gateway path, cf-aig-authorization and no upstream key", async (id, path) => {
		process.env.CLOUDFLARE_ACCOUNT_ID = "acct-2";
		process.env.CLOUDFLARE_GATEWAY_ID = "gw-9";
		server.enqueue({ text: "through the gateway" });
		const model = cloudflareModel("cloudflare-ai-gateway", id);
		const message = await streamAssistant(model, userContext("hi"), { apiKey: "cf-gw-token" }).result();
		expect(message.errorMessage).toBeUndefined();
		expect(message.content).toMatchObject([{ type: "text", text: "through the gateway" }]);
		const request = server.lastRequest();
		expect(request.path).toBe(path);
		expect(request.headers["cf-aig-authorization"]).toBe("Bearer cf-gw-token");
		expect(request.headers.authorization).toBeUndefined();
		expect(request.headers["x-api-key"]).toBeUndefined();
	});
});
