/**
 * Tools on the Responses API as pi 1.6.0 sends them: strict schemas for tools that ask for strict sampling, grammar
 * tools as custom tools (whose calls stream their input text), tool changes in place (additional_tools items with
 * pi's notices, or client tool-search results), and system messages sent mid-conversation.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { strictSamplingFor, toolParameters } from "../../../src/ai/providers/constrained-sampling.ts";
import { convertResponsesInput, convertResponsesTools } from "../../../src/ai/providers/responses-input.ts";
import { streamAssistant } from "../../../src/ai/stream.ts";
import { toProviderContext } from "../../../src/ai/transcript.ts";
import type { AssistantMessage, Message, SystemMessage, Tool } from "../../../src/ai/types.ts";
import { emptyUsage } from "../../../src/ai/types.ts";
import { testModel } from "./helpers.ts";

const readTool: Tool = {
	name: "read",
	description: "Read a file",
	parameters: {
		type: "object",
		required: ["path"],
		properties: { path: { type: "string" }, limit: { type: "number", description: "Lines" } },
	},
	constrainedSampling: { type: "json_schema", strict: "prefer" },
};

describe("strict schemas", () => {
	test("optional properties become nullable, every property is required, no extra properties", () => {
		expect(strictSamplingFor(readTool, true)).toBe(true);
		expect(toolParameters(readTool, true)).toEqual({
			type: "object",
			required: ["path", "limit"],
			properties: {
				path: { type: "string" },
				limit: { anyOf: [{ type: "number", description: "Lines" }, { type: "null" }] },
			},
			additionalProperties: false,
		});
		// The tool's own schema is left as it was.
		expect(readTool.parameters.required).toEqual(["path"]);
	});

	test("nested objects and arrays are converted; what strict mode cannot express is sent as it is, or refused", () => {
		const nested: Tool = {
			name: "edit",
			description: "",
			parameters: {
				type: "object",
				required: ["edits"],
				properties: {
					edits: {
						type: "array",
						items: { type: "object", required: ["a"], properties: { a: { type: "string" }, b: { type: "string" } } },
					},
				},
			},
			constrainedSampling: { type: "json_schema", strict: "prefer" },
		};
		expect(toolParameters(nested, true)).toEqual({
			type: "object",
			required: ["edits"],
			properties: {
				edits: {
					type: "array",
					items: {
						type: "object",
						required: ["a", "b"],
						properties: { a: { type: "string" }, b: { anyOf: [{ type: "string" }, { type: "null" }] } },
						additionalProperties: false,
					},
				},
			},
			additionalProperties: false,
		});
		const untyped: Tool = { ...readTool, parameters: { type: "object", properties: { x: {} } } };
		expect(strictSamplingFor(untyped, true)).toBeUndefined();
		expect(() =>
			strictSamplingFor({ ...untyped, constrainedSampling: { type: "json_schema", strict: "require" } }, true),
		).toThrow('Tool "read" requires JSON-schema constrained sampling, but schemas without a type are unsupported.');
		expect(strictSamplingFor(readTool, false)).toBeUndefined();
		// A tool that does not ask is never strict.
		expect(strictSamplingFor({ ...readTool, constrainedSampling: undefined }, true)).toBeUndefined();
	});

	test("Responses tools: strict where the backend takes the field; `strict` left out where it does not", () => {
		const plain: Tool = { name: "ls", description: "List", parameters: { type: "object", properties: {} } };
		expect(convertResponsesTools([readTool, plain], { supportsStrictMode: true })).toEqual([
			{
				type: "function",
				name: "read",
				description: "Read a file",
				parameters: toolParameters(readTool, true),
				strict: true,
			},
			{ type: "function", name: "ls", description: "List", parameters: plain.parameters, strict: false },
		]);
		const withoutStrict: unknown = convertResponsesTools([readTool], { supportsStrictMode: false });
		expect(withoutStrict).toEqual([
			{ type: "function", name: "read", description: "Read a file", parameters: readTool.parameters },
		]);
	});
});

const grammarTool: Tool = {
	name: "apply",
	description: "Apply a patch",
	parameters: { type: "object", required: ["patch"], properties: { patch: { type: "string" } } },
	constrainedSampling: { type: "grammar", variants: { openai_lark: 'start: "*** Begin" /[^*]*/ "*** End"' } },
};

/** A Responses server answering every request with `events` (SSE) and recording the bodies. */
function scriptedResponsesServer(events: object[]) {
	const bodies: unknown[] = [];
	const server = Bun.serve({
		port: 0,
		hostname: "127.0.0.1",
		async fetch(request) {
			bodies.push(await request.json());
			const sse = events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join("");
			return new Response(sse, { headers: { "content-type": "text/event-stream" } });
		},
	});
	return { url: `http://127.0.0.1:${server.port}/v1`, bodies, close: () => server.stop(true) };
}

describe("grammar tools (OpenAI custom tools)", () => {
	const patch = '*** Begin\nsay "hi"\n*** End';
	const events = [
		{ type: "response.created", sequence_number: 0, response: { id: "resp_c" } },
		{
			type: "response.output_item.added",
			sequence_number: 1,
			output_index: 0,
			item: { type: "custom_tool_call", id: "ctc_1", call_id: "call_c", name: "apply", input: "" },
		},
		{
			type: "response.custom_tool_call_input.delta",
			sequence_number: 2,
			output_index: 0,
			item_id: "ctc_1",
			delta: "*** Begin\n",
		},
		{
			type: "response.custom_tool_call_input.delta",
			sequence_number: 3,
			output_index: 0,
			item_id: "ctc_1",
			delta: 'say "hi"\n',
		},
		{
			type: "response.custom_tool_call_input.done",
			sequence_number: 4,
			output_index: 0,
			item_id: "ctc_1",
			input: patch,
		},
		{
			type: "response.output_item.done",
			sequence_number: 5,
			output_index: 0,
			item: { type: "custom_tool_call", id: "ctc_1", call_id: "call_c", name: "apply", input: patch },
		},
		{
			type: "response.completed",
			sequence_number: 6,
			response: { id: "resp_c", status: "completed", usage: { input_tokens: 5, output_tokens: 3, total_tokens: 8 } },
		},
	];
	let server: ReturnType<typeof scriptedResponsesServer>;
	beforeAll(() => {
		server = scriptedResponsesServer(events);
	});
	afterAll(() => server.close());

	test("declared as a custom tool; the call streams its input, stored as the tool's one argument; replayed as custom items", async () => {
		const model = testModel("openai-responses", "", {
			baseUrl: server.url,
			compat: { supportsOpenAIGrammarTools: true, supportsStrictMode: true },
		});
		const context = {
			systemPrompt: "s",
			messages: [{ role: "user" as const, content: "patch it", timestamp: 1 }],
			tools: [grammarTool],
		};
		const deltas: string[] = [];
		const stream = streamAssistant(model, context, { apiKey: "sk-1" });
		for await (const event of stream) if (event.type === "toolcall_delta") deltas.push(event.delta);
		const answer = await stream.result();
		expect(answer.errorMessage).toBeUndefined();
		expect(answer.stopReason).toBe("toolUse");
		expect(answer.content).toEqual([{ type: "toolCall", id: "call_c|ctc_1", name: "apply", arguments: { patch } }]);
		// The deltas are the JSON text of those arguments, piece by piece.
		expect(deltas.join("")).toBe(JSON.stringify({ patch }));
		expect(server.bodies.at(-1)).toMatchObject({
			tools: [
				{
					type: "custom",
					name: "apply",
					description: "Apply a patch",
					format: { type: "grammar", syntax: "lark", definition: 'start: "*** Begin" /[^*]*/ "*** End"' },
				},
			],
		});

		const result: Message = {
			role: "toolResult",
			toolCallId: "call_c|ctc_1",
			toolName: "apply",
			content: [{ type: "text", text: "applied" }],
			isError: false,
			timestamp: 3,
		};
		await streamAssistant(
			model,
			{ ...context, messages: [...context.messages, answer, result] },
			{ apiKey: "sk-1" },
		).result();
		expect(server.bodies.at(-1)).toMatchObject({
			input: [
				{ role: "system", content: "s" },
				{ role: "user" },
				{ type: "custom_tool_call", id: "ctc_1", call_id: "call_c", name: "apply", input: patch },
				{ type: "custom_tool_call_output", call_id: "call_c", output: "applied" },
			],
		});
	});

	test("on a model without grammar tools it is an ordinary function tool", () => {
		const tools: unknown = convertResponsesTools([grammarTool], {
			supportsGrammarTools: false,
			supportsStrictMode: false,
		});
		expect(tools).toEqual([
			{ type: "function", name: "apply", description: "Apply a patch", parameters: grammarTool.parameters },
		]);
	});
});

describe("tool changes and system messages mid-conversation", () => {
	const lsTool: Tool = { name: "ls", description: "List", parameters: { type: "object", properties: {} } };
	const grepTool: Tool = { name: "grep", description: "Search", parameters: { type: "object", properties: {} } };
	const answer = (text: string, timestamp: number): AssistantMessage => ({
		role: "assistant",
		content: [{ type: "text", text }],
		api: "openai-responses",
		provider: "openai",
		model: "m",
		usage: emptyUsage(),
		stopReason: "stop",
		timestamp,
	});
	const transcript: (Message | SystemMessage)[] = [
		{ role: "system", content: "Base prompt.", toolsAdded: [lsTool, grepTool], timestamp: 0 },
		{ role: "user", content: "one", timestamp: 1 },
		answer("A", 2),
		{
			role: "system",
			content: "",
			sections: { cwd: "/new" },
			toolsAdded: [readTool],
			toolsRemoved: [{ name: "grep" }],
			timestamp: 3,
		},
		{ role: "user", content: "two", timestamp: 4 },
	];
	const types = (items: readonly object[]) =>
		items.map((item) => String(Reflect.get(item, "type") ?? Reflect.get(item, "role")));

	test("additional_tools: every tool declared in place, removals announced, later batches preceded by pi's notice", () => {
		const model = testModel("openai-responses", "http://x", {
			compat: { supportsMidConvoSystemMessages: true, supportsAdditionalTools: true },
		});
		const input = convertResponsesInput(model, transcript, {
			toolCallProviders: new Set(["openai"]),
			supportsMidConvoSystemMessages: true,
			supportsAdditionalTools: true,
		});
		expect(types(input)).toEqual([
			"additional_tools",
			"system",
			"user",
			"message",
			"system",
			"additional_tools",
			"system",
			"user",
		]);
		expect(input[4]).toEqual({
			role: "system",
			content:
				"This is an incremental tools update. Previously declared tools remain available unless explicitly marked unavailable. A tool declared again here is available again, and its latest definition replaces the earlier one.",
		});
		expect(input[6]).toEqual({
			role: "system",
			content:
				'Updated system prompt section "cwd":\n\n/new\n\nThe following tools are no longer available. Do not call them:\n- grep',
		});
		// Without those capabilities the same transcript is collapsed: one prompt, the tools at the top.
		const plain = testModel("openai-responses", "http://x");
		const collapsed = toProviderContext({ messages: transcript });
		expect(collapsed.systemPrompt).toBe("Base prompt.\n\n/new");
		expect(collapsed.tools?.map((tool) => tool.name)).toEqual(["ls", "read"]);
		expect(
			types(
				convertResponsesInput(
					plain,
					transcript.filter((m) => m.role !== "system"),
					{ toolCallProviders: new Set() },
				),
			),
		).toEqual(["user", "message", "user"]);
	});

	test("tool search: later additions arrive as a client tool-search call and its deferred result", () => {
		const model = testModel("openai-responses", "http://x", { compat: { supportsToolSearch: true } });
		const additions: (Message | SystemMessage)[] = [
			{ role: "system", content: "P", toolsAdded: [lsTool], timestamp: 0 },
			{ role: "user", content: "one", timestamp: 1 },
			{ role: "system", content: "", toolsAdded: [grepTool], timestamp: 2 },
			{ role: "user", content: "two", timestamp: 3 },
		];
		const input = convertResponsesInput(model, additions, {
			toolCallProviders: new Set(),
			supportsToolSearch: true,
			supportsMidConvoSystemMessages: true,
		});
		expect(types(input)).toEqual(["system", "user", "tool_search_call", "tool_search_output", "user"]);
		expect(input[2]).toMatchObject({
			execution: "client",
			status: "completed",
			arguments: { query: "grep", limit: 1 },
		});
		expect(input[3]).toMatchObject({ tools: [{ type: "function", name: "grep", defer_loading: true }] });
		expect(Reflect.get(input[2] ?? {}, "call_id")).toBe(Reflect.get(input[3] ?? {}, "call_id"));
	});

	test("a system message arriving while tool calls await their results is sent after the results", () => {
		const model = testModel("openai-responses", "http://x", { compat: { supportsMidConvoSystemMessages: true } });
		const call: AssistantMessage = {
			...answer("", 2),
			content: [{ type: "toolCall", id: "call_1|fc_1", name: "ls", arguments: {} }],
			stopReason: "toolUse",
		};
		const input = convertResponsesInput(
			model,
			[
				{ role: "user", content: "go", timestamp: 1 },
				call,
				{ role: "system", content: "Now in /x.", timestamp: 3 },
				{ role: "toolResult", toolCallId: "call_1|fc_1", toolName: "ls", content: [], isError: false, timestamp: 4 },
			],
			{ toolCallProviders: new Set(["openai"]), supportsMidConvoSystemMessages: true },
		);
		expect(types(input)).toEqual(["user", "function_call", "function_call_output", "system"]);
		expect(input[2]).toEqual({ type: "function_call_output", call_id: "call_1", output: "(no tool output)" });
	});
});
