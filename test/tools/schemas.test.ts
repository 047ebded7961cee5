import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import * as v from "valibot";
import {
	BUILTIN_TOOL_NAMES,
	createBuiltinTools,
	DEFAULT_TOOL_NAMES,
	TOOL_PROMPT_SNIPPETS,
} from "../../src/tools/registry.ts";
import { tempDir } from "./helpers.ts";

const WIRE = "/work/shared/reference/pi-0.73.1-wire";

const capturedTool = v.object({
	name: v.string(),
	description: v.string(),
	input_schema: v.record(v.string(), v.unknown()),
});
const openAiTool = v.object({
	type: v.literal("function"),
	function: v.object({ name: v.string(), description: v.string(), parameters: v.record(v.string(), v.unknown()) }),
});
const request = <TTool extends v.GenericSchema>(tools: TTool) =>
	v.object({ body: v.object({ tools: v.array(tools), system: v.optional(v.unknown()) }) });

function firstRequest(file: string): unknown {
	const line = readFileSync(`${WIRE}/${file}`, "utf-8").split("\n")[0] ?? "";
	return JSON.parse(line);
}

describe("tool specs match pi 0.73.1's requests", () => {
	const tools = new Map(createBuiltinTools(tempDir()));

	test("registry names and default set", () => {
		expect([...tools.keys()]).toEqual([...BUILTIN_TOOL_NAMES]);
		expect(DEFAULT_TOOL_NAMES).toEqual(["read", "bash", "edit", "write"]);
	});

	test("parameters are byte-identical to the openai-completions capture (TypeBox key order)", () => {
		const captured = v.parse(request(openAiTool), firstRequest("tool_loop.openai-completions.requests.jsonl"));
		expect(captured.body.tools.map((t) => t.function.name)).toEqual([...DEFAULT_TOOL_NAMES]);
		for (const wire of captured.body.tools) {
			const ours = tools.get(wire.function.name);
			expect(ours).toBeDefined();
			expect(JSON.stringify(ours?.parameters)).toBe(JSON.stringify(wire.function.parameters));
			expect(ours?.description).toBe(wire.function.description);
		}
	});

	test("descriptions and schemas match the anthropic capture", () => {
		const captured = v.parse(request(capturedTool), firstRequest("tool_loop.anthropic-messages.requests.jsonl"));
		for (const wire of captured.body.tools) {
			const ours = tools.get(wire.name);
			expect(ours?.description).toBe(wire.description);
			// The anthropic provider rebuilds input_schema from type/properties/required only.
			expect(ours?.parameters.properties).toEqual(wire.input_schema.properties);
			expect(ours?.parameters.required).toEqual(wire.input_schema.required);
		}
	});

	test("prompt snippets appear verbatim in the captured system prompt", () => {
		const raw = JSON.stringify(firstRequest("tool_loop.anthropic-messages.requests.jsonl"));
		for (const name of DEFAULT_TOOL_NAMES) {
			expect(raw).toContain(JSON.stringify(`- ${name}: ${TOOL_PROMPT_SNIPPETS[name]}`).slice(1, -1));
		}
	});

	test("grep/find/ls schemas follow pi's dist", () => {
		expect(JSON.stringify(tools.get("ls")?.parameters)).toBe(
			'{"type":"object","properties":{"path":{"type":"string","description":"Directory to list (default: current directory)"},"limit":{"type":"number","description":"Maximum number of entries to return (default: 500)"}}}',
		);
		expect(tools.get("grep")?.description).toBe(
			"Search file contents for a pattern. Returns matching lines with file paths and line numbers. Respects .gitignore. Output is truncated to 100 matches or 50KB (whichever is hit first). Long lines are truncated to 500 chars.",
		);
		expect(JSON.stringify(tools.get("find")?.parameters)).toStartWith(
			'{"type":"object","required":["pattern"],"properties":',
		);
	});
});

describe("argument validation", () => {
	const tools = new Map(createBuiltinTools(tempDir()));

	test("missing required property uses pi's wording", () => {
		expect(() => tools.get("read")?.parseArgs({ offset: 3 })).toThrow(
			'Validation failed for tool "read":\n  - path: must have required properties path\n\nReceived arguments:\n{\n  "offset": 3\n}',
		);
	});

	test("wrong type is reported with its path", () => {
		expect(() => tools.get("bash")?.parseArgs({ command: ["ls"] })).toThrow("  - command: must be string");
		expect(() => tools.get("edit")?.parseArgs({ path: "a", edits: [{ oldText: "x" }] })).toThrow(
			"  - edits.0.newText: must have required properties newText",
		);
	});

	test("scalars are coerced like AJV coerceTypes", () => {
		expect(tools.get("read")?.parseArgs({ path: "a", offset: "5", limit: 2 })).toEqual({
			path: "a",
			offset: 5,
			limit: 2,
		});
		expect(tools.get("grep")?.parseArgs({ pattern: 5, ignoreCase: "true" })).toEqual({
			pattern: "5",
			ignoreCase: true,
		});
		expect(() => tools.get("read")?.parseArgs({ path: "a", offset: "five" })).toThrow("  - offset: must be number");
	});

	test("conversions as pi 0.73.1's validator (TypeBox Value.Convert) makes them", () => {
		const grep = tools.get("grep");
		expect(grep?.parseArgs({ pattern: "x", limit: "", ignoreCase: "TRUE" })).toEqual({
			pattern: "x",
			limit: 0,
			ignoreCase: true,
		});
		expect(tools.get("ls")?.parseArgs({ path: null })).toEqual({ path: "null" });
		// A single edit where a list belongs is a list of one; a scalar there fails on its item.
		expect(tools.get("edit")?.parseArgs({ path: "a", edits: { oldText: "a", newText: "b" } })).toEqual({
			path: "a",
			edits: [{ oldText: "a", newText: "b" }],
		});
		expect(() => tools.get("edit")?.parseArgs({ path: "a", edits: 5 })).toThrow("  - edits.0: must be object");
	});

	test("edit accepts edits as a JSON string and the legacy oldText/newText pair", () => {
		const edit = tools.get("edit");
		expect(edit?.parseArgs({ path: "f", edits: '[{"oldText":"a","newText":"b"}]' })).toEqual({
			path: "f",
			edits: [{ oldText: "a", newText: "b" }],
		});
		expect(edit?.parseArgs({ path: "f", oldText: "a", newText: "b" })).toEqual({
			path: "f",
			edits: [{ oldText: "a", newText: "b" }],
		});
		expect(() => edit?.parseArgs({ path: "f", edits: [{ oldText: "a", newText: "b", extra: 1 }] })).toThrow(
			'Validation failed for tool "edit"',
		);
	});
});
