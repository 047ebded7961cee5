/**
 * The per-request headers GitHub Copilot expects on top of the model's static ones (pi 0.73.1): who started the
 * request (the user, or the agent continuing after a tool result), the intent, and a flag when images are sent.
 */
import type { Context, Message } from "../types.ts";

/** "user" when the user's message is last; "agent" for follow-ups after assistant or tool-result messages. */
export function copilotInitiator(messages: readonly Message[]): "user" | "agent" {
	const last = messages[messages.length - 1];
	return last && last.role !== "user" ? "agent" : "user";
}

/** Copilot refuses image input unless the request says it carries some. */
export function hasCopilotVisionInput(messages: readonly Message[]): boolean {
	return messages.some(
		(message) =>
			(message.role === "user" || message.role === "toolResult") &&
			Array.isArray(message.content) &&
			message.content.some((block) => block.type === "image"),
	);
}

export function copilotDynamicHeaders(context: Context): Record<string, string> {
	const headers: Record<string, string> = {
		"X-Initiator": copilotInitiator(context.messages),
		"Openai-Intent": "conversation-edits",
	};
	if (hasCopilotVisionInput(context.messages)) headers["Copilot-Vision-Request"] = "true";
	return headers;
}
