import { describe, expect, test } from "bun:test";
import { spawnLlmServer, startLlmServer } from "../../support/llm-server.ts";

describe("fake LLM server", () => {
	test("standalone mode serves scripted turns and records requests for another process", async () => {
		const server = await spawnLlmServer([{ text: "from the script" }, { kind: "http-error", status: 503 }]);
		try {
			expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			const first = await fetch(`${server.url}/v1/chat/completions`, {
				method: "POST",
				headers: { "content-type": "application/json", authorization: "Bearer t" },
				body: JSON.stringify({ model: "m", messages: [], stream: true }),
			});
			const text = await first.text();
			expect(text).toContain('"content":"from the"');
			expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
			const second = await fetch(`${server.url}/v1/messages`, { method: "POST", body: "{}" });
			expect(second.status).toBe(503);
			expect(await second.json()).toMatchObject({ type: "error", error: { type: "api_error" } });
			const recorded = server.requests();
			expect(recorded.map((r) => r.api)).toEqual(["openai-completions", "anthropic-messages"]);
			expect(recorded[0]?.headers.authorization).toBe("Bearer t");
			expect(recorded[0]?.body).toMatchObject({ model: "m" });
		} finally {
			await server.close();
		}
	});

	test("an empty queue answers ok; unknown paths are 404", async () => {
		const server = await startLlmServer();
		try {
			const reply = await fetch(`${server.url}/v1beta/models/x:streamGenerateContent?alt=sse`, {
				method: "POST",
				body: "{}",
			});
			expect(await reply.text()).toContain('"text":"ok"');
			const missing = await fetch(`${server.url}/nope`, { method: "POST", body: "{}" });
			expect(missing.status).toBe(404);
		} finally {
			await server.close();
		}
	});
});
