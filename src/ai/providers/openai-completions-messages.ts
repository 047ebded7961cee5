/**
 * pi's messages as Chat Completions messages: developer/system prompt, user text and images, assistant text with its
 * reasoning sent back in the field it came in, tool results (images after them in a user message), and the id and
 * ordering rules of servers that need them.
 */
import type {
	ChatCompletionAssistantMessageParam,
	ChatCompletionContentPart,
	ChatCompletionContentPartImage,
	ChatCompletionMessageParam,
	ChatCompletionToolMessageParam,
} from "openai/resources/chat/completions";
import * as v from "valibot";
import { transformMessages } from "../transform-messages.ts";
import type { Context, ImageContent, Message, Model, TextContent, ThinkingContent, ToolCall } from "../types.ts";
import type { ResolvedCompat } from "./openai-completions-compat.ts";
import { sanitizeText } from "./options.ts";

function imagePart(image: ImageContent): ChatCompletionContentPartImage {
	return { type: "image_url", image_url: { url: `data:${image.mimeType};base64,${image.data}` } };
}

/** Assistant messages may carry provider-specific reasoning fields (reasoning_content, reasoning_details …). */
type AssistantParam = ChatCompletionAssistantMessageParam & { [field: string]: unknown };
type ToolParam = ChatCompletionToolMessageParam & { name?: string };

/** Mistral accepts only 9-character alphanumeric tool-call ids; other ids are mapped to a stable hash. */
function mistralToolCallId(id: string): string {
	if (/^[a-zA-Z0-9]{9}$/.test(id)) return id;
	const hash = new Bun.CryptoHasher("sha256")
		.update(id)
		.digest("base64")
		.replace(/[^a-zA-Z0-9]/g, "");
	return hash.slice(0, 9).padEnd(9, "0");
}

/** The text blocks of a tool result, one per line (most results are one block: no arrays built then). */
function joinedText(content: readonly (TextContent | ImageContent)[]): string {
	const only = content.length === 1 ? content[0] : undefined;
	if (only) return only.type === "text" ? only.text : "";
	return content
		.filter((block): block is TextContent => block.type === "text")
		.map((block) => block.text)
		.join("\n");
}

export function convertCompletionsMessages(
	model: Model,
	context: Context,
	compat: ResolvedCompat,
): ChatCompletionMessageParam[] {
	const normalizeToolCallId = (id: string): string => {
		// Responses-style `call|item` ids: keep the call part, within OpenAI's 40-character limit.
		if (id.includes("|")) return (id.split("|")[0] ?? "").replace(/[^a-zA-Z0-9_-]/g, "_").slice(0, 40);
		if (model.provider === "openai") return id.slice(0, 40);
		if (model.provider === "mistral") return mistralToolCallId(id);
		return id;
	};
	const messages = transformMessages(context.messages, model, normalizeToolCallId);
	const params: ChatCompletionMessageParam[] = [];
	if (context.systemPrompt) {
		const role = model.reasoning && compat.supportsDeveloperRole ? "developer" : "system";
		params.push({ role, content: sanitizeText(context.systemPrompt) });
	}
	let lastRole: Message["role"] | undefined;
	for (let i = 0; i < messages.length; i++) {
		const message = messages[i];
		if (!message) continue;
		// Some servers refuse a user message straight after tool results.
		if (compat.requiresAssistantAfterToolResult && lastRole === "toolResult" && message.role === "user") {
			params.push({ role: "assistant", content: "I have processed the tool results." });
		}
		if (message.role === "user") {
			if (typeof message.content === "string") {
				params.push({ role: "user", content: sanitizeText(message.content) });
			} else {
				const content: ChatCompletionContentPart[] = message.content.map((block) =>
					block.type === "text" ? { type: "text", text: sanitizeText(block.text) } : imagePart(block),
				);
				if (content.length === 0) continue;
				params.push({ role: "user", content });
			}
		} else if (message.role === "assistant") {
			const assistant = convertAssistant(message.content, model, compat);
			if (assistant) params.push(assistant);
		} else {
			const images: ChatCompletionContentPartImage[] = [];
			let j = i;
			for (let next = messages[j]; next?.role === "toolResult"; next = messages[++j]) {
				const text = joinedText(next.content);
				const result: ToolParam = {
					role: "tool",
					content: sanitizeText(text.length > 0 ? text : "(see attached image)"),
					tool_call_id: next.toolCallId,
				};
				if (compat.requiresToolResultName && next.toolName) result.name = next.toolName;
				params.push(result);
				if (model.input.includes("image")) {
					for (const block of next.content) if (block.type === "image") images.push(imagePart(block));
				}
			}
			i = j - 1;
			// Tool messages cannot carry images, so they follow in a user message.
			if (images.length > 0) {
				if (compat.requiresAssistantAfterToolResult) {
					params.push({ role: "assistant", content: "I have processed the tool results." });
				}
				params.push({
					role: "user",
					content: [{ type: "text", text: "Attached image(s) from tool result:" }, ...images],
				});
				lastRole = "user";
			} else {
				lastRole = "toolResult";
			}
			continue;
		}
		lastRole = message.role;
	}
	return params;
}

const ReasoningDetailSchema = v.looseObject({ type: v.string() });

function convertAssistant(
	content: (TextContent | ThinkingContent | ToolCall)[],
	model: Model,
	compat: ResolvedCompat,
): AssistantParam | undefined {
	const assistant: AssistantParam = { role: "assistant", content: compat.requiresAssistantAfterToolResult ? "" : null };
	// One pass over the blocks (every request converts the whole transcript again).
	const textParts: { type: "text"; text: string }[] = [];
	const thinking: ThinkingContent[] = [];
	const calls: ToolCall[] = [];
	for (const block of content) {
		if (block.type === "text") {
			if (block.text.trim().length > 0) textParts.push({ type: "text", text: sanitizeText(block.text) });
		} else if (block.type === "thinking") {
			if (block.thinking.trim().length > 0) thinking.push(block);
		} else calls.push(block);
	}
	// Plain string content: array content makes some models echo the block structure.
	const text = textParts.length === 1 ? (textParts[0]?.text ?? "") : textParts.map((part) => part.text).join("");
	if (thinking.length > 0 && compat.requiresThinkingAsText) {
		assistant.content = [
			{ type: "text", text: thinking.map((block) => sanitizeText(block.thinking)).join("\n\n") },
			...textParts,
		];
	} else {
		if (text.length > 0) assistant.content = text;
		// The field the reasoning arrived in (e.g. reasoning_content) is its signature; send it back there.
		const field = thinking[0]?.thinkingSignature;
		if (field) assistant[field] = thinking.map((block) => block.thinking).join("\n");
	}
	if (calls.length > 0) {
		assistant.tool_calls = calls.map((call) => ({
			id: call.id,
			type: "function",
			function: { name: call.name, arguments: JSON.stringify(call.arguments) },
		}));
		const details = calls.flatMap((call) => {
			if (!call.thoughtSignature) return [];
			try {
				const parsed = v.safeParse(ReasoningDetailSchema, JSON.parse(call.thoughtSignature));
				return parsed.success ? [parsed.output] : [];
			} catch {
				return [];
			}
		});
		if (details.length > 0) assistant.reasoning_details = details;
	}
	if (
		compat.requiresReasoningContentOnAssistantMessages &&
		model.reasoning &&
		assistant.reasoning_content === undefined
	) {
		assistant.reasoning_content = "";
	}
	const body = assistant.content;
	const hasContent = body !== null && body !== undefined && body.length > 0;
	if (!hasContent && !assistant.tool_calls) return undefined;
	return assistant;
}
