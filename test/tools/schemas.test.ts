import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import { toToolDeclaration } from "../../src/ai/transcript.ts";
import {
	BUILTIN_TOOL_NAMES,
	createBuiltinTools,
	DEFAULT_TOOL_NAMES,
	TOOL_PROMPT_SNIPPETS,
} from "../../src/tools/registry.ts";
import { tempDir } from "./helpers.ts";

/** The tools pi 1.6.0 declared with every built-in tool on (test/fixtures/compat/cli/prompt-all-tools.json). */
const DeclaredTool = v.object({
	name: v.string(),
	description: v.string(),
	parameters: v.record(v.string(), v.unknown()),
	constrainedSampling: v.optional(v.unknown()),
});
const Fixture = v.object({
	session: v.array(v.unknown()),
	requests: v.array(v.object({ body: v.looseObject({ messages: v.array(v.unknown()) }) })),
});
const SystemEntry = v.object({
	type: v.literal("message"),
	message: v.object({ role: v.literal("system"), toolsAdded: v.array(DeclaredTool) }),
});

function pi16(): { declared: v.InferOutput<typeof DeclaredTool>[]; request: unknown } {
	const fixture = v.parse(
		Fixture,
		JSON.parse(readFileSync(join(import.meta.dir, "../fixtures/compat/cli/prompt-all-tools.json"), "utf8")),
	);
	const entry = fixture.session.find((candidate) => v.is(SystemEntry, candidate));
	if (!v.is(SystemEntry, entry)) throw new Error("the fixture has no system message");
	return { declared: entry.message.toolsAdded, request: fixture.requests[0] };
}

describe("tool specs match pi 1.6.0's declarations", () => {
	const tools = new Map(createBuiltinTools(tempDir()));

	test("registry names and default set", () => {
		expect([...tools.keys()]).toEqual([...BUILTIN_TOOL_NAMES]);
		expect(DEFAULT_TOOL_NAMES).toEqual(["read", "bash", "edit", "write"]);
	});

	test("names, descriptions, schemas (key order included) and constrained sampling are byte-identical", () => {
		const { declared } = pi16();
		expect(declared.map((tool) => tool.name)).toEqual([...BUILTIN_TOOL_NAMES]);
		for (const theirs of declared) {
			const ours = tools.get(theirs.name);
			if (!ours) throw new Error(`no ${theirs.name} tool`);
			expect(JSON.stringify(toToolDeclaration(ours))).toBe(JSON.stringify(theirs));
		}
	});

	test("prompt snippets appear verbatim in the prompt pi sent", () => {
		const raw = JSON.stringify(pi16().request);
		for (const name of BUILTIN_TOOL_NAMES) {
			expect(raw).toContain(JSON.stringify(`- ${name}: ${TOOL_PROMPT_SNIPPETS[name]}`).slice(1, -1));
		}
	});
});

describe("argument validation", () => {
	const tools = new Map(createBuiltinTools(tempDir()));

	// pi 1.6.0's wording (its pi-schema validator); compared with pi's own validator over more cases by hand.
	test("missing required property uses pi's wording", () => {
		expect(() => tools.get("read")?.parseArgs({ offset: 3 })).toThrow(
			'Validation failed for tool "read":\n  - path: missing\n\nReceived arguments:\n{\n  "offset": 3\n}',
		);
	});

	test("wrong type is reported with its path; missing keys come first", () => {
		expect(() => tools.get("bash")?.parseArgs({ command: ["ls"] })).toThrow("  - command: expected string, got array");
		expect(() => tools.get("edit")?.parseArgs({ path: "a", edits: [{ oldText: "x" }] })).toThrow(
			"  - edits.0.newText: missing",
		);
		expect(() => tools.get("edit")?.parseArgs({ path: [] })).toThrow(
			"  - edits: missing\n  - path: expected string, got array\n",
		);
		expect(() => tools.get("read")?.parseArgs("a.txt")).toThrow("  - root: expected object, got string");
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
		expect(() => tools.get("read")?.parseArgs({ path: "a", offset: "five" })).toThrow(
			"  - offset: expected number, got string",
		);
		// A null for an optional property means "not given" (pi 1.6.0).
		expect(tools.get("read")?.parseArgs({ path: "a", offset: null })).toEqual({ path: "a" });
	});

	test("conversions as pi's validator (TypeBox Value.Convert's rules) makes them", () => {
		const grep = tools.get("grep");
		expect(grep?.parseArgs({ pattern: "x", limit: "", ignoreCase: "TRUE" })).toEqual({
			pattern: "x",
			limit: 0,
			ignoreCase: true,
		});
		expect(tools.get("ls")?.parseArgs({ path: null })).toEqual({});
		expect(tools.get("write")?.parseArgs({ path: null, content: "" })).toEqual({ path: "null", content: "" });
		// A single edit where a list belongs is a list of one; a scalar there fails on its item.
		expect(tools.get("edit")?.parseArgs({ path: "a", edits: { oldText: "a", newText: "b" } })).toEqual({
			path: "a",
			edits: [{ oldText: "a", newText: "b" }],
		});
		expect(() => tools.get("edit")?.parseArgs({ path: "a", edits: 5 })).toThrow(
			"  - edits.0: expected object, got integer",
		);
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
		// pi 1.6.0 lets a model add fields of its own to an edit; they are dropped.
		expect(edit?.parseArgs({ path: "f", edits: [{ oldText: "a", newText: "b", extra: 1 }] })).toEqual({
			path: "f",
			edits: [{ oldText: "a", newText: "b" }],
		});
		expect(edit?.parseArgs({ path: "f", edits: '{"oldText":"a","newText":"b"}' })).toEqual({
			path: "f",
			edits: [{ oldText: "a", newText: "b" }],
		});
	});
});
