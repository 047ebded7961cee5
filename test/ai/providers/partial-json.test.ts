import { describe, expect, test } from "bun:test";
import { parsePartialJson, parseStreamingArguments } from "../../../src/ai/partial-json.ts";

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
