/**
 * The prompt and tool loadout carried by a transcript's system messages (pi 1.6.0, pi-ai utils/transcript.ts and
 * utils/text.ts). The leading system message declares every prompt section and tool; later ones patch sections by
 * name and add or remove tools. Replaying them in order gives the current prompt and tools, so a session file alone
 * says what the model saw at every point, and an unchanged prompt keeps the provider's prompt cache.
 *
 * Providers get a collapsed view (`toProviderContext`): the replayed prompt as the system prompt, the replayed tools
 * as the tool list, and the other messages. That is exactly what pi 1.6.0 sends to a model without mid-conversation
 * system messages (`compat.supportsMidConvoSystemMessages`); none of our providers renders those yet.
 */
import type { Context, Message, SystemMessage, Tool, ToolReference } from "./types.ts";

/** Any message list: only `role: "system"` entries are read, so agent transcripts pass as they are. */
export type TranscriptMessages = readonly { role: string }[];

function isSystemMessage(message: { role: string }): message is SystemMessage {
	return message.role === "system";
}

/**
 * The text blocks of a content value, joined. Tolerant of any value: extensions call it (through pi-ai's
 * `contentText`) with whatever their requests carry; what is not text contributes nothing.
 */
export function contentText(content: unknown, separator = "\n"): string {
	if (typeof content === "string") return content;
	if (!Array.isArray(content)) return "";
	const texts: string[] = [];
	for (const block of content) {
		if (typeof block === "object" && block !== null && block.type === "text" && typeof block.text === "string") {
			texts.push(block.text);
		}
	}
	return texts.join(separator);
}

/** A system message as one prompt: its content, then its sections in order, blank-line separated. */
export function getSystemMessageText(message: Omit<SystemMessage, "content"> & { content: unknown }): string {
	const parts = [contentText(message.content)];
	for (const text of Object.values(message.sections ?? {})) {
		if (text !== null) parts.push(text);
	}
	return parts.filter((part) => part.length > 0).join("\n\n");
}

/** A later system message rendered for APIs that accept system messages mid-conversation (pi's framing). */
export function renderSystemMessageUpdate(message: SystemMessage): string {
	const parts: string[] = [];
	const text = contentText(message.content);
	if (text.length > 0) parts.push(text);
	for (const [name, value] of Object.entries(message.sections ?? {})) {
		parts.push(
			value === null
				? `Removed system prompt section "${name}".`
				: `Updated system prompt section "${name}":\n\n${value}`,
		);
	}
	return parts.join("\n\n");
}

/** One system message's tool changes applied to `tools`: removals first, then additions. */
function replayToolChanges(message: SystemMessage, tools: Map<string, Tool>): void {
	for (const tool of message.toolsRemoved ?? []) tools.delete(tool.name);
	for (const tool of message.toolsAdded ?? []) tools.set(tool.name, tool);
}

/** The tools declared after replaying every system message. */
export function getCurrentTools(messages: TranscriptMessages): Tool[] {
	const tools = new Map<string, Tool>();
	for (const message of messages) if (isSystemMessage(message)) replayToolChanges(message, tools);
	return [...tools.values()];
}

/**
 * Every system message folded into one: contents appended, sections patched by name (a patched section keeps its
 * place, a removed and re-added one moves to the end), tools replayed. Undefined when there is nothing to declare.
 */
export function getCurrentSystemMessage(messages: TranscriptMessages): SystemMessage | undefined {
	const content: string[] = [];
	const sections = new Map<string, string>();
	// getCurrentTools' replay in the same pass (this runs several times per request over the whole transcript).
	const declared = new Map<string, Tool>();
	let timestamp: number | undefined;
	for (const message of messages) {
		if (!isSystemMessage(message)) continue;
		timestamp ??= message.timestamp;
		const text = contentText(message.content);
		if (text.length > 0) content.push(text);
		for (const [name, value] of Object.entries(message.sections ?? {})) {
			if (value === null) sections.delete(name);
			else sections.set(name, value);
		}
		replayToolChanges(message, declared);
	}
	const tools = [...declared.values()];
	if (timestamp === undefined && tools.length === 0) return undefined;
	return {
		role: "system",
		content: content.join("\n\n"),
		...(sections.size > 0 ? { sections: Object.fromEntries(sections) } : {}),
		...(tools.length > 0 ? { toolsAdded: tools } : {}),
		timestamp: timestamp ?? 0,
	};
}

/** The current prompt text after replaying every system message. */
export function getCurrentSystemPrompt(messages: TranscriptMessages): string {
	const message = getCurrentSystemMessage(messages);
	return message ? getSystemMessageText(message) : "";
}

/** What the model is told about a tool: name, description, a JSON copy of the schema, and constrained sampling. */
export function toToolDeclaration(tool: Tool): Tool {
	return {
		name: tool.name,
		description: tool.description,
		parameters: JSON.parse(JSON.stringify(tool.parameters)),
		...(tool.constrainedSampling === undefined ? {} : { constrainedSampling: tool.constrainedSampling }),
	};
}

/**
 * The declaration as JSON text, what toToolDeclaration's copy would serialise to (the same fields in the same order)
 * without making the copy: tool sets are compared before every request.
 */
function declarationText(tool: Tool): string {
	return JSON.stringify({
		name: tool.name,
		description: tool.description,
		parameters: tool.parameters,
		...(tool.constrainedSampling === undefined ? {} : { constrainedSampling: tool.constrainedSampling }),
	});
}

function declarationsEqual(left: Tool, right: Tool): boolean {
	return declarationText(left) === declarationText(right);
}

export interface ToolStateChanges {
	toolsAdded: Tool[];
	toolsRemoved: ToolReference[];
}

/** Two complete tool sets compared; a changed definition is a removal followed by an addition. */
export function getToolStateChanges(previous: readonly Tool[], current: readonly Tool[]): ToolStateChanges {
	const previousTools = new Map(previous.map((tool) => [tool.name, tool]));
	const currentTools = new Map(current.map((tool) => [tool.name, tool]));
	return {
		toolsAdded: current
			.filter((tool) => {
				const before = previousTools.get(tool.name);
				return before === undefined || !declarationsEqual(before, tool);
			})
			.map(toToolDeclaration),
		toolsRemoved: previous
			.filter((tool) => {
				const now = currentTools.get(tool.name);
				return now === undefined || !declarationsEqual(tool, now);
			})
			.map((tool) => ({ name: tool.name })),
	};
}

/**
 * The `sections` patch that turns the sections the model has (replayed, never null) into `current`: changed and new
 * sections with their text, missing ones as null. Undefined when nothing changed.
 */
export function diffSystemPromptSections(
	previous: Readonly<Record<string, string | null>>,
	current: Readonly<Record<string, string>>,
): Record<string, string | null> | undefined {
	const patch: Record<string, string | null> = {};
	for (const [name, text] of Object.entries(current)) {
		if (previous[name] !== text) patch[name] = text;
	}
	for (const name of Object.keys(previous)) {
		if (current[name] === undefined) patch[name] = null;
	}
	return Object.keys(patch).length > 0 ? patch : undefined;
}

/**
 * The request a provider builds from a transcript: the replayed prompt and tools lead, later system messages are
 * folded into them (pi 1.6.0's `collapseSystemMessages`). An explicit `systemPrompt`/`tools` in the context stands
 * for a leading system message, as pi's `normalizeContext` treats them.
 */
export function toProviderContext(context: {
	systemPrompt?: string;
	messages: readonly (Message | SystemMessage)[];
	tools?: Tool[];
}): Context {
	const lead: SystemMessage[] = [];
	if (context.systemPrompt || (context.tools && context.tools.length > 0)) {
		lead.push({
			role: "system",
			content: context.systemPrompt ?? "",
			...(context.tools && context.tools.length > 0 ? { toolsAdded: context.tools } : {}),
			timestamp: 0,
		});
	}
	const all = [...lead, ...context.messages];
	const head = getCurrentSystemMessage(all);
	const messages = context.messages.filter((message): message is Message => message.role !== "system");
	const result: Context = { messages, transcript: all };
	if (head) {
		const prompt = getSystemMessageText(head);
		if (prompt) result.systemPrompt = prompt;
		if (head.toolsAdded && head.toolsAdded.length > 0) result.tools = head.toolsAdded;
	}
	return result;
}

/**
 * The transcript a provider works from: the context's own (`toProviderContext` keeps it), or its `systemPrompt` and
 * `tools` as a leading system message before the messages (pi 1.6.0's `normalizeContext`).
 */
export function transcriptOf(context: Context): (Message | SystemMessage)[] {
	if (context.transcript) return context.transcript;
	const hasTools = context.tools !== undefined && context.tools.length > 0;
	if (!context.systemPrompt && !hasTools) return context.messages;
	const lead: SystemMessage = {
		role: "system",
		content: context.systemPrompt ?? "",
		...(hasTools ? { toolsAdded: context.tools } : {}),
		timestamp: 0,
	};
	return [lead, ...context.messages];
}

/**
 * The transcript as a model gets it: as it is when the model takes system messages mid-conversation, otherwise with
 * every system message folded into one leading message (pi 1.6.0's `resolveTranscript`).
 */
export function resolveTranscript(
	transcript: readonly (Message | SystemMessage)[],
	supportsMidConvoSystemMessages: boolean,
): (Message | SystemMessage)[] {
	if (supportsMidConvoSystemMessages) return [...transcript];
	const head = getCurrentSystemMessage(transcript);
	const rest = transcript.filter((message): message is Message => message.role !== "system");
	return head ? [head, ...rest] : rest;
}

/**
 * How a request can express tool changes after its first message (pi 1.6.0): "none" — only the top-level tool list,
 * always the current tools; "additions" — tools can be added in place but not removed or redefined; "changes" —
 * every tool, the first ones too, is declared in place and a later declaration of a name replaces the earlier one
 * (removals are announced as text).
 */
export type TranscriptToolSupport = "none" | "additions" | "changes";

/** The index among `systemMessages` of the last one that removes or redeclares a tool, or -1. */
function lastNonAdditiveChange(systemMessages: readonly SystemMessage[]): number {
	// A name declared before counts as redeclared even after its removal.
	const declared = new Set<string>();
	let last = -1;
	systemMessages.forEach((message, index) => {
		if ((message.toolsRemoved?.length ?? 0) > 0) last = index;
		for (const tool of message.toolsAdded ?? []) {
			if (declared.has(tool.name)) last = index;
			declared.add(tool.name);
		}
	});
	return last;
}

/**
 * Which tools go in the request's top-level list, and how many leading system messages that list already covers
 * (every later one declares its own changes in place). "changes": none at the top, nothing covered; "additions": the
 * tool set after the last change an addition cannot express; "none": the current tools, everything covered.
 */
export function resolveTranscriptTools(
	messages: TranscriptMessages,
	support: TranscriptToolSupport,
): { requestTools: Tool[]; foldedSystemMessages: number } {
	const systemMessages = messages.filter(isSystemMessage);
	if (support === "none")
		return { requestTools: getCurrentTools(systemMessages), foldedSystemMessages: systemMessages.length };
	if (support === "changes") return { requestTools: [], foldedSystemMessages: 0 };
	const leading = messages[0] !== undefined && isSystemMessage(messages[0]) ? 1 : 0;
	const folded = Math.max(leading, lastNonAdditiveChange(systemMessages) + 1);
	return { requestTools: getCurrentTools(systemMessages.slice(0, folded)), foldedSystemMessages: folded };
}

/** Every tool definition the transcript declares, in first-declaration order (a later definition replaces one). */
export function getDeclaredTools(messages: TranscriptMessages): Tool[] {
	const definitions = new Map<string, Tool>();
	for (const message of messages) {
		if (!isSystemMessage(message)) continue;
		for (const tool of message.toolsAdded ?? []) definitions.set(tool.name, tool);
	}
	return [...definitions.values()];
}
