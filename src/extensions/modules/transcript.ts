/**
 * pi-ai 1.6's transcript helpers, which custom providers use to read the prompt and tools of a request. In pi 1.6 a
 * request carries them as system messages (`role: "system"`, with `sections`, `toolsAdded`, `toolsRemoved`); our
 * requests carry `systemPrompt` and `tools` beside the messages (pi 0.73.1's Context). The helpers read either: a
 * context without system messages gets its leading system message made from `systemPrompt` and `tools`.
 */
import {
	contentText,
	getCurrentSystemMessage,
	getCurrentSystemPrompt,
	getCurrentTools,
	getSystemMessageText,
} from "../../ai/transcript.ts";
import type { Tool } from "../../ai/types.ts";

// The replay itself is the agent's own (src/ai/transcript.ts); this module adds reading requests of either shape.
export { contentText, getCurrentSystemMessage, getCurrentSystemPrompt, getCurrentTools, getSystemMessageText };

interface SystemMessageLike {
	role: "system";
	content: string | { type: string; text?: string }[];
	sections?: Record<string, string | null>;
	toolsAdded?: Tool[];
	toolsRemoved?: { name: string }[];
	timestamp: number;
}

type Roled = { role: string };

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isSystemMessage(message: unknown): message is SystemMessageLike {
	return isRecord(message) && message.role === "system";
}

function isTool(value: unknown): value is Tool {
	return isRecord(value) && typeof value.name === "string" && typeof value.description === "string";
}

export function createInitialSystemMessage(systemPrompt: string | undefined, tools: Tool[] | undefined) {
	const hasPrompt = systemPrompt !== undefined && systemPrompt.length > 0;
	const hasTools = tools !== undefined && tools.length > 0;
	if (!hasPrompt && !hasTools) return undefined;
	return {
		role: "system" as const,
		content: systemPrompt ?? "",
		...(hasTools ? { toolsAdded: tools } : {}),
		timestamp: 0,
	};
}

/** A request as a transcript: the leading system message folded in from systemPrompt/tools when it has none. */
export function normalizeContext(context: unknown): { messages: unknown[] } {
	if (!isRecord(context)) return { messages: [] };
	const messages = Array.isArray(context.messages) ? context.messages : [];
	if (messages.some(isSystemMessage)) return { ...context, messages };
	const systemPrompt = typeof context.systemPrompt === "string" ? context.systemPrompt : undefined;
	const tools = Array.isArray(context.tools) ? context.tools.filter(isTool) : undefined;
	const head = createInitialSystemMessage(systemPrompt, tools);
	return { ...context, messages: head ? [head, ...messages] : messages };
}

export function getInitialSystemMessage(messages: readonly Roled[]) {
	const first = messages[0];
	return first && isSystemMessage(first) ? first : undefined;
}

export function withoutInitialSystemMessage<T extends Roled>(messages: T[]): T[] {
	return getInitialSystemMessage(messages) ? messages.slice(1) : messages;
}

/** One leading system message with the current prompt and tools; later system messages dropped. */
export function collapseSystemMessages(context: unknown): { messages: unknown[] } {
	const transcript = normalizeContext(context);
	const roled = transcript.messages.filter(
		(message): message is Roled => isRecord(message) && typeof message.role === "string",
	);
	const head = getCurrentSystemMessage(roled);
	const rest = roled.filter((message) => message.role !== "system");
	return { ...transcript, messages: head ? [head, ...rest] : rest };
}
