/**
 * The request-time events, each handler seeing what the previous one returned: `context` and
 * `context_with_system` (the messages sent), `before_provider_request` (the payload) and `before_provider_headers`
 * (the headers). The runner (runner.ts) dispatches them through here.
 */

import type { AgentMessage } from "../agent/types.ts";
import { getCurrentSystemMessage } from "../ai/transcript.ts";
import type { ProviderHeaders } from "../ai/types.ts";
import type { HandlerDispatch } from "./handler-dispatch.ts";
import { asAgentMessage } from "./message-schema.ts";
import { ContextResultSchema } from "./schemas.ts";

function sameMessages(left: readonly AgentMessage[], right: readonly AgentMessage[]): boolean {
	return left.length === right.length && left.every((message, index) => message === right[index]);
}

/**
 * The request-time transforms, in pi 1.6.0's two phases. `context` handlers see the conversation only (a copy,
 * without the system messages that carry the prompt and tools); when one changes it, the current prompt and
 * tools come back as one leading system message. `context_with_system` handlers then see the whole transcript.
 */
export async function dispatchContext(dispatch: HandlerDispatch, messages: AgentMessage[]): Promise<AgentMessage[]> {
	const ctx = dispatch.createContext();
	let current = structuredClone(messages);
	for (const { extension, handler } of dispatch.handlersOf("context")) {
		try {
			const visible = current.filter((message) => message.role !== "system");
			const snapshot = visible.slice();
			const result = dispatch.parseResult(
				ContextResultSchema,
				await handler({ type: "context", messages: visible }, ctx),
				extension,
				"context",
			);
			// Handlers may return a new list or edit event.messages in place.
			const returned = result?.messages
				? result.messages.map(asAgentMessage)
				: sameMessages(visible, snapshot)
					? undefined
					: visible;
			if (returned && !sameMessages(returned, snapshot)) {
				const head = getCurrentSystemMessage(current);
				current = head ? [head, ...returned] : returned;
			}
		} catch (error) {
			dispatch.reportThrown(extension, "context", error);
		}
	}
	for (const { extension, handler } of dispatch.handlersOf("context_with_system")) {
		try {
			const hadLeadingSystemMessage = current[0]?.role === "system";
			const event = { type: "context_with_system", messages: current };
			const result = dispatch.parseResult(
				ContextResultSchema,
				await handler(event, ctx),
				extension,
				"context_with_system",
			);
			if (result?.messages) current = result.messages.map(asAgentMessage);
			if (hadLeadingSystemMessage && current[0]?.role !== "system") {
				dispatch.reportError({
					extensionPath: extension.path,
					event: "context_with_system",
					error:
						"Handler removed the leading system message; the request has no prompt or initial tool declarations. Keep it at index 0 or replace a dropped prefix with getCurrentSystemMessage().",
				});
			}
		} catch (error) {
			dispatch.reportThrown(extension, "context_with_system", error);
		}
	}
	return current;
}

/** `before_provider_request`: any returned value replaces the payload for the next handler and the request. */
export async function dispatchBeforeProviderRequest(dispatch: HandlerDispatch, payload: unknown): Promise<unknown> {
	const ctx = dispatch.createContext();
	let current = payload;
	for (const { extension, handler } of dispatch.handlersOf("before_provider_request")) {
		try {
			const result = await handler({ type: "before_provider_request", payload: current }, ctx);
			if (result !== undefined) current = result;
		} catch (error) {
			dispatch.reportThrown(extension, "before_provider_request", error);
		}
	}
	return current;
}

/**
 * `before_provider_headers`: handlers change `event.headers` in place (a string adds or overrides, `null` removes)
 * and later handlers see their changes; return values are ignored. A value that is neither is reported and dropped.
 */
export async function dispatchBeforeProviderHeaders(
	dispatch: HandlerDispatch,
	headers: ProviderHeaders,
): Promise<ProviderHeaders> {
	const ctx = dispatch.createContext();
	const current: ProviderHeaders = { ...headers };
	const event: { type: string; headers: unknown } = { type: "before_provider_headers", headers: current };
	for (const { extension, handler } of dispatch.handlersOf("before_provider_headers")) {
		try {
			await handler(event, ctx);
		} catch (error) {
			dispatch.reportThrown(extension, "before_provider_headers", error);
		}
		// As in pi, each handler gets the same object: a replaced `event.headers` is ignored.
		event.headers = current;
		for (const [name, value] of Object.entries(current)) {
			if (typeof value === "string" || value === null) continue;
			delete current[name];
			if (value !== undefined)
				dispatch.reportError({
					extensionPath: extension.path,
					event: "before_provider_headers",
					error: `Header "${name}" must be a string or null, not ${typeof value}; it is not sent`,
				});
		}
	}
	return current;
}
