/**
 * What openai-responses and azure-openai-responses share: history → `input` items, tools, and decoding of the
 * Responses event stream. Tool-call ids are stored as `<call_id>|<item_id>`; thinking blocks keep the whole
 * reasoning item (with encrypted content) as their signature so it can be replayed verbatim.
 */
import type {
	FunctionTool,
	ResponseFunctionToolCall,
	ResponseInputContent,
	ResponseInputItem,
	ResponseOutputMessage,
	ResponseReasoningItem,
	ResponseStreamEvent,
} from "openai/resources/responses/responses";
import * as v from "valibot";
import { transformMessages } from "../transform-messages.ts";
import type { AssistantMessage, Context, ImageContent, Model, StopReason, TextContent, Tool } from "../types.ts";
import type { MessageBuilder } from "./message-builder.ts";
import { sanitizeText } from "./options.ts";
import { ProviderProtocolError } from "./run-stream.ts";

/** A fast deterministic hash used to shorten foreign ids (same construction as pi, so ids match across tools). */
export function shortHash(text: string): string {
	let h1 = 0xdeadbeef;
	let h2 = 0x41c6ce57;
	for (let i = 0; i < text.length; i++) {
		const ch = text.charCodeAt(i);
		h1 = Math.imul(h1 ^ ch, 2654435761);
		h2 = Math.imul(h2 ^ ch, 1597334677);
	}
	h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
	h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
	return (h2 >>> 0).toString(36) + (h1 >>> 0).toString(36);
}

const TextSignatureSchema = v.object({
	v: v.literal(1),
	id: v.string(),
	phase: v.optional(v.picklist(["commentary", "final_answer"])),
});

function parseTextSignature(
	signature: string | undefined,
): { id: string; phase?: "commentary" | "final_answer" } | undefined {
	if (!signature) return undefined;
	if (signature.startsWith("{")) {
		try {
			const parsed = v.safeParse(TextSignatureSchema, JSON.parse(signature));
			if (parsed.success)
				return { id: parsed.output.id, ...(parsed.output.phase ? { phase: parsed.output.phase } : {}) };
		} catch {
			// not JSON: a bare id from older sessions
		}
	}
	return { id: signature };
}

const ReasoningItemSchema = v.looseObject({
	type: v.literal("reasoning"),
	id: v.string(),
	summary: v.array(v.looseObject({ type: v.literal("summary_text"), text: v.string() })),
	encrypted_content: v.optional(v.nullable(v.string())),
});

function parseReasoningItem(signature: string): ResponseReasoningItem | undefined {
	try {
		const parsed = v.safeParse(ReasoningItemSchema, JSON.parse(signature));
		return parsed.success ? parsed.output : undefined;
	} catch {
		return undefined;
	}
}

function imagePart(image: ImageContent): ResponseInputContent {
	return { type: "input_image", detail: "auto", image_url: `data:${image.mimeType};base64,${image.data}` };
}

function normalizeIdPart(part: string): string {
	return part
		.replace(/[^a-zA-Z0-9_-]/g, "_")
		.slice(0, 64)
		.replace(/_+$/, "");
}

export function convertResponsesInput(
	model: Model,
	context: Context,
	toolCallProviders: ReadonlySet<string>,
): ResponseInputItem[] {
	const normalizeToolCallId = (id: string, _target: Model, source: AssistantMessage): string => {
		if (!toolCallProviders.has(model.provider) || !id.includes("|")) return normalizeIdPart(id);
		const [callId = "", itemId = ""] = id.split("|");
		const foreign = source.provider !== model.provider || source.api !== model.api;
		let item = foreign ? `fc_${shortHash(itemId)}`.slice(0, 64) : normalizeIdPart(itemId);
		if (!item.startsWith("fc_")) item = normalizeIdPart(`fc_${item}`);
		return `${normalizeIdPart(callId)}|${item}`;
	};
	const messages = transformMessages(context.messages, model, normalizeToolCallId);
	const input: ResponseInputItem[] = [];
	if (context.systemPrompt) {
		input.push({ role: model.reasoning ? "developer" : "system", content: sanitizeText(context.systemPrompt) });
	}
	let messageIndex = 0;
	for (const message of messages) {
		if (message.role === "user") {
			const content: ResponseInputContent[] =
				typeof message.content === "string"
					? [{ type: "input_text", text: sanitizeText(message.content) }]
					: message.content.map((block) =>
							block.type === "text" ? { type: "input_text", text: sanitizeText(block.text) } : imagePart(block),
						);
			if (content.length > 0) input.push({ role: "user", content });
		} else if (message.role === "assistant") {
			// Item ids from another model of the same provider would be rejected; let the server assign new ones.
			const otherModel = message.model !== model.id && message.provider === model.provider && message.api === model.api;
			for (const block of message.content) {
				if (block.type === "thinking") {
					const item = block.thinkingSignature ? parseReasoningItem(block.thinkingSignature) : undefined;
					if (item) input.push(item);
				} else if (block.type === "text") {
					const signature = parseTextSignature(block.textSignature);
					let id = signature?.id ?? `msg_${messageIndex}`;
					if (id.length > 64) id = `msg_${shortHash(id)}`;
					const item: ResponseOutputMessage = {
						type: "message",
						role: "assistant",
						content: [{ type: "output_text", text: sanitizeText(block.text), annotations: [] }],
						status: "completed",
						id,
						...(signature?.phase ? { phase: signature.phase } : {}),
					};
					input.push(item);
				} else {
					const [callId = "", rawItemId] = block.id.split("|");
					const itemId = otherModel && rawItemId?.startsWith("fc_") ? undefined : rawItemId;
					const call: ResponseFunctionToolCall = {
						type: "function_call",
						...(itemId !== undefined ? { id: itemId } : {}),
						call_id: callId,
						name: block.name,
						arguments: JSON.stringify(block.arguments),
					};
					input.push(call);
				}
			}
		} else {
			const text = message.content
				.filter((block): block is TextContent => block.type === "text")
				.map((block) => block.text)
				.join("\n");
			const images = message.content.filter((block): block is ImageContent => block.type === "image");
			const [callId = ""] = message.toolCallId.split("|");
			if (images.length > 0 && model.input.includes("image")) {
				const parts: ResponseInputContent[] = [];
				if (text.length > 0) parts.push({ type: "input_text", text: sanitizeText(text) });
				for (const image of images) parts.push(imagePart(image));
				input.push({ type: "function_call_output", call_id: callId, output: parts });
			} else {
				input.push({
					type: "function_call_output",
					call_id: callId,
					output: sanitizeText(text.length > 0 ? text : "(see attached image)"),
				});
			}
		}
		messageIndex++;
	}
	return input;
}

/**
 * Function tools. pi 1.6.0 sends `strict: false` only to servers known to take the field (a model's
 * compat.supportsStrictMode; default true for Azure, false otherwise) and leaves it out for the rest.
 */
export function convertResponsesTools(tools: Tool[], supportsStrictMode: boolean): FunctionTool[] {
	return tools.map((tool) => {
		const converted: FunctionTool = {
			type: "function",
			name: tool.name,
			description: tool.description,
			parameters: tool.parameters,
			strict: false,
		};
		// The SDK's type requires the field; on the wire it is left out for servers that do not take it.
		if (!supportsStrictMode) Reflect.deleteProperty(converted, "strict");
		return converted;
	});
}

/** A model's compat.supportsStrictMode, which the catalog sets for the servers that take `strict`. */
export function supportsStrictTools(model: Model, fallback: boolean): boolean {
	const value: unknown = model.compat?.supportsStrictMode;
	return typeof value === "boolean" ? value : fallback;
}

function mapStatus(status: string | undefined): Exclude<StopReason, "aborted"> {
	switch (status) {
		case "incomplete":
			return "length";
		case "failed":
		case "cancelled":
			return "error";
		default:
			return "stop";
	}
}

/** Decodes a Responses event stream into the builder; returns the stop reason from the final response event. */
export async function consumeResponsesStream(
	events: AsyncIterable<ResponseStreamEvent>,
	builder: MessageBuilder,
	touch: () => void,
): Promise<Exclude<StopReason, "aborted" | "error">> {
	let current: { kind: "reasoning" | "message" | "function_call"; index: number } | undefined;
	let finalStatus: string | undefined;
	let sawFinal = false;
	for await (const event of events) {
		touch();
		switch (event.type) {
			case "response.created":
				builder.setResponseId(event.response.id);
				break;
			case "response.output_item.added": {
				const item = event.item;
				if (item.type === "reasoning") current = { kind: "reasoning", index: builder.startThinking() };
				else if (item.type === "message") current = { kind: "message", index: builder.startText() };
				else if (item.type === "function_call") {
					const index = builder.startToolCall(`${item.call_id}|${item.id ?? ""}`, item.name);
					if (item.arguments) builder.appendToolArguments(index, item.arguments);
					current = { kind: "function_call", index };
				}
				break;
			}
			case "response.reasoning_summary_text.delta":
			case "response.reasoning_text.delta":
				if (current?.kind === "reasoning") builder.appendThinking(current.index, event.delta);
				break;
			case "response.reasoning_summary_part.done":
				if (current?.kind === "reasoning") builder.appendThinking(current.index, "\n\n");
				break;
			case "response.output_text.delta":
			case "response.refusal.delta":
				if (current?.kind === "message") builder.appendText(current.index, event.delta);
				break;
			case "response.function_call_arguments.delta":
				if (current?.kind === "function_call") builder.appendToolArguments(current.index, event.delta);
				break;
			case "response.function_call_arguments.done": {
				if (current?.kind !== "function_call") break;
				const call = builder.toolCall(current.index);
				const streamed = call ? JSON.stringify(call.arguments) : "";
				// Servers may skip deltas and only send the final arguments.
				if (call && Object.keys(call.arguments).length === 0 && event.arguments && streamed === "{}") {
					builder.appendToolArguments(current.index, event.arguments);
				}
				break;
			}
			case "response.output_item.done": {
				const item = event.item;
				if (item.type === "reasoning" && current?.kind === "reasoning") {
					const thinking = builder.thinkingBlock(current.index);
					if (thinking) {
						const summary = item.summary.map((part) => part.text).join("\n\n");
						const content = (item.content ?? []).map((part) => part.text).join("\n\n");
						thinking.thinking = summary || content || thinking.thinking;
						thinking.thinkingSignature = JSON.stringify(item);
					}
					builder.end(current.index);
					current = undefined;
				} else if (item.type === "message" && current?.kind === "message") {
					const block = builder.output.content[current.index];
					if (block?.type === "text") {
						block.text = item.content.map((part) => (part.type === "output_text" ? part.text : part.refusal)).join("");
						block.textSignature = JSON.stringify({ v: 1, id: item.id, ...(item.phase ? { phase: item.phase } : {}) });
					}
					builder.end(current.index);
					current = undefined;
				} else if (item.type === "function_call") {
					if (current?.kind === "function_call") {
						builder.end(current.index, item.arguments || undefined);
					} else {
						const index = builder.startToolCall(`${item.call_id}|${item.id ?? ""}`, item.name);
						builder.end(index, item.arguments || "{}");
					}
					current = undefined;
				}
				break;
			}
			case "response.completed":
			case "response.incomplete": {
				sawFinal = true;
				finalStatus = event.response.status ?? undefined;
				const usage = event.response.usage;
				if (usage) {
					const cached = usage.input_tokens_details?.cached_tokens ?? 0;
					builder.setUsage({
						input: (usage.input_tokens ?? 0) - cached,
						output: usage.output_tokens ?? 0,
						cacheRead: cached,
						cacheWrite: 0,
						totalTokens: usage.total_tokens ?? 0,
					});
				}
				break;
			}
			case "response.failed": {
				const error = event.response.error;
				const details = event.response.incomplete_details;
				throw new ProviderProtocolError(
					error
						? `${error.code || "unknown"}: ${error.message || "no message"}`
						: details?.reason
							? `incomplete: ${details.reason}`
							: "Unknown error (no error details in response)",
				);
			}
			case "error":
				throw new ProviderProtocolError(`Error Code ${event.code ?? "unknown"}: ${event.message}`);
		}
	}
	if (!sawFinal) throw new ProviderProtocolError("Responses stream ended without response.completed");
	const stop = mapStatus(finalStatus);
	if (stop === "error") throw new ProviderProtocolError(`response status ${finalStatus}`);
	if (stop === "stop" && builder.hasToolCalls) return "toolUse";
	return stop;
}
