/**
 * Fidelity against pi 0.73.1's own traffic: each captured request of the tool-loop session is rebuilt from the
 * same conversation and must match the captured body field for field.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import * as v from "valibot";
import { streamAssistant } from "../../../src/ai/stream.ts";
import type { AssistantMessage, KnownApi, Message, Tool, ToolCall } from "../../../src/ai/types.ts";
import { emptyUsage } from "../../../src/ai/types.ts";
import { testModel, useLlmServer } from "./helpers.ts";

const CAPTURE_DIR = "/work/shared/reference/pi-0.73.1-wire";
const Captured = v.object({
	kind: v.string(),
	headers: v.optional(v.record(v.string(), v.string())),
	body: v.optional(v.unknown()),
});

function capturedRequests(api: KnownApi): { headers: Record<string, string>; body: Record<string, unknown> }[] {
	return readFileSync(`${CAPTURE_DIR}/tool_loop.${api}.requests.jsonl`, "utf8")
		.split("\n")
		.filter((line) => line.trim() !== "")
		.map((line) => v.parse(Captured, JSON.parse(line)))
		.filter((entry) => entry.kind === "request")
		.map((entry) => ({ headers: entry.headers ?? {}, body: v.parse(v.record(v.string(), v.unknown()), entry.body) }));
}

const Completions = v.object({
	messages: v.array(
		v.looseObject({
			role: v.string(),
			content: v.nullable(v.union([v.string(), v.array(v.object({ type: v.string(), text: v.string() }))])),
			tool_calls: v.optional(
				v.array(v.object({ id: v.string(), function: v.object({ name: v.string(), arguments: v.string() }) })),
			),
			tool_call_id: v.optional(v.string()),
		}),
	),
	tools: v.array(
		v.object({
			function: v.object({ name: v.string(), description: v.string(), parameters: v.record(v.string(), v.unknown()) }),
		}),
	),
});

const completions = capturedRequests("openai-completions");
const reference = v.parse(Completions, completions[completions.length - 1]?.body);
const systemPrompt = String(reference.messages[0]?.content);
const tools: Tool[] = reference.tools.map((tool) => ({ ...tool.function }));
const Args = v.record(v.string(), v.unknown());

/**
 * The conversation of the capture in our message model, with the tool-call ids of the given API:
 * `ids[i]` is the id of the i-th tool call.
 */
function conversation(
	api: KnownApi,
	turns: number,
	ids: string[],
	textSignatures: (string | undefined)[] = [],
): Message[] {
	const messages: Message[] = [];
	let callIndex = 0;
	let assistantIndex = 0;
	for (const message of reference.messages.slice(1)) {
		if (message.role === "user") {
			const text = Array.isArray(message.content) ? (message.content[0]?.text ?? "") : String(message.content);
			// pi stores prompts as content arrays, which is why every API sees a text part.
			messages.push({ role: "user", content: [{ type: "text", text }], timestamp: 1 });
		} else if (message.role === "assistant") {
			if (assistantIndex >= turns) break;
			const content: AssistantMessage["content"] = [];
			if (typeof message.content === "string") {
				const signature = textSignatures[assistantIndex];
				content.push({ type: "text", text: message.content, ...(signature ? { textSignature: signature } : {}) });
			}
			for (const call of message.tool_calls ?? []) {
				const toolCall: ToolCall = {
					type: "toolCall",
					id: ids[callIndex++] ?? call.id,
					name: call.function.name,
					arguments: v.parse(Args, JSON.parse(call.function.arguments)),
				};
				content.push(toolCall);
			}
			messages.push({
				role: "assistant",
				content,
				api,
				provider: testModel(api, "http://x").provider,
				model: "mock-model",
				usage: emptyUsage(),
				stopReason: "toolUse",
				timestamp: 2,
			});
			assistantIndex++;
		} else if (message.role === "tool") {
			const previous = messages[messages.length - 1];
			const call = previous?.role === "assistant" ? previous.content.find((b) => b.type === "toolCall") : undefined;
			messages.push({
				role: "toolResult",
				toolCallId: call?.type === "toolCall" ? call.id : "",
				toolName: call?.type === "toolCall" ? call.name : "",
				content: [{ type: "text", text: String(message.content) }],
				isError: false,
				timestamp: 3,
			});
		}
	}
	return messages;
}

const server = useLlmServer();

async function ourBody(api: KnownApi, messages: Message[], sessionId?: string): Promise<unknown> {
	await streamAssistant(
		testModel(api, server.url),
		{ systemPrompt, messages, tools },
		{ apiKey: "mock-api-key", sessionId },
	).result();
	return server.requests[server.requests.length - 1]?.body;
}

const CASES: { api: KnownApi; ids: string[]; signatures?: (string | undefined)[] }[] = [
	{ api: "anthropic-messages", ids: [0, 1, 2, 3].map((i) => `toolu_mock_000${i}_1`) },
	{ api: "openai-completions", ids: [0, 1, 2, 3].map((i) => `call_mock_000${i}_1`) },
	{
		api: "openai-responses",
		ids: [
			"call_mock_0000_1|fc_mock_0000_1",
			"call_mock_0001_1|fc_mock_0001_0",
			"call_mock_0002_1|fc_mock_0002_1",
			"call_mock_0003_1|fc_mock_0003_0",
		],
		signatures: [
			JSON.stringify({ v: 1, id: "msg_mock_0000_0" }),
			undefined,
			JSON.stringify({ v: 1, id: "msg_mock_0002_0" }),
		],
	},
	{ api: "google-generative-ai", ids: [0, 1, 2, 3].map((i) => `call_${i}`) },
];

/**
 * Where pi 1.6.0 sends something else than the 0.73.1 capture: tools carry `strict` (chat completions and
 * responses) only for models whose compat says the server supports strict mode; the capture's local server does
 * not say so.
 */
function asPi16(api: KnownApi, body: Record<string, unknown>): Record<string, unknown> {
	if (!Array.isArray(body.tools)) return body;
	const withoutStrict = ({ strict: _strict, ...rest }: Record<string, unknown>) => rest;
	if (api === "openai-completions") {
		const tools = body.tools.map((tool: unknown) => {
			const parsed = v.parse(v.looseObject({ function: v.record(v.string(), v.unknown()) }), tool);
			return { ...parsed, function: withoutStrict(parsed.function) };
		});
		return { ...body, tools };
	}
	if (api === "openai-responses") {
		return {
			...body,
			tools: body.tools.map((tool: unknown) => withoutStrict(v.parse(v.record(v.string(), v.unknown()), tool))),
		};
	}
	if (api === "anthropic-messages") {
		// pi 1.6.0 keeps a tool schema's root additionalProperties in input_schema (0.73.1 dropped it).
		const definitions = new Map(tools.map((tool) => [tool.name, tool.parameters]));
		return {
			...body,
			tools: body.tools.map((tool: unknown) => {
				const parsed = v.parse(
					v.looseObject({ name: v.string(), input_schema: v.record(v.string(), v.unknown()) }),
					tool,
				);
				const extra = definitions.get(parsed.name)?.additionalProperties;
				if (extra === undefined) return parsed;
				return { ...parsed, input_schema: { ...parsed.input_schema, additionalProperties: extra } };
			}),
		};
	}
	return body;
}

describe.each(CASES)("$api matches pi 0.73.1's wire capture", ({ api, ids, signatures }) => {
	const captured = capturedRequests(api);
	test.each(captured.map((request, turn) => ({ turn, request })))("request $turn", async ({ turn, request }) => {
		const sessionId = typeof request.body.prompt_cache_key === "string" ? request.body.prompt_cache_key : undefined;
		const body = await ourBody(api, conversation(api, turn, ids, signatures), sessionId);
		expect(body).toEqual(asPi16(api, request.body));
	});

	test("headers pi sets itself are sent", async () => {
		await ourBody(api, conversation(api, 0, ids));
		const ours = server.requests[server.requests.length - 1]?.headers ?? {};
		const theirs = captured[0]?.headers ?? {};
		// anthropic-beta: pi 1.6.0 asks for interleaved thinking only with budget thinking on (the side-by-side test in
		// test/compat/provider-requests.test.ts compares it with pi 1.6.0's).
		for (const name of [
			"anthropic-version",
			"anthropic-dangerous-direct-browser-access",
			"x-api-key",
			"authorization",
			"x-goog-api-key",
			"content-type",
			"accept",
		]) {
			if (name === "accept" && api === "google-generative-ai") continue; // SDK default differs, not set by pi
			expect(ours[name]).toBe(theirs[name]);
		}
	});
});
