import { describe, expect, test } from "bun:test";
import { PushAssistantStream } from "../../../src/ai/event-stream.ts";
import { parsePartialJson, parseStreamingArguments, StreamingArguments } from "../../../src/ai/partial-json.ts";
import { MessageBuilder } from "../../../src/ai/providers/message-builder.ts";
import { testModel } from "./helpers.ts";

describe("parsePartialJson", () => {
	test("complete JSON parses exactly", () => {
		expect(parsePartialJson('{"a":[1,2,{"b":null}],"c":"x"}')).toEqual({ a: [1, 2, { b: null }], c: "x" });
	});

	test("every prefix of a document parses to something consistent with the whole", () => {
		const whole = { path: "src/a.ts", edits: [{ oldText: 'he said "hi"\n', newText: "ok\\" }], n: -12.5, flag: true };
		const text = JSON.stringify(whole);
		for (let i = 1; i <= text.length; i++) {
			const value = parseStreamingArguments(text.slice(0, i));
			expect(typeof value).toBe("object");
			if (typeof value.path === "string") expect("src/a.ts".startsWith(value.path)).toBe(true);
		}
		expect(parseStreamingArguments(text)).toEqual(whole);
	});

	test("unterminated string keeps its text; key without value is dropped", () => {
		expect(parsePartialJson('{"path":"src/ma')).toEqual({ path: "src/ma" });
		expect(parsePartialJson('{"path":"a","con')).toEqual({ path: "a" });
		expect(parsePartialJson('{"path":"a","content":')).toEqual({ path: "a" });
	});

	test("escapes, numbers and literals cut mid-way", () => {
		expect(parsePartialJson('{"t":"a\\nb\\u00e9')).toEqual({ t: "a\nbé" });
		expect(parsePartialJson('{"t":"a\\')).toEqual({ t: "a" });
		expect(parsePartialJson('{"n":12.')).toEqual({ n: 12 });
		expect(parsePartialJson('{"n":-')).toEqual({});
		expect(parsePartialJson('{"b":tr')).toEqual({ b: true });
		expect(parsePartialJson("[1,2,[3")).toEqual([1, 2, [3]]);
	});

	test("garbage is undefined and streaming arguments fall back to {}", () => {
		expect(parsePartialJson("nonsense")).toBeUndefined();
		expect(parseStreamingArguments("")).toEqual({});
		expect(parseStreamingArguments("[1,2]")).toEqual({});
		expect(parseStreamingArguments("}{")).toEqual({});
	});
});

describe("huge tool-call arguments stream in linear work", () => {
	/** A `write` call with `size` characters of content (with escapes), as JSON argument text. */
	function writeArguments(size: number): { text: string; content: string } {
		const line = 'say "hi"\tand go\n';
		const content = line.repeat(Math.ceil(size / line.length));
		return { text: JSON.stringify({ path: "big.txt", content }), content };
	}

	test("small arguments are parsed on every delta, as pi shows them", () => {
		const builder = new MessageBuilder(
			testModel("anthropic-messages", "http://127.0.0.1:9"),
			new PushAssistantStream(),
		);
		const index = builder.startToolCall("call_1", "write");
		builder.appendToolArguments(index, '{"path":"a.t');
		expect(builder.toolCall(index)?.arguments).toEqual({ path: "a.t" });
		builder.appendToolArguments(index, 'xt","content":"hel');
		expect(builder.toolCall(index)?.arguments).toEqual({ path: "a.txt", content: "hel" });
	});

	test("512 KB in 256-byte deltas: a handful of re-parses, not one per delta; the final arguments are whole", () => {
		const { text, content } = writeArguments(512 * 1024);
		const builder = new MessageBuilder(
			testModel("anthropic-messages", "http://127.0.0.1:9"),
			new PushAssistantStream(),
		);
		const index = builder.startToolCall("call_1", "write");
		const seen = new Set<unknown>();
		for (let offset = 0; offset < text.length; offset += 256) {
			builder.appendToolArguments(index, text.slice(offset, offset + 256));
			seen.add(builder.toolCall(index)?.arguments);
		}
		// Up to 16 KB every delta (64 parses), then each time the text grew by a quarter (~15 more).
		expect(seen.size).toBeLessThan(100);
		builder.end(index);
		expect(builder.toolCall(index)?.arguments).toEqual({ path: "big.txt", content });
	});

	test("the parsing adds up to a few times the text's length", () => {
		const { text } = writeArguments(2 * 1024 * 1024);
		const streaming = new StreamingArguments();
		for (let offset = 0; offset < text.length; offset += 100) streaming.append(text.slice(offset, offset + 100));
		streaming.complete();
		expect(streaming.parsedChars).toBeLessThan(7 * text.length);
		expect(streaming.value.path).toBe("big.txt");
	});
});

describe("the final arguments are parsed strictly", () => {
	const finish = (text: string) => {
		const builder = new MessageBuilder(
			testModel("anthropic-messages", "http://127.0.0.1:9"),
			new PushAssistantStream(),
		);
		const index = builder.startToolCall("call_1", "write");
		builder.appendToolArguments(index, text);
		builder.end(index);
		return builder.toolCall(index);
	};

	test("cut off or malformed: no arguments, and an error naming the problem with the text received", () => {
		const cut = finish('{"path":"a.txt","content":"half a fi');
		expect(cut?.arguments).toEqual({});
		expect(cut?.argumentsError).toContain('Received arguments:\n{"path":"a.txt","content":"half a fi');
		expect(finish("[1,2]")?.argumentsError).toContain("Tool arguments must be a JSON object");
		expect(finish('{"a":1} trailing')?.argumentsError).toBeDefined();
	});

	test("what models commonly get wrong inside strings is repaired, as pi does", () => {
		// A raw newline and an invalid escape (\d) inside the string.
		const call = finish('{"path":"a.txt","content":"line one\nline two\\d+"}');
		expect(call?.argumentsError).toBeUndefined();
		expect(call?.arguments).toEqual({ path: "a.txt", content: "line one\nline two\\d+" });
		expect(finish("")?.arguments).toEqual({});
		expect(finish("")?.argumentsError).toBeUndefined();
	});
});
