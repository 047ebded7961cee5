/**
 * pi-messages (pi 1.6.0): pi's own message protocol, spoken by the Radius gateway (`radius/…` models) and any
 * backend that implements it (models.json `"api": "pi-messages"`). One POST of `{ model, context, options }` to
 * `<baseUrl>/messages` with the key as bearer; the answer is SSE whose `data:` lines are pi's assistant-message
 * events (text/thinking/toolcall start, delta and end with content indices) and a final `done` or `error` carrying
 * usage. The context is pi's transcript: the system prompt and tools lead as a `role: "system"` message.
 */
import * as v from "valibot";
import { clientUserAgent } from "../../util/client-identity.ts";
import { providerEnv } from "../../util/env.ts";
import { transcriptOf } from "../transcript.ts";
import type { Context, Model, StreamOptions } from "../types.ts";
import { mergeHeaders } from "./options.ts";
import { applyPayloadHook } from "./payload.ts";
import { type ProviderBody, ProviderProtocolError } from "./run-stream.ts";
import { parseSseJson } from "./sse.ts";
import { observeProviderEvents } from "./stream-observer.ts";

const Index = v.pipe(v.number(), v.integer(), v.minValue(0));
const UsageSchema = v.looseObject({
	input: v.number(),
	output: v.number(),
	cacheRead: v.optional(v.number()),
	cacheWrite: v.optional(v.number()),
	totalTokens: v.optional(v.number()),
});
const ToolCallSchema = v.looseObject({
	id: v.string(),
	name: v.string(),
	arguments: v.record(v.string(), v.unknown()),
});
const EventSchema = v.variant("type", [
	v.looseObject({ type: v.literal("start") }),
	v.looseObject({ type: v.literal("text_start"), contentIndex: Index }),
	v.looseObject({ type: v.literal("text_delta"), contentIndex: Index, delta: v.string() }),
	v.looseObject({
		type: v.literal("text_end"),
		contentIndex: Index,
		content: v.string(),
		contentSignature: v.optional(v.string()),
	}),
	v.looseObject({ type: v.literal("thinking_start"), contentIndex: Index }),
	v.looseObject({ type: v.literal("thinking_delta"), contentIndex: Index, delta: v.string() }),
	v.looseObject({
		type: v.literal("thinking_end"),
		contentIndex: Index,
		content: v.string(),
		contentSignature: v.optional(v.string()),
		redacted: v.optional(v.boolean()),
	}),
	v.looseObject({ type: v.literal("toolcall_start"), contentIndex: Index, id: v.string(), toolName: v.string() }),
	v.looseObject({ type: v.literal("toolcall_delta"), contentIndex: Index, delta: v.string() }),
	v.looseObject({ type: v.literal("toolcall_end"), contentIndex: Index, toolCall: ToolCallSchema }),
	v.looseObject({
		type: v.literal("done"),
		reason: v.picklist(["stop", "length", "toolUse"]),
		usage: UsageSchema,
		responseId: v.optional(v.string()),
	}),
	v.looseObject({
		type: v.literal("error"),
		reason: v.picklist(["error", "aborted"]),
		usage: v.optional(UsageSchema),
		errorMessage: v.optional(v.string()),
	}),
]);
const ErrorBodySchema = v.looseObject({
	error: v.looseObject({ message: v.optional(v.string()), code: v.optional(v.string()) }),
});

/** pi's `normalizeContext`: the prompt and tools become the transcript's leading system message. */
async function responseError(response: Response): Promise<Error> {
	const body = await response.text();
	let parsed: v.InferOutput<typeof ErrorBodySchema> | undefined;
	try {
		const result = v.safeParse(ErrorBodySchema, JSON.parse(body));
		parsed = result.success ? result.output : undefined;
	} catch {
		parsed = undefined;
	}
	const code = parsed?.error.code ? ` (${parsed.error.code})` : "";
	return new Error(`${response.status} ${response.statusText}: ${parsed?.error.message ?? body}${code}`);
}

export function piMessagesBody(model: Model, context: Context, options: StreamOptions | undefined): ProviderBody {
	return async ({ builder, signal, touch, fetch: fetchFn }) => {
		const apiKey = options?.apiKey;
		if (!apiKey) throw new Error(`No API key provided for provider "${model.provider}"`);
		const cacheRetention =
			options?.cacheRetention ?? (providerEnv("PI_CACHE_RETENTION", options?.env) === "long" ? "long" : "short");
		const payload = await applyPayloadHook(
			{
				model: model.id,
				// The whole transcript, system messages in place: the gateway renders them for its backend.
				context: { messages: transcriptOf(context) },
				options: {
					temperature: options?.temperature,
					// pi 1.6.0 passes the caller's limit only; the gateway applies the model's own otherwise.
					maxTokens: options?.maxTokens,
					reasoning: options?.reasoning,
					cacheRetention,
					sessionId: options?.sessionId,
				},
			},
			model,
			options,
		);
		const response = await fetchFn(`${model.baseUrl.replace(/\/+$/, "")}/messages`, {
			method: "POST",
			headers: mergeHeaders({ "User-Agent": clientUserAgent() }, model.headers, options?.headers, {
				authorization: `Bearer ${apiKey}`,
				accept: "text/event-stream",
				"content-type": "application/json",
			}),
			body: JSON.stringify(payload),
			signal,
		});
		if (!response.ok) throw await responseError(response);
		if (!response.body) throw new Error(`${model.provider} response has no body`);
		/** The backend's content indices → the message's own. */
		const blocks = new Map<number, number>();
		const local = (index: number) => {
			const mapped = blocks.get(index);
			if (mapped === undefined) throw new ProviderProtocolError(`pi-messages event for unknown content index ${index}`);
			return mapped;
		};
		for await (const raw of observeProviderEvents(parseSseJson(response.body), model, options)) {
			touch();
			const parsed = v.safeParse(EventSchema, raw);
			if (!parsed.success)
				throw new ProviderProtocolError(`unexpected pi-messages event: ${JSON.stringify(raw).slice(0, 200)}`);
			const event = parsed.output;
			switch (event.type) {
				case "start":
					builder.start();
					break;
				case "text_start":
					blocks.set(event.contentIndex, builder.startText());
					break;
				case "text_delta":
					builder.appendText(local(event.contentIndex), event.delta);
					break;
				case "text_end": {
					const index = local(event.contentIndex);
					const block = builder.output.content[index];
					if (block?.type === "text") {
						block.text = event.content;
						if (event.contentSignature) block.textSignature = event.contentSignature;
					}
					builder.end(index);
					break;
				}
				case "thinking_start":
					blocks.set(event.contentIndex, builder.startThinking());
					break;
				case "thinking_delta":
					builder.appendThinking(local(event.contentIndex), event.delta);
					break;
				case "thinking_end": {
					const index = local(event.contentIndex);
					const block = builder.thinkingBlock(index);
					if (block) {
						block.thinking = event.content;
						if (event.contentSignature) block.thinkingSignature = event.contentSignature;
						if (event.redacted) block.redacted = true;
					}
					builder.end(index);
					break;
				}
				case "toolcall_start":
					blocks.set(event.contentIndex, builder.startToolCall(event.id, event.toolName));
					break;
				case "toolcall_delta":
					builder.appendToolArguments(local(event.contentIndex), event.delta);
					break;
				case "toolcall_end":
					builder.end(local(event.contentIndex), JSON.stringify(event.toolCall.arguments));
					break;
				case "done":
					builder.setUsage({
						input: event.usage.input,
						output: event.usage.output,
						cacheRead: event.usage.cacheRead ?? 0,
						cacheWrite: event.usage.cacheWrite ?? 0,
						totalTokens: event.usage.totalTokens,
					});
					builder.setResponseId(event.responseId);
					builder.finish(event.reason);
					return;
				case "error":
					throw new Error(event.errorMessage ?? `${model.provider} reported an error`);
			}
		}
		throw new ProviderProtocolError(`${model.provider} stream ended without a terminal event`);
	};
}
