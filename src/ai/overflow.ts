/**
 * Context-overflow detection across providers (pi-spec §4.13). Each provider words "your prompt is too big"
 * differently; compaction triggers on any of these.
 */
import type { AssistantMessage } from "./types.ts";

const OVERFLOW_PATTERNS: readonly RegExp[] = [
	/prompt is too long/i, // Anthropic
	/request_too_large/i, // Anthropic, request bytes (413)
	/input is too long for requested model/i, // Bedrock
	/exceeds the context window/i, // OpenAI
	/input token count.*exceeds the maximum/i, // Gemini
	/maximum prompt length is \d+/i, // xAI
	/reduce the length of the messages/i, // Groq
	/maximum context length is \d+ tokens/i, // OpenRouter
	/exceeds the limit of \d+/i, // GitHub Copilot
	/exceeds the available context size/i, // llama.cpp
	/greater than the context length/i, // LM Studio
	/context window exceeds limit/i, // MiniMax
	/exceeded model token limit/i, // Kimi
	/too large for model with \d+ maximum context length/i, // Mistral
	/model_context_window_exceeded/i, // z.ai
	/prompt too long; exceeded (?:max )?context length/i, // Ollama
	/context[_ ]length[_ ]exceeded/i,
	/too many tokens/i,
	/token limit exceeded/i,
	/^4(?:00|13)\s*(?:status code)?\s*\(no body\)/i, // Cerebras
];

/** Rate limits can mention "too many tokens"; those are transient, not overflow. */
const NOT_OVERFLOW_PATTERNS: readonly RegExp[] = [
	/^(Throttling error|Service unavailable):/i,
	/rate limit/i,
	/too many requests/i,
];

export function isContextOverflow(message: AssistantMessage, contextWindow?: number): boolean {
	const error = message.errorMessage;
	if (message.stopReason === "error" && error) {
		const excluded = NOT_OVERFLOW_PATTERNS.some((pattern) => pattern.test(error));
		if (!excluded && OVERFLOW_PATTERNS.some((pattern) => pattern.test(error))) return true;
	}
	if (!contextWindow) return false;
	const inputTokens = message.usage.input + message.usage.cacheRead;
	// Silent overflow: the provider accepted more than fits (z.ai).
	if (message.stopReason === "stop" && inputTokens > contextWindow) return true;
	// Truncating providers fill the window and leave no room to answer (Xiaomi MiMo).
	if (message.stopReason === "length" && message.usage.output === 0 && inputTokens >= contextWindow * 0.99) {
		return true;
	}
	return false;
}
