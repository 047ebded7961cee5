/**
 * Prepares stored history for replay to a (possibly different) model (pi-spec §4.12):
 * - images become placeholders for text-only models;
 * - thinking from another model becomes plain text (signatures are only valid for the model that made them);
 * - tool-call ids from another model are normalised by the target API's rules, and their results follow;
 * - errored/aborted assistant turns are dropped (they are incomplete and some APIs reject them);
 * - tool calls left without a result get a synthetic error result so the API sees a well-formed exchange.
 */
import type {
	AssistantMessage,
	ImageContent,
	Message,
	Model,
	SystemMessage,
	TextContent,
	ThinkingContent,
	ToolCall,
	ToolResultMessage,
} from "./types.ts";

export type ToolCallIdNormalizer = (id: string, model: Model, source: AssistantMessage) => string;

const USER_IMAGE_PLACEHOLDER = "(image omitted: model does not support images)";
const TOOL_IMAGE_PLACEHOLDER = "(tool image omitted: model does not support images)";

function withoutImages(content: (TextContent | ImageContent)[], placeholder: string): (TextContent | ImageContent)[] {
	const result: (TextContent | ImageContent)[] = [];
	let lastWasPlaceholder = false;
	for (const block of content) {
		if (block.type === "image") {
			// Consecutive images collapse into one placeholder.
			if (!lastWasPlaceholder) result.push({ type: "text", text: placeholder });
			lastWasPlaceholder = true;
			continue;
		}
		result.push(block);
		lastWasPlaceholder = block.text === placeholder;
	}
	return result;
}

function downgradeImages(messages: (Message | SystemMessage)[], model: Model): (Message | SystemMessage)[] {
	if (model.input.includes("image")) return messages;
	return messages.map((message) => {
		if (message.role === "user" && Array.isArray(message.content)) {
			return { ...message, content: withoutImages(message.content, USER_IMAGE_PLACEHOLDER) };
		}
		if (message.role === "toolResult") {
			return { ...message, content: withoutImages(message.content, TOOL_IMAGE_PLACEHOLDER) };
		}
		return message;
	});
}

type AssistantBlock = TextContent | ThinkingContent | ToolCall;

function transformThinking(block: ThinkingContent, sameModel: boolean): AssistantBlock[] {
	if (block.redacted) return sameModel ? [block] : [];
	if (sameModel && block.thinkingSignature) return [block];
	if (block.thinking.trim() === "") return [];
	return sameModel ? [block] : [{ type: "text", text: block.thinking }];
}

/** Another model's tool call: its signature dropped and its id normalised for the target API (the rename kept). */
function transformForeignCall(
	block: ToolCall,
	model: Model,
	message: AssistantMessage,
	renamedIds: Map<string, string>,
	normalizeToolCallId: ToolCallIdNormalizer | undefined,
): ToolCall {
	const { thoughtSignature: _dropped, ...call } = block;
	if (!normalizeToolCallId) return call;
	const id = normalizeToolCallId(block.id, model, message);
	if (id === block.id) return call;
	renamedIds.set(block.id, id);
	return { ...call, id };
}

/**
 * A transcript's system messages (pi 1.6.0) pass through in place, except that one arriving while tool calls await
 * their results is held until those calls are closed, so no API sees instructions between a call and its result.
 */
export function transformMessages(
	messages: Message[],
	model: Model,
	normalizeToolCallId?: ToolCallIdNormalizer,
): Message[];
export function transformMessages(
	messages: (Message | SystemMessage)[],
	model: Model,
	normalizeToolCallId?: ToolCallIdNormalizer,
): (Message | SystemMessage)[];
export function transformMessages(
	messages: (Message | SystemMessage)[],
	model: Model,
	normalizeToolCallId?: ToolCallIdNormalizer,
): (Message | SystemMessage)[] {
	const renamedIds = new Map<string, string>();
	const transformed = downgradeImages(messages, model).map((message): Message | SystemMessage => {
		if (message.role === "user" || message.role === "system") return message;
		if (message.role === "toolResult") {
			const renamed = renamedIds.get(message.toolCallId);
			return renamed && renamed !== message.toolCallId ? { ...message, toolCallId: renamed } : message;
		}
		const sameModel = message.provider === model.provider && message.api === model.api && message.model === model.id;
		// A plain loop, not flatMap with a closure: every request replays the whole transcript through here.
		const content: AssistantBlock[] = [];
		for (const block of message.content) {
			if (block.type === "thinking") content.push(...transformThinking(block, sameModel));
			else if (block.type === "text") content.push(sameModel ? block : { type: "text", text: block.text });
			else if (sameModel) content.push(block);
			else content.push(transformForeignCall(block, model, message, renamedIds, normalizeToolCallId));
		}
		return { ...message, content };
	});

	const result: (Message | SystemMessage)[] = [];
	const held: SystemMessage[] = [];
	let pendingCalls: ToolCall[] = [];
	const answered = new Set<string>();
	const closePendingCalls = () => {
		// Most messages close nothing: nothing allocated then (results seen without a call are forgotten all the same).
		if (pendingCalls.length === 0 && held.length === 0) {
			answered.clear();
			return;
		}
		for (const call of pendingCalls) {
			if (answered.has(call.id)) continue;
			const synthetic: ToolResultMessage = {
				role: "toolResult",
				toolCallId: call.id,
				toolName: call.name,
				content: [{ type: "text", text: "No result provided" }],
				isError: true,
				timestamp: Date.now(),
			};
			result.push(synthetic);
		}
		pendingCalls = [];
		answered.clear();
		for (const message of held) result.push(message);
		held.length = 0;
	};
	for (const message of transformed) {
		if (message.role === "assistant") {
			closePendingCalls();
			if (message.stopReason === "error" || message.stopReason === "aborted") continue;
			const calls = message.content.filter((block): block is ToolCall => block.type === "toolCall");
			if (calls.length > 0) pendingCalls = calls;
			result.push(message);
		} else if (message.role === "toolResult") {
			answered.add(message.toolCallId);
			result.push(message);
		} else if (message.role === "system") {
			if (pendingCalls.length > 0) held.push(message);
			else result.push(message);
		} else {
			closePendingCalls();
			result.push(message);
		}
	}
	closePendingCalls();
	return result;
}
