import { describe, expect, test } from "bun:test";
import { serializeEvent } from "../../src/modes/output.ts";
import { readJsonLines } from "../../src/modes/rpc/rpc-mode.ts";

describe("serializeEvent", () => {
	const partial = {
		role: "assistant",
		content: [{ type: "text", text: 'he said "hi"\u2028' }],
		stopReason: "stop",
	};

	test("message_update is byte-identical to JSON.stringify", () => {
		for (const inner of [
			{ type: "text_delta", contentIndex: 0, delta: "hi", partial },
			{ type: "start", partial },
		]) {
			const event = { type: "message_update", message: partial, assistantMessageEvent: inner };
			expect(serializeEvent(event)).toBe(`${JSON.stringify(event)}\n`);
		}
	});

	test("other events and non-shared partials fall back to JSON.stringify", () => {
		const copy = structuredClone(partial);
		const event = {
			type: "message_update",
			message: partial,
			assistantMessageEvent: { type: "text_delta", contentIndex: 0, delta: "x", partial: copy },
		};
		expect(serializeEvent(event)).toBe(`${JSON.stringify(event)}\n`);
		expect(serializeEvent({ type: "agent_start" })).toBe('{"type":"agent_start"}\n');
	});
});

describe("readJsonLines", () => {
	function streamOf(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
		const encoder = new TextEncoder();
		return new ReadableStream({
			start(controller) {
				for (const chunk of chunks) controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : chunk);
				controller.close();
			},
		});
	}

	test("splits on LF only, strips CR, joins pieces and multi-byte characters split across chunks", async () => {
		const euro = new TextEncoder().encode("€");
		const lines: string[] = [];
		for await (const line of readJsonLines(
			streamOf(['{"a":"x\u2028y"}\r\n{"b":', "1}\n", euro.slice(0, 1), euro.slice(1), "\n", "tail"]),
		)) {
			lines.push(line);
		}
		expect(lines).toEqual(['{"a":"x\u2028y"}', '{"b":1}', "€", "tail"]);
	});
});
