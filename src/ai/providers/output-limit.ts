/**
 * The output limit a request asks for (pi 1.6.0): the caller's `maxTokens`, else the model's whole output limit,
 * fitted into what the context window leaves after the input. The input is estimated as pi-ai does — the last
 * answer's reported usage plus ~3.5 characters per token of what came after it (an image counts as 4,800
 * characters) — and a margin is kept for servers that count higher than that: 15% of the input, at least 4,096
 * tokens, as long as that still leaves 32,768 tokens to answer; otherwise only the 4,096 and at most 32,768 to answer.
 * Without it a long conversation on a model whose output limit is near its window would be refused outright.
 */

import { getSystemMessageText, transcriptOf } from "../transcript.ts";
import type { AssistantMessage, Context, ImageContent, Message, Model, SystemMessage, TextContent } from "../types.ts";

const CHARS_PER_TOKEN = 3.5;
const IMAGE_CHARS = 4800;
const SAFETY_TOKENS = 4096;
const SAFETY_RATIO = 0.15;
const MIN_OUTPUT_WITH_RATIO_MARGIN = 32768;

function textTokens(text: string): number {
	return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function json(value: unknown): string {
	try {
		return JSON.stringify(value) ?? "undefined";
	} catch {
		return "[unserializable]";
	}
}

function contentTokens(content: string | readonly (TextContent | ImageContent)[]): number {
	if (typeof content === "string") return textTokens(content);
	let chars = 0;
	for (const block of content) chars += block.type === "text" ? block.text.length : IMAGE_CHARS;
	return Math.ceil(chars / CHARS_PER_TOKEN);
}

function messageTokens(message: Message | SystemMessage): number {
	switch (message.role) {
		case "system": {
			const tools = (list: readonly unknown[] | undefined) => (list && list.length > 0 ? textTokens(json(list)) : 0);
			return textTokens(getSystemMessageText(message)) + tools(message.toolsAdded) + tools(message.toolsRemoved);
		}
		case "user":
		case "toolResult":
			return contentTokens(message.content);
		case "assistant": {
			let chars = 0;
			for (const block of message.content) {
				if (block.type === "text") chars += block.text.length;
				else if (block.type === "thinking") chars += block.thinking.length;
				else chars += block.name.length + json(block.arguments).length;
			}
			return Math.ceil(chars / CHARS_PER_TOKEN);
		}
	}
}

function usageTokens(message: AssistantMessage): number {
	const usage = message.usage;
	return usage.totalTokens || usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

/** The context's size in tokens as pi-ai estimates it. */
export function estimateContextTokens(messages: readonly (Message | SystemMessage)[]): number {
	// The last complete answer's usage describes everything up to it, unless something newer was put before it.
	let newestBefore = Number.NEGATIVE_INFINITY;
	// A plain loop over every message of every request: no closure, no object per answer.
	let anchorTokens = 0;
	let anchorIndex = -1;
	for (let index = 0; index < messages.length; index++) {
		const message = messages[index];
		if (!message) continue;
		if (
			message.role === "assistant" &&
			message.timestamp >= newestBefore &&
			message.stopReason !== "aborted" &&
			message.stopReason !== "error"
		) {
			const used = usageTokens(message);
			if (used > 0) {
				anchorTokens = used;
				anchorIndex = index;
			}
		}
		newestBefore = Math.max(newestBefore, message.timestamp);
	}
	let tokens = anchorTokens;
	for (let i = anchorIndex + 1; i < messages.length; i++) {
		const message = messages[i];
		if (message) tokens += messageTokens(message);
	}
	return tokens;
}

/** `maxTokens` fitted into the model's context window after the context's input. */
export function clampMaxTokensToContext(model: Model, context: Context, maxTokens: number): number {
	if (model.contextWindow <= 0) return Math.max(1, maxTokens);
	const input = estimateContextTokens(transcriptOf(context));
	const margin = Math.max(SAFETY_TOKENS, Math.ceil(input * SAFETY_RATIO));
	let room = model.contextWindow - input - margin;
	if (room < MIN_OUTPUT_WITH_RATIO_MARGIN) {
		room = Math.min(MIN_OUTPUT_WITH_RATIO_MARGIN, model.contextWindow - input - SAFETY_TOKENS);
	}
	return Math.min(maxTokens, Math.max(1, room));
}

/** The output limit of a request: the caller's or the model's, fitted into the context window. */
export function outputLimit(model: Model, context: Context, maxTokens: number | undefined): number {
	return clampMaxTokensToContext(model, context, maxTokens ?? model.maxTokens);
}
