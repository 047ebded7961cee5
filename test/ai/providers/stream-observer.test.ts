/**
 * The provider hooks at the stream level, for each wire protocol against the fake LLM server: `onProviderStreamEvent`
 * sees every parsed event in order before it is normalized (extensions' provider_stream_event), `onResponse` the
 * response's status and headers (after_provider_response), and a `null` header removes one the model would send.
 */
import { describe, expect, test } from "bun:test";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { KnownApi, Model, ProviderResponse } from "../../../src/ai/types.ts";
import { testModel, useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();

const APIS: KnownApi[] = ["anthropic-messages", "openai-completions", "openai-responses", "google-generative-ai"];

describe("provider stream observers", () => {
	for (const api of APIS) {
		test(`${api}: raw events before the answer, the response's status, a removed model header`, async () => {
			server.enqueue({ text: "observed answer" });
			const model = testModel(api, server.url, { headers: { "x-model-only": "m", "x-kept": "k" } });
			const events: unknown[] = [];
			const models: Model[] = [];
			const responses: ProviderResponse[] = [];
			const message = await streamAssistant(model, userContext("hi"), {
				apiKey: "k",
				headers: { "X-Model-Only": null },
				onProviderStreamEvent: async (data, eventModel) => {
					events.push(data);
					models.push(eventModel);
				},
				onResponse: (response) => {
					responses.push(response);
				},
			}).result();
			expect(message.stopReason).toBe("stop");
			expect(events.length).toBeGreaterThan(1);
			expect(events.every((event) => typeof event === "object" && event !== null)).toBe(true);
			expect(models.every((eventModel) => eventModel.id === "mock-model")).toBe(true);
			expect(JSON.stringify(events)).toContain("observed answer".slice(0, 4));
			expect(responses.map((response) => response.status)).toEqual([200]);
			expect(responses[0]?.headers["content-type"]).toContain("event-stream");
			const headers = server.lastRequest().headers;
			expect(headers["x-kept"]).toBe("k");
			expect(headers["x-model-only"]).toBeUndefined();
		});
	}
});
