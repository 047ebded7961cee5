import { describe, expect, test } from "bun:test";
import { serializeEvent } from "../../src/modes/output.ts";
import { readJsonLines } from "../../src/modes/rpc/rpc-mode.ts";

describe("serializeEvent", () => {
	const partial = {
		role: "assistant",
		content: [
			{ type: "text", text: 'he said "hi"\u2028' },
			{ type: "toolCall", id: "call_1", name: "read", arguments: {} },
		],
		usage: { input: 3, output: 1 },
		stopReason: "stop",
	};

	test("message_update is delta-only: the message's usage and the event without its partial (pi 1.6.0)", () => {
		const event = {
			type: "message_update",
			message: partial,
			assistantMessageEvent: { type: "text_delta", contentIndex: 0, delta: "hi", partial },
		};
		expect(serializeEvent(event)).toBe(
			'{"type":"message_update","usage":{"input":3,"output":1},"assistantMessageEvent":{"type":"text_delta","contentIndex":0,"delta":"hi"}}\n',
		);
	});

	test("toolcall_start names the call's id and tool", () => {
		const event = {
			type: "message_update",
			message: partial,
			assistantMessageEvent: { type: "toolcall_start", contentIndex: 1, partial },
		};
		expect(JSON.parse(serializeEvent(event)).assistantMessageEvent).toEqual({
			type: "toolcall_start",
			contentIndex: 1,
			id: "call_1",
			toolName: "read",
		});
	});

	test("other events are JSON.stringify", () => {
		expect(serializeEvent({ type: "agent_start" })).toBe('{"type":"agent_start"}\n');
		const end = { type: "message_end", message: partial };
		expect(serializeEvent(end)).toBe(`${JSON.stringify(end)}\n`);
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
