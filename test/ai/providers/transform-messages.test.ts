import { describe, expect, test } from "bun:test";
import { transformMessages } from "../../../src/ai/transform-messages.ts";
import { type AssistantMessage, emptyUsage, type Message, type Model } from "../../../src/ai/types.ts";

const model: Model = {
	id: "target",
	name: "Target",
	api: "anthropic-messages",
	provider: "anthropic",
	baseUrl: "http://127.0.0.1",
	reasoning: true,
	input: ["text", "image"],
	cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
	contextWindow: 1000,
	maxTokens: 100,
};

function assistant(content: AssistantMessage["content"], from: Partial<AssistantMessage> = {}): AssistantMessage {
	return {
		role: "assistant",
		content,
		api: "openai-responses",
		provider: "openai",
		model: "other",
		usage: emptyUsage(),
		stopReason: "stop",
		timestamp: 1,
		...from,
	};
}

const sameModel = { api: model.api, provider: model.provider, model: model.id };

describe("transformMessages", () => {
	test("thinking from another model becomes text; empty thinking is dropped", () => {
		const out = transformMessages(
			[
				assistant([
					{ type: "thinking", thinking: "hmm", thinkingSignature: "sig" },
					{ type: "thinking", thinking: "  " },
					{ type: "thinking", thinking: "secret", redacted: true, thinkingSignature: "x" },
					{ type: "text", text: "answer", textSignature: "t" },
				]),
			],
			model,
		);
		expect(out[0]).toMatchObject({
			content: [
				{ type: "text", text: "hmm" },
				{ type: "text", text: "answer" },
			],
		});
		expect(JSON.stringify(out)).not.toContain("textSignature");
	});

	test("same-model thinking with a signature is kept even when empty", () => {
		const block = { type: "thinking" as const, thinking: "", thinkingSignature: "enc" };
		const out = transformMessages([assistant([block], sameModel)], model);
		expect(out[0]).toMatchObject({ content: [block] });
	});

	test("tool-call ids are normalised and their results follow; thought signatures dropped", () => {
		const messages: Message[] = [
			assistant([{ type: "toolCall", id: "call|fc+1", name: "read", arguments: {}, thoughtSignature: "s" }]),
			{ role: "toolResult", toolCallId: "call|fc+1", toolName: "read", content: [], isError: false, timestamp: 2 },
		];
		const out = transformMessages(messages, model, (id) => id.replace(/[^a-zA-Z0-9_-]/g, "_"));
		expect(out[0]).toMatchObject({ content: [{ id: "call_fc_1" }] });
		expect(JSON.stringify(out[0])).not.toContain("thoughtSignature");
		expect(out[1]).toMatchObject({ toolCallId: "call_fc_1" });
	});

	test("dangling tool calls get a synthetic error result; errored turns are dropped", () => {
		const messages: Message[] = [
			assistant([{ type: "toolCall", id: "a", name: "bash", arguments: {} }]),
			{ role: "user", content: "stop", timestamp: 3 },
			assistant([{ type: "text", text: "partial" }], { stopReason: "error", errorMessage: "boom" }),
			assistant([{ type: "toolCall", id: "b", name: "read", arguments: {} }]),
		];
		const out = transformMessages(messages, model);
		expect(out.map((m) => m.role)).toEqual(["assistant", "toolResult", "user", "assistant", "toolResult"]);
		expect(out[1]).toMatchObject({ toolCallId: "a", toolName: "bash", isError: true });
		expect(out[1]).toMatchObject({ content: [{ type: "text", text: "No result provided" }] });
		expect(out[4]).toMatchObject({ toolCallId: "b" });
	});

	test("images become placeholders for text-only models", () => {
		const image = { type: "image" as const, data: "AAAA", mimeType: "image/png" };
		const out = transformMessages(
			[
				{ role: "user", content: [image, image, { type: "text", text: "what?" }], timestamp: 1 },
				{ role: "toolResult", toolCallId: "x", toolName: "read", content: [image], isError: false, timestamp: 2 },
			],
			{ ...model, input: ["text"] },
		);
		expect(out[0]).toMatchObject({
			content: [
				{ type: "text", text: "(image omitted: model does not support images)" },
				{ type: "text", text: "what?" },
			],
		});
		expect(out[1]).toMatchObject({
			content: [{ type: "text", text: "(tool image omitted: model does not support images)" }],
		});
	});
});
