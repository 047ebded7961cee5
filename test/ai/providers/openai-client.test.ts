import { describe, expect, test } from "bun:test";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessageEvent, ProviderResponse, StreamOptions } from "../../../src/ai/types.ts";
import { testModel, useLlmServer, userContext } from "./helpers.ts";

const server = useLlmServer();

/** Options alike but for the callback that sees each HTTP response: the request it belongs to must get it. */
function optionsSeeing(responses: ProviderResponse[], extra: Partial<StreamOptions> = {}): StreamOptions {
	return { apiKey: "k", maxRetries: 0, onResponse: (response) => void responses.push(response), ...extra };
}

describe("the kept OpenAI clients (openai-client.ts)", () => {
	test("each request goes through its own run, sequentially, at the same time and after an abort", async () => {
		const model = testModel("openai-completions", server.url);
		// Sequentially: the second request gets the first one's client back, with its own fetch.
		const first: ProviderResponse[] = [];
		const second: ProviderResponse[] = [];
		server.enqueue({ text: "one" }, { text: "two" });
		expect((await streamAssistant(model, userContext("a"), optionsSeeing(first)).result()).stopReason).toBe("stop");
		expect((await streamAssistant(model, userContext("b"), optionsSeeing(second)).result()).stopReason).toBe("stop");
		expect([first.length, second.length]).toEqual([1, 1]);

		// At the same time: one held mid-answer while another with the same options runs and ends.
		let release = () => {};
		const held: ProviderResponse[] = [];
		const during: ProviderResponse[] = [];
		server.enqueue(
			{ text: "word ".repeat(20), holdHalfwayUntil: new Promise<void>((resolve) => (release = resolve)) },
			{ text: "meanwhile" },
		);
		const heldStream = streamAssistant(model, userContext("c"), optionsSeeing(held));
		const halfway = (async () => {
			for await (const event of heldStream) if (event.type === "text_delta") return event;
			return undefined;
		})();
		expect((await halfway)?.type).toBe("text_delta");
		const meanwhile = await streamAssistant(model, userContext("d"), optionsSeeing(during)).result();
		expect(meanwhile.content).toEqual([{ type: "text", text: "meanwhile" }]);
		release();
		expect((await heldStream.result()).stopReason).toBe("stop");
		expect([held.length, during.length]).toEqual([1, 1]);

		// Aborted mid-answer: the client goes back and serves the next request.
		const controller = new AbortController();
		server.enqueue({ text: "word ".repeat(20), holdHalfwayUntil: new Promise(() => {}) }, { text: "after" });
		const aborted = streamAssistant(model, userContext("e"), optionsSeeing([], { signal: controller.signal }));
		const events: AssistantMessageEvent[] = [];
		for await (const event of aborted) {
			events.push(event);
			if (event.type === "text_delta") controller.abort();
		}
		expect((await aborted.result()).stopReason).toBe("aborted");
		const after: ProviderResponse[] = [];
		const next = await streamAssistant(model, userContext("f"), optionsSeeing(after)).result();
		expect(next.content).toEqual([{ type: "text", text: "after" }]);
		expect(after.length).toBe(1);
	});

	test("options that differ get a client of their own (the key is in the request)", async () => {
		const model = testModel("openai-completions", server.url);
		server.enqueue({ text: "one" }, { text: "two" });
		await streamAssistant(model, userContext("a"), { apiKey: "first-key", maxRetries: 0 }).result();
		expect(server.lastRequest().headers.authorization).toBe("Bearer first-key");
		await streamAssistant(model, userContext("b"), { apiKey: "second-key", maxRetries: 0 }).result();
		expect(server.lastRequest().headers.authorization).toBe("Bearer second-key");
	});
});
