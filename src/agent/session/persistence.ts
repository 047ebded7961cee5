/** How a finished agent message is written to the session file (pi-spec §3.3): custom messages get their own entry. */
import type { SessionManager } from "../../session/session-manager.ts";
import type { AgentMessage } from "../types.ts";

/**
 * Appends the message as the matching entry. Other roles (bash executions, summaries) are not written here:
 * whoever adds those to the context records them itself.
 */
export function appendFinishedMessage(manager: SessionManager, message: AgentMessage): void {
	switch (message.role) {
		case "custom": // stored by appendMessage as a custom_message entry
		case "system": // the prompt and tool changes the model was given (pi 1.6.0)
		case "user":
		case "toolResult":
		case "assistant":
			manager.appendMessage(message);
			break;
	}
}
